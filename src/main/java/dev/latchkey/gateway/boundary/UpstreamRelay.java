package dev.latchkey.gateway.boundary;

import dev.latchkey.limits.control.LimitHits;
import dev.latchkey.limits.control.RateLimits;
import dev.latchkey.access.boundary.ClientCorsFilter;
import dev.latchkey.gateway.control.AnswerBody;
import dev.latchkey.gateway.control.HopHeaders;
import dev.latchkey.gateway.control.OpenStreams;
import dev.latchkey.gateway.control.RelayedAnswer;
import dev.latchkey.gateway.control.RequestBody;
import dev.latchkey.gateway.control.Signing;
import dev.latchkey.gateway.control.TokenMetadata;
import dev.latchkey.gateway.control.UpstreamCalls;
import dev.latchkey.gateway.control.UpstreamDeadline;
import dev.latchkey.gateway.control.UpstreamMeters;
import dev.latchkey.gateway.control.UpstreamPaths;
import dev.latchkey.gateway.control.UpstreamTarget;
import dev.latchkey.gateway.control.Upstreams;
import dev.latchkey.platform.http.ApiError;
import dev.latchkey.platform.http.BearerCredentials;
import dev.latchkey.platform.http.ClientApiPaths;
import dev.latchkey.platform.http.ErrorBodies;
import dev.latchkey.platform.config.Settings;
import dev.latchkey.tokens.control.ClientAccess;
import dev.latchkey.tokens.control.ClientPrincipal;
import dev.latchkey.tokens.control.TokenFailure;
import dev.latchkey.tokens.control.TokenMeters;
import dev.latchkey.tokens.control.TokenValidator;
import dev.latchkey.tokens.control.Verdict;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.message.BasicHttpRequest;

/**
 * The upstream proxy: {@code ANY /api/v1/client_api/{path}?{query}} with a valid client token goes to
 * {@code {url}/{path}?{query}} of the caller's organization, and the upstream's answer comes back as it is.
 * {@code /api/v1/client_api} itself stays the session (a JAX-RS resource of the {@code access} feature).
 *
 * <p>A servlet on the portable Servlet API (decision G3 of the {@code gateway} package), reached from the edge
 * filter by name ({@link #NAME}): the proxied path skips JAX-RS, and runs on any Jakarta EE 10 server. In order:
 * a CORS preflight is answered (no token needed); the {@code Authorization} header goes through the one validator
 * (the table's status and detail on failure); the caller's organization needs an upstream (404); the path must stay
 * below it (400 {@code Invalid path}). The request thread then waits for the upstream's status and headers only
 * (and a small body, {@link AnswerBody}); both bodies stream without a thread waiting: the client's through
 * {@link RequestBody} (the HTTP client's entity producer; its blocking reads run on the gateway's body readers), the
 * upstream's through {@link AnswerBody} (the HTTP client's response consumer) and {@link RelayedAnswer}
 * (non-blocking servlet output).
 */
public class UpstreamRelay extends HttpServlet {

