/**
 * The organization's own API behind Latchkey: the upstream proxy below {@code /client_api}, forward auth for a
 * proxy the organization already runs ({@code /forward_auth}), clients' WebSocket messages POSTed to the
 * organization, and the admin endpoints that set an organization's upstream. Every request it forwards carries
 * the caller's identity and an HMAC signature ({@code docs/gateway.md}).
 *
 * <ul>
 *   <li>G1: a client header whose folded name ({@code HopHeaders.folded}) is one Latchkey sets is dropped by the
 *       proxy and refused by forward auth. Dropped, not refused, on the proxy: a CDN in front of Latchkey adds
 *       {@code X-Forwarded-For} to honest requests, and the proxy rebuilds the request anyway. Refused by forward
 *       auth: it cannot remove a header from the request the organization's proxy forwards, and the exact names
 *       stay allowed because the documented proxy configurations replace them.</li>
 *   <li>G2: the query is the servlet's query string (the bytes as sent), not Jersey's, which re-encodes
 *       {@code /} and {@code ?}; only characters a {@code java.net.URI} cannot hold are percent-encoded.</li>
 * </ul>
 */
package dev.latchkey.gateway;
