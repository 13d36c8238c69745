/**
 * The client side: the credential extractor, the one token validator and its failure table, and the
 * transports that call it (the REST filter, the {@code /client_ws} handshake), plus the live connections
 * that keep a WebSocket authorized after the handshake and the org's push to them.
 */
package dev.latchkey.access;
