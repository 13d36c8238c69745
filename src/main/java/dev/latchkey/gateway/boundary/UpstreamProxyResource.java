package dev.latchkey.gateway.boundary;

import dev.latchkey.access.boundary.ClientCorsFilter;
import dev.latchkey.access.boundary.ClientTokenFilter;
import dev.latchkey.gateway.control.HopHeaders;
import dev.latchkey.gateway.control.OpenStreams;
import dev.latchkey.gateway.control.RequestBody;
import dev.latchkey.gateway.control.Signing;
import dev.latchkey.gateway.control.StreamedAnswer;
import dev.latchkey.gateway.control.TokenMetadata;
import dev.latchkey.gateway.control.UpstreamCalls;
import dev.latchkey.gateway.control.UpstreamPaths;
import dev.latchkey.gateway.control.UpstreamTarget;
import dev.latchkey.gateway.control.Upstreams;
import dev.latchkey.platform.ApiError;
import dev.latchkey.platform.ErrorBodies;
import dev.latchkey.tokens.control.ClientAccess;
import dev.latchkey.tokens.control.ClientPrincipal;
import dev.latchkey.tokens.control.TokenFailure;
import dev.latchkey.tokens.control.Verdict;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.jersey.server.ChunkedOutput;

/**
 * The upstream proxy: {@code ANY /client_api/{path}?{query}} with a valid client token (checked by
 * {@link ClientTokenFilter}) goes to {@code {url}/{path}?{query}} of the caller's organization, and the
 * upstream's answer comes back as it is. Bodies stream both ways through the JDK's {@code HttpClient}: the
 * request body is read from the container as the upstream consumes it, and the answer is written and flushed as
 * each piece arrives ({@link StreamedAnswer}), so server-sent events reach the client as they are sent and a
 * large body never sits in memory. The container thread waits only for the upstream's status and headers; the
 * body is relayed by the HTTP client's own threads.
 * {@code GET /client_api} itself stays the session ({@code access} feature), untouched by this resource.
 *
 * <p>One instance for the application, the request's parts passed to each method: created per request, with
 * its injections, it cost about a tenth of a proxied request's CPU.
 */
@ApplicationScoped
@Path(ClientTokenFilter.CLIENT_ROOT + "/{path: .+}")
public class UpstreamProxyResource {

    static final String INVALID_PATH = "Invalid path";
    private static final Logger LOG = Logger.getLogger(UpstreamProxyResource.class.getName());
    private static final Set<Integer> NO_BODY = Set.of(204, 304);

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
    Clock clock;

    /** The parts of the client's request the proxy reads. */
    private record Call(UriInfo uri, HttpHeaders headers, HttpServletRequest servletRequest) {
    }

    @GET
    public void get(@Context UriInfo uri, @Context HttpHeaders headers, @Context HttpServletRequest request,
                    @Suspended AsyncResponse async) {
        forward("GET", null, new Call(uri, headers, request), async);
    }

    @HEAD
    public void head(@Context UriInfo uri, @Context HttpHeaders headers, @Context HttpServletRequest request,
                     @Suspended AsyncResponse async) {
        forward("HEAD", null, new Call(uri, headers, request), async);
    }

    @POST
    public void post(InputStream body, @Context UriInfo uri, @Context HttpHeaders headers,
                     @Context HttpServletRequest request, @Suspended AsyncResponse async) {
        forward("POST", body, new Call(uri, headers, request), async);
    }

    @PUT
    public void put(InputStream body, @Context UriInfo uri, @Context HttpHeaders headers,
                    @Context HttpServletRequest request, @Suspended AsyncResponse async) {
        forward("PUT", body, new Call(uri, headers, request), async);
    }

    @PATCH
    public void patch(InputStream body, @Context UriInfo uri, @Context HttpHeaders headers,
                      @Context HttpServletRequest request, @Suspended AsyncResponse async) {
        forward("PATCH", body, new Call(uri, headers, request), async);
    }