    /** The servlet's name in {@code web.xml}, by which the edge filter forwards proxied paths to it. */
    public static final String NAME = "upstream-relay";
    static final String INVALID_PATH = "Invalid path";
    static final String METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
    private static final Set<String> FORWARDED_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE",
            "OPTIONS");
    private static final String DEFAULT_HEADERS = "Authorization, Content-Type";
    private static final String API_PREFIX = "/api/v1/";
    /** The request attribute holding the {@link RequestBody} being read. */
    private static final String READING = UpstreamRelay.class.getName() + ".body";
    /** How long the request thread waits for an interrupted read of the client's body to end. */
    private static final long STOP_READING_MILLIS = 1000;
    private static final Logger LOG = Logger.getLogger(UpstreamRelay.class.getName());

    @Inject
    Upstreams upstreams;

    @Inject
    UpstreamCalls calls;

    @Inject
    TokenMetadata metadata;

    @Inject
    OpenStreams streams;

    @Inject
    ClientAccess access;

    @Inject
    TokenMeters meters;

    @Inject
    Settings settings;

    @Inject
    UpstreamMeters upstreamMeters;

    @Inject
    Clock clock;

    @Inject
    RateLimits rates;

    private TokenValidator validator;
    private TokenMeters.Validations counts;

    @Override
    public void init() throws ServletException {
        validator = access.validator();
        counts = meters.validations(TokenMeters.Surface.REST);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String origin = request.getHeader(ClientCorsFilter.ORIGIN);
        String method = request.getMethod();
        if ("OPTIONS".equals(method) && origin != null && request.getHeader("Access-Control-Request-Method") != null) {
            preflight(request, response, origin);
            return;
        }
        response.addHeader("Vary", ClientCorsFilter.ORIGIN);
        boolean allowedOrigin = origin != null && settings.allowedOrigins().permits(origin);
        if (allowedOrigin) {
            response.setHeader(ClientCorsFilter.ALLOW_ORIGIN, origin);
        }
        try {
            // every Authorization header, not getHeader's first: a second credential is refused, never ignored
            List<String> credentials = Collections.list(request.getHeaders("Authorization"));
            Verdict verdict = validator.validateCredential(credentials.isEmpty() ? null : String.join(",", credentials));
            counts.count(verdict);
            if (BearerCredentials.isRepeated(credentials)) {
                throw ApiError.badRequest(BearerCredentials.AMBIGUOUS);
            }
            if (!verdict.isAccepted()) {
                throw new ApiError(verdict.failure().status(), verdict.failure().detail());
            }
            if (!FORWARDED_METHODS.contains(method)) {
                throw new ApiError(405, ErrorBodies.forStatus(405));
            }
            RateLimits.Refusal over = rates.admit(verdict.principal().orgId(), verdict.principal().clientId(),
                    LimitHits.Hit.RATE_PROXY);
            if (over != null) { // nothing is forwarded
                over.headers().forEach(header -> response.setHeader(header[0], header[1]));
                throw new ApiError(429, RateLimits.RATE_EXCEEDED);
            }
            forward(method, verdict.principal(), request, response);
        } catch (ApiError e) {
            if (allowedOrigin) {
                response.setHeader(ClientCorsFilter.EXPOSE, ClientCorsFilter.EXPOSE_HEADERS);
            }
            boolean bodyLeft = hasBody(request);
            if (bodyLeft) {
                response.setHeader("Connection", "close"); // the rest of the body is never read
            }
            ErrorBodies.write(response, e.status(), e.detail());
            if (bodyLeft) {
                // out now: a client that stopped sending (a 504 for its stalled upload) waits for this answer; the
                // container then closes the connection rather than read the body's rest (decision G7)
                response.flushBuffer();
                stopReading(request);
            }
        } catch (IOException | RuntimeException e) {
            stopReading(request);
            throw e;
        }
    }

    /**
     * The answer to a preflight of a proxied path ({@link ClientCorsFilter#preflight(Settings, String, String, String)},
     * the same as the session's): the methods the proxy forwards and whatever request headers the page asks for
     * (they go to the upstream; the credential is a bearer token, never a cookie).
     */
    private void preflight(HttpServletRequest request, HttpServletResponse response, String origin)
            throws IOException {
        ClientCorsFilter.Preflight answer = ClientCorsFilter.preflight(settings, origin, METHODS,
                ClientCorsFilter.askedHeaders(request.getHeader("Access-Control-Request-Headers"), DEFAULT_HEADERS));
        if (answer.refusal() != null) {
            answer.headers().forEach(header -> response.addHeader(header[0], header[1]));
            ErrorBodies.write(response, answer.status(), answer.refusal());
            return;
        }
        response.setStatus(answer.status());
        answer.headers().forEach(header -> response.addHeader(header[0], header[1]));
    }

    /**
     * Calls the upstream and answers the client: the upstream's status and headers, or the error, are set before
     * this method returns; the body streams on afterwards.
     */
    private void forward(String method, ClientPrincipal client, HttpServletRequest request,
                         HttpServletResponse response) throws IOException {
        UpstreamTarget upstream = upstreams.of(client.orgId())
                .orElseThrow(() -> ApiError.notFound(ErrorBodies.forStatus(404)));
        URI target = target(upstream, request);
        RequestBody body = null;
        if (hasBody(request)) {
            body = new RequestBody(request.getInputStream(), calls.bodyReaders(), request.getContentLengthLong());
            request.setAttribute(READING, body); // for stopReading, whichever way the request ends
        }
        BasicHttpRequest call = upstreamRequest(method, target, upstream, client, request);
        OpenStreams.Stream stream = streams.open(client);
        try {
            // a revocation that committed after the check above found nothing to cut: check once more
            Verdict again = validator.validateCredential(request.getHeader("Authorization"));
            if (!again.isAccepted()) {
                throw new ApiError(again.failure().status(), again.failure().detail());
            }
            AnswerBody answer = send(call, "HEAD".equals(method), body, stream);
            relay(answer, stream, body, request, response);
        } catch (IOException | RuntimeException e) {
            streams.close(stream);
            throw e;
        }
    }

    /**
     * The upstream URL: the path below {@code /api/v1/client_api/} as the client sent it (percent-encoded), the query
     * as the client sent it.
     */
    private static URI target(UpstreamTarget upstream, HttpServletRequest request) {
        String uri = request.getRequestURI(); // as sent: the container's mapped path has '..' resolved
        int start = request.getContextPath().length();
        if (!uri.startsWith(API_PREFIX, start)) {
            throw ApiError.badRequest(INVALID_PATH); // such as /api/./v1/client_api/x
        }
        int rest = ClientApiPaths.restStart(uri, start + API_PREFIX.length());
        if (rest < 0) {
            throw ApiError.badRequest(INVALID_PATH);
        }
        try {
            return UpstreamPaths.resolve(upstream.url(), uri.substring(rest),
                    request.getQueryString());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(INVALID_PATH);
        }
    }

    /**
     * The request to the upstream, without its body (sent with the client's {@code Content-Length}, or chunked) and
     * without a timeout ({@link #send} bounds the call by an {@code UpstreamDeadline}). A client header that could
     * not travel as it is ({@link HopHeaders#isSendable}) is dropped.
     */
    private BasicHttpRequest upstreamRequest(String method, URI target, UpstreamTarget upstream, ClientPrincipal client,
                                             HttpServletRequest request) {
        BasicHttpRequest call = new BasicHttpRequest(method, target);
        Set<String> named = HopHeaders.namedByConnection(Collections.list(request.getHeaders("Connection")));
        Enumeration<String> names = request.getHeaderNames();
        while (names.hasMoreElements()) {
            String name = names.nextElement();
            if (HopHeaders.toUpstream(name, named)) {
                Enumeration<String> values = request.getHeaders(name);
                while (values.hasMoreElements()) {
                    String value = values.nextElement();
                    if (HopHeaders.isSendable(name, value)) {
                        call.addHeader(name, value);
                    } else {
                        LOG.fine("Header not forwarded: " + name);
                    }
                }
            }
        }
        call.addHeader("X-Forwarded-For", request.getRemoteAddr());
        call.addHeader("X-Forwarded-Proto", request.getScheme());
        String host = request.getHeader("Host");
        if (host != null && HopHeaders.isSendable("X-Forwarded-Host", host)) {
            call.addHeader("X-Forwarded-Host", host);
        }
        String pathAndQuery = target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
        for (String[] header : Signing.signedHeaders(upstream.secret(), clock.millis() / 1000, method, pathAndQuery,
                client, metadata.of(client))) {
            call.addHeader(header[0], header[1]);
        }
        String assertion = access.assertion(client, method, target.getRawPath());
        if (assertion != null) {
            call.addHeader(Signing.ASSERTION, assertion);
        }
        return call;
    }

    /**
     * Ends the reading of the client's body, if it is being read ({@link RequestBody#stop}): called on the request
     * thread after the answer is written, before the request ends, so that no read of the request's stream outlives
     * the request.
     */
    private static void stopReading(HttpServletRequest request) {
        if (request.getAttribute(READING) instanceof RequestBody body) {
            body.stop(STOP_READING_MILLIS);
        }
    }

    /** A body to forward: a length above zero, or chunked. */
    private static boolean hasBody(HttpServletRequest request) {
        long length = request.getContentLengthLong();
        return length > 0 || (length < 0 && request.getHeader("Transfer-Encoding") != null);
    }

    /**
     * Calls the upstream and waits for its answer: its status and headers, and its whole body when that is small
     * ({@link AnswerBody}). The wait is bounded by an {@code UpstreamDeadline}; a revocation cancels it.
     */
    private AnswerBody send(BasicHttpRequest request, boolean head, RequestBody body, OpenStreams.Stream stream) {
        long sentAt = System.nanoTime();
        AnswerBody answer = new AnswerBody(head);
        CompletableFuture<AnswerBody> pending = answer.head();
        stream.attach(pending); // cancelled, the call is aborted (UpstreamCalls.call)
        answer.exchange(calls.call(request, body, answer, null, pending));
        UpstreamDeadline deadline = calls.deadline(pending, body == null ? () -> sentAt : body::lastProgressNanos);
        try {
            // the deadline ends the wait when the upstream stays silent; an upload that keeps moving may take long
            AnswerBody got = pending.get();
            upstreamMeters.answered(UpstreamMeters.Route.PROXY, got.response().getCode(), sentAt);
            return got;
        } catch (CancellationException | ExecutionException e) {
            // cancelled by the deadline (a 504) or by a revocation
            if (deadline.expired()) {
                upstreamMeters.failed(UpstreamMeters.Route.PROXY, true);
                throw new ApiError(504, UpstreamCalls.TIMED_OUT);
            }
            if (e instanceof CancellationException || stream.isCut()) {
                throw revoked();
            }
            LOG.log(Level.FINE, "Upstream call failed: {0}", e.getCause().getClass().getName());
            upstreamMeters.failed(UpstreamMeters.Route.PROXY, UpstreamCalls.isTimeout(e.getCause()));
            throw UpstreamCalls.failure(e.getCause());
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new ApiError(502, UpstreamCalls.UNAVAILABLE);
        }
    }

    private static ApiError revoked() {
        return new ApiError(TokenFailure.REVOKED.status(), TokenFailure.REVOKED.detail());
    }

    /**
     * Sets the upstream's status and headers on the client's answer, then its body: a body held whole is written
     * here and the request ends as usual; a streamed one is relayed without blocking, in the request's asynchronous
     * mode. An answer without a {@code Cache-Control} gets {@code no-store}, as every answer of Latchkey's own does.
     */
    private void relay(AnswerBody body, OpenStreams.Stream stream, RequestBody requestBody,
                       HttpServletRequest request, HttpServletResponse response) throws IOException {
        HttpResponse answer = body.response();
        response.setStatus(answer.getCode());
        List<String> connection = new ArrayList<>();
        for (Header header : answer.getHeaders("Connection")) {
            connection.add(header.getValue());
        }
        Set<String> named = HopHeaders.namedByConnection(connection);
        for (Header header : answer.getHeaders()) {
            if (HopHeaders.toClient(header.getName(), named)) {
                response.addHeader(header.getName(), header.getValue());
            }
        }
        if (!response.containsHeader("Cache-Control")) {
            response.setHeader("Cache-Control", "no-store");
        }
        if (response.containsHeader(ClientCorsFilter.ALLOW_ORIGIN)) {
            response.setHeader(ClientCorsFilter.EXPOSE, "*");
        }
        if (body.isWhole()) {
            streams.close(stream); // the upstream's part is over: nothing is left for a revocation to cut
            if (body.whole().length > 0) {
                response.setContentLength(body.whole().length);
                try {
                    response.getOutputStream().write(body.whole());
                    if (requestBody != null) {
                        response.flushBuffer(); // before the read of what the client may still send is ended
                    }
                } catch (IOException e) {
                    LOG.fine(() -> "The client went away from a proxied answer: " + e.getClass().getName());
                }
            }
            if (requestBody != null) {
                requestBody.stop(STOP_READING_MILLIS); // the upstream answered: what the client still sends is unread
            }
            return;
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(0); // a stream lasts as long as the upstream sends; a revocation or the client ends it
        RelayedAnswer relayed = new RelayedAnswer(async, () -> {
            streams.close(stream);
            if (requestBody != null) {
                requestBody.stop(0); // interrupted, not waited for: this may be the HTTP client's own thread
            }
        });
        // a revocation from now on closes the answer; one before it is seen here and closes it at once
        stream.attach(relayed);
        body.stream().subscribe(relayed);
    }
}
