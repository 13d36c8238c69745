/**
 * The client transports: the REST token filter and {@code /client_api}, CORS, the {@code /client_ws} handshake
 * and endpoint, the live connections that keep a WebSocket authorized after its handshake, and the org's pushes
 * to them. Every credential goes through the one validator of the {@code tokens} feature.
 */
package dev.latchkey.access;