    @DELETE
    public void delete(@Context UriInfo uri, @Context HttpHeaders headers, @Context HttpServletRequest request,
                       @Suspended AsyncResponse async) {
        forward("DELETE", null, new Call(uri, headers, request), async);
    }

    /** Not a CORS preflight (those are answered by {@link ProxyPreflightFilter}): the upstream's to answer. */
    @OPTIONS
    public void options(@Context UriInfo uri, @Context HttpHeaders headers, @Context HttpServletRequest request,
                        @Suspended AsyncResponse async) {
        forward("OPTIONS", null, new Call(uri, headers, request), async);
    }

    /**
     * The request body of a method JAX-RS expects none for (GET, HEAD, DELETE, OPTIONS): read from the container
     * only if the client sent one.
     */
    private static InputStream containerBody(HttpServletRequest request) {
        try {
            return request.getInputStream();
        } catch (IOException e) {
            throw new ApiError(400, "Request body could not be read");
        }
    }

    /**
     * Calls the upstream and answers the client through {@code async}, always on this thread: the answer's status
     * and headers, or the error, are written before this method returns.
     *
     * @param body the request body JAX-RS read, or {@code null} for a method it reads none for
     */
    private void forward(String method, InputStream body, Call call, AsyncResponse async) {
        OpenStreams.Stream stream = null;
        try {
            ClientPrincipal client = ClientTokenFilter.acceptedClient();
            UpstreamTarget upstream = upstreams.of(client.orgId())
                    .orElseThrow(() -> ApiError.notFound(ErrorBodies.forStatus(404)));
            URI target = target(upstream, call);
            InputStream content = body != null ? body : containerBody(call.servletRequest());
            HttpRequest request = request(method, content, target, upstream, client, call);

            stream = streams.open(client);
            // a revocation that committed after the filter's check found nothing to cut: check once more
            Verdict again = access.validator().validateCredential(
                    call.headers().getHeaderString(HttpHeaders.AUTHORIZATION));
            if (!again.isAccepted()) {
                throw new ApiError(again.failure().status(), again.failure().detail());
            }
            HttpResponse<Flow.Publisher<List<ByteBuffer>>> answer = send(request, stream);
            relay(method, answer, stream, async);
        } catch (RuntimeException e) {
            if (stream != null) {
                streams.close(stream);
            }
            async.resume(e);
        }
    }

    /** The path as Jersey matched it; the query as the client sent it (Jersey's own re-encodes {@code /}). */
    private static URI target(UpstreamTarget upstream, Call call) {
        String path = call.uri().getPath(false);
        int start = 0;
        while (start < path.length() && path.charAt(start) == '/') {
            start++;
        }
        String prefix = ClientTokenFilter.CLIENT_ROOT + "/";
        if (!path.startsWith(prefix, start)) {
            throw ApiError.badRequest(INVALID_PATH);
        }
        try {
            return UpstreamPaths.resolve(upstream.url(), path.substring(start + prefix.length()),
                    call.servletRequest().getQueryString());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(INVALID_PATH);
        }
    }

    private HttpRequest request(String method, InputStream body, URI target, UpstreamTarget upstream,
                                ClientPrincipal client, Call call) {
        HttpHeaders headers = call.headers();
        HttpServletRequest servletRequest = call.servletRequest();
        HttpRequest.Builder builder = HttpRequest.newBuilder(target).timeout(calls.timeout());
        Set<String> named = HopHeaders.namedByConnection(headers.getRequestHeader("Connection"));
        for (Map.Entry<String, List<String>> header : headers.getRequestHeaders().entrySet()) {
            if (HopHeaders.toUpstream(header.getKey(), named)) {
                for (String value : header.getValue()) {
                    try {
                        builder.header(header.getKey(), value);
                    } catch (IllegalArgumentException e) {
                        LOG.fine("Header not forwarded: " + header.getKey());
                    }
                }
            }
        }
        builder.header("X-Forwarded-For", servletRequest.getRemoteAddr());
        builder.header("X-Forwarded-Proto", servletRequest.getScheme());
        String host = headers.getHeaderString(HttpHeaders.HOST);
        if (host != null) {
            builder.header("X-Forwarded-Host", host);
        }
        String pathAndQuery = target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
        for (String[] header : Signing.signedHeaders(upstream.secret(), clock.millis() / 1000, method, pathAndQuery,
                client, metadata.of(client))) {
            builder.header(header[0], header[1]);
        }
        return builder.method(method, publisher(body, call)).build();
    }

