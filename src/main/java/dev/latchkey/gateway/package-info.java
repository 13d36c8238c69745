/**
 * The organization's own API behind Latchkey: the upstream proxy below {@code /client_api}, forward auth for a
 * proxy the organization already runs ({@code /forward_auth}), clients' WebSocket messages POSTed to the
 * organization, and the admin endpoints that set an organization's upstream. Every request it forwards carries
 * the caller's identity and an HMAC signature ({@code docs/gateway.md}).
 */
package dev.latchkey.gateway;
