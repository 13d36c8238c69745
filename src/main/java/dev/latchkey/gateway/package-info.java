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
 *   <li>G3: the upstream proxy is a plain servlet ({@code boundary.UpstreamRelay}) with non-blocking output
 *       ({@code WriteListener}), reached from the edge filter by its name in {@code web.xml}, not a JAX-RS
 *       resource. Why: a proxied request through Jersey ({@code AsyncResponse}, {@code ChunkedOutput}, its
 *       request scope, resource matching and filters) cost more CPU than the upstream call itself, and
 *       {@code ChunkedOutput} is Jersey's own, so WildFly answered 500. The servlet has no URL mapping of its own
 *       because {@code /api/v1/client_api/*} would also take {@code /api/v1/client_api}, the session, which stays
 *       JAX-RS. It repeats what the JAX-RS filters did for these paths: CORS (preflight, {@code Vary},
 *       {@code Access-Control-Allow-Origin}), the token check with the one validator and its counters,
 *       {@code no-store} unless the upstream chose a {@code Cache-Control}, JSON errors.</li>
 *   <li>G4: the gateway's HTTP client is Apache HttpClient 5's asynchronous client ({@code control.UpstreamCalls}),
 *       its request body an entity producer ({@code control.RequestBody}), its answer a response consumer
 *       ({@code control.AnswerBody}), both with back-pressure and no thread held per open stream; one client for the
 *       proxy and clients' messages. Why: measured alone against the same upstream (32 requests in flight,
 *       {@code bench/clients.sh}, quiet machine), the JDK's {@code java.net.http} client as the gateway used it
 *       cost 585 µs of client CPU per request (1,561 requests/s), its blocking {@code send} 130-159 µs, Jetty 12's
 *       client 49-63 µs, Apache's asynchronous client 42-46 µs and its classic one 45-50 µs; the asynchronous one
 *       keeps the relay's design (the request thread waits for the status and headers only). Its I/O threads run
 *       the gateway's steps too, so nothing done there may block: blocking reads go to the body readers' pool. It
 *       retries nothing but a {@code GET} or {@code HEAD} whose kept-alive connection the upstream closed before
 *       answering, as the JDK's client did; a request with a body is never sent twice.</li>
 *   <li>G5: an upstream answer with a {@code Content-Length} of at most 16 KiB (and no transfer coding) is read
 *       whole before the request thread, which waits for the answer anyway, writes it itself
 *       ({@code control.AnswerBody}); only longer bodies and bodies without a length stream through the
 *       asynchronous mode. Why: for the small JSON answers most APIs give, starting the asynchronous mode, the
 *       non-blocking output and completing it cost more than the answer (figures in {@code docs/performance.md}).
 *       The price: such an answer is bounded by the upstream timeout to its last byte, not to its headers.</li>
 *   <li>G6: forward auth is a plain servlet too ({@code boundary.ForwardAuthServlet}), for G3's reason: a
 *       decision through JAX-RS cost about two thirds more CPU than the session path, which does the same token
 *       check. It sets {@code no-store} and writes its errors as JSON itself.</li>
 *   <li>G7: a client that stops sending its body gets its 504 at once, and its connection is closed after it:
 *       the answer says {@code Connection: close}, the read of the body blocked on the client is interrupted
 *       before the request ends ({@code control.RequestBody#stop}), and the HTTP listener's
 *       {@code max-swallowing-input-bytes=0} ({@code server-config/pre-boot-commands.asadmin}) makes Payara close
 *       the connection instead of waiting for the rest of a body nobody reads (it waited up to the connection's
 *       idle timeout, 30 s).</li>
 * </ul>
 */
package dev.latchkey.gateway;