    /** The client's body as the upstream reads it: with its length when known, chunked when sent chunked. */
    private HttpRequest.BodyPublisher publisher(InputStream body, Call call) {
        HttpHeaders headers = call.headers();
        long length = call.servletRequest().getContentLengthLong();
        if (length > 0) {
            return HttpRequest.BodyPublishers.fromPublisher(new RequestBody(body, calls.bodyReaders()), length);
        }
        if (length < 0 && headers.getHeaderString("Transfer-Encoding") != null) {
            return HttpRequest.BodyPublishers.fromPublisher(new RequestBody(body, calls.bodyReaders()));
        }
        return HttpRequest.BodyPublishers.noBody();
    }

    private HttpResponse<Flow.Publisher<List<ByteBuffer>>> send(HttpRequest request, OpenStreams.Stream stream) {
        CompletableFuture<HttpResponse<Flow.Publisher<List<ByteBuffer>>>> pending =
                calls.http().sendAsync(request, HttpResponse.BodyHandlers.ofPublisher());
        stream.attach(pending);
        try {
            // the request's own timeout ends the wait; this bound only guards against a stuck client
            return pending.get(calls.timeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (CancellationException e) {
            throw revoked();
        } catch (ExecutionException e) {
            if (stream.isCut()) {
                throw revoked();
            }
            LOG.log(Level.FINE, "Upstream call failed: {0}", e.getCause().getClass().getName());
            throw UpstreamCalls.failure(e.getCause());
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new ApiError(504, UpstreamCalls.TIMED_OUT);
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
     * Writes the upstream's status and headers to the client, then relays its body. The body is subscribed to only
     * after {@link AsyncResponse#resume} has returned, when Jersey has finished with the response on this thread:
     * a {@link ChunkedOutput} written and closed by another thread while Jersey still sets it up can lose its end,
     * leaving the client waiting for the rest of a body forever (seen about once in 2,500 quick proxied calls; Jersey
     * issues 2964 and 4493 describe the same race).
     */
    private void relay(String method, HttpResponse<Flow.Publisher<List<ByteBuffer>>> answer,
                       OpenStreams.Stream stream, AsyncResponse async) {
        Response.ResponseBuilder response = Response.status(answer.statusCode());
        Set<String> named = HopHeaders.namedByConnection(answer.headers().allValues("Connection"));
        for (Map.Entry<String, List<String>> header : answer.headers().map().entrySet()) {
            if (HopHeaders.toClient(header.getKey(), named)) {
                for (String value : header.getValue()) {
                    response.header(header.getKey(), value);
                }
            }
        }
        response.header(ClientCorsFilter.EXPOSE, "*");
        ChunkedOutput<byte[]> out = new ChunkedOutput<>(byte[].class);
        StreamedAnswer body = new StreamedAnswer(out, () -> streams.close(stream));
        boolean withBody = !"HEAD".equals(method) && !NO_BODY.contains(answer.statusCode());
        boolean answered = async.resume(withBody ? response.entity(out).build() : response.build());
        // a revocation from now on closes the answer; one before it is seen here and closes it at once
        stream.attach(body);
        if (!withBody || !answered) {
            body.close();
        }
        answer.body().subscribe(body);
    }
}
