/**
 * The client transports: the REST token filter and {@code /client_api}, CORS, the {@code /client_ws} handshake
 * and endpoint, the live connections that keep a WebSocket authorized after its handshake, and the org's pushes
 * to them. Every credential goes through the one validator of the {@code tokens} feature.
 *
 * <p>One name for the live-socket concept: a {@code LiveConnection} is one open {@code /client_ws} socket and the
 * token that governs it; {@code LiveConnections} keeps every one of this node's authorized for its whole life;
 * {@code LiveConnectionRegistry} is their index by token and by client; {@code LiveConnectionService} is the
 * application's one instance, with its scheduler, wired to revocations and pushes.
 *
 * <p>The hot path is the authenticated {@code GET /api/v1/client_api}; its decisions, measured with
 * {@code bench/load.sh} and JMH ({@code docs/performance.md}):
 * <ul>
 *   <li>D1: the accepted client reaches the resources through a thread-local that the pre-matching
 *       {@code ClientTokenFilter} sets on every client path (filter and resource run on the same container
 *       thread; no client resource is asynchronous). Why: {@code @Context SecurityContext} or an injected
 *       {@code HttpServletRequest} cost a per-request lookup (1.5 to 3 µs). The org and admin endpoints, which are
 *       not the hot path, use the standard {@code SecurityContext} ({@code platform.http.BearerSecurityContext}).</li>
 *   <li>D2: {@code ClientApiResource} is {@code @Vetoed} for CDI and a Jersey {@code @Singleton}. Why: as a CDI
 *       bean Jersey fetched it per request through an HK2 lookup and Weld's proxy; without a scope it was created
 *       per request (about 12 µs). Rejected: {@code @ApplicationScoped}. Cost: it takes its clock from
 *       {@code CDI.current()} once, since CDI injects nothing into it.</li>
 *   <li>D3: the session answer is UTF-8 bytes, not a {@code String}. Why: Jersey writes a {@code String}
 *       through a new writer and charset encoder per response (about 1 µs).</li>
 *   <li>D4: filters fetch the validator from {@code ClientAccess} once, at creation, and the validator keeps the
 *       cache lease's check ({@code CacheLease.check()}, a plain object). Why: a call through an
 *       application-scoped bean's proxy costs a lookup per request (about 0.2 µs). Rejected: a bean method
 *       returning {@code this}, since Weld's proxy answers such a call with the proxy again.</li>
 *   <li>D5: the client API builds no tracing span ({@code mp.opentracing.server.skip-pattern} in
 *       {@code META-INF/microprofile-config.properties}). Why: Payara's Telemetry builds and discards one per
 *       JAX-RS request while OpenTelemetry is off (about 2 µs).</li>
 *   <li>D6: one servlet filter of Latchkey's own on every request ({@code platform.http.EdgeFilter}: security headers,
 *       requests in flight, access log), and an access log whose writer thread wakes on a timer and is never
 *       signalled. Why: Payara wraps every servlet filter in an invocation event pair (security, transaction and
 *       pool bookkeeping); and a queue whose consumer waits on it wakes that thread for nearly every request (a
 *       futex call on the request thread, a context switch, one small write per wake-up: about 7 µs of CPU per
 *       request on the writer alone). The request thread only queues the request's parts; redaction and
 *       formatting happen on the writer. Rejected: a {@code java.util.logging} record per request (formatted
 *       and flushed under the console handler's lock on the request thread).</li>
 * </ul>
 *
 * <p>Closing sockets:
 * <ul>
 *   <li>D7: the server's 4401 closes are sent from the socket's own read thread: a ping first, and the close frame
 *       when the pong, or any other frame of the client, is read ({@code LiveConnection.closeAfterPong}); a client
 *       that has sent nothing 10 s after the ping is ended without a close frame ({@code SilentEnd}: the client,
 *       a broken one since RFC 6455 5.5.2 requires it to answer pings, sees 1006). Once a close is decided no text
 *       frame is sent, and the close can only follow the ping. Why: Payara Micro 6 ends a server-closed socket on
 *       the closing thread and reads the client's answer to the close frame on another; an answer that arrives
 *       meanwhile made the container finish the socket's request objects twice, after which two requests of other
 *       clients shared them (answers without a status line, HTTP bytes in WebSocket frames;
 *       {@code WebSocketCloseRaceIT}, {@code docs/websocket.md}). Grizzly does not read a socket's next bytes
 *       before the current read returns, so an answer read after the read thread has closed finds the socket
 *       ended; a client sent no close frame has nothing to answer. A never-pong client that answered the close at
 *       once, closed from the timer 50 ms after the ping as before, left 16 {@code GRIZZLY0013} warnings (40
 *       {@code NullPointerException}, 11 {@code WELD-000714} lines) in 300 closes under load; with this design,
 *       none ({@code NoPongCloseIT}). Chosen over sending the close frame alone from the timer (cc3403d,
 *       reverted after a browser got 1006 in a loaded CI run): Tyrus then still counts the socket as connected and
 *       answers the client's answer with a second close frame, Chromium fails a connection on any frame after the
 *       close, and suppressing that takes more reflection than ending without a frame. Why 10 s: browsers answer
 *       within a round trip (at most a few hundred milliseconds measured under load) and the connection is idle
 *       meanwhile, so a shorter wait saves nothing. Left: that end runs on the timer thread, so a silent client
 *       sending a frame at that very moment could still meet the race (nothing the server sends prompts it).
 *       Cost: one round trip before the close frame; one reflective step into Tyrus 2.1.5 (its socket state and
 *       {@code onClose}; elsewhere the timer sends the close frame as before). Rejected, each tried and measured without effect: mending Grizzly's {@code Response.resume()},
 *       ending Tyrus's read loop on close, holding closes until the container had left the handshake request.</li>
 * </ul>
 */
package dev.latchkey.access;
