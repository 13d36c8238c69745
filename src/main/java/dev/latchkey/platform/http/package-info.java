/**
 * The HTTP edge and its errors: the first filter of every request ({@code EdgeFilter}: security headers, requests in
 * flight, the access log, ambiguous framing), which paths belong to the client API ({@code ClientApiPaths}),
 * bearer-credential extraction, the JSON error shape on every path
 * ({@code ApiError}, {@code ErrorBodies}, the JAX-RS mappers and the container's error page) and
 * {@code Cache-Control: no-store}.
 *
 * <p>D3: ambiguous requests are refused in {@code EdgeFilter}, the first filter of every request, not in the
 * gateway: a request whose framing two readers split differently is a risk on every path once a proxy sits in front
 * of Latchkey ({@code RequestFraming}). The servlet API can neither see every {@code Content-Length} (Grizzly drops
 * one sent before {@code Transfer-Encoding: chunked}) nor close a connection, and Grizzly reads requests pipelined
 * behind a {@code Connection: close} answer before it closes; so each refusal and each chunked request marks its
 * connection (client address and port) for ten seconds and a request arriving on it is refused
 * ({@code ClosedConnections}). Rejected: a Grizzly add-on in the HTTP listener, which would see the raw bytes but is
 * Payara-only and outside the WAR; refusing every chunked request, which would end chunked uploads through the
 * gateway. Cost on the session path: one {@code isEmpty()}, a few header lookups ({@code docs/performance.md} has
 * the figures).
 */
package dev.latchkey.platform.http;
