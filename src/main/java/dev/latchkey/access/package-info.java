/**
 * The client side: the credential extractor, the one token validator and its failure table,
 * and the transports that call it (the REST filter, later the WebSocket handshake).
 */
package dev.latchkey.access;
