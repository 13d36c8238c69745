package dev.latchkey.access.boundary;

import dev.latchkey.platform.http.ErrorBodies;
import dev.latchkey.platform.config.Settings;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.regex.Pattern;

/**
 * CORS for every path under {@code /api/v1/client_api}, existing or not.
 * <ul>
 * <li>A preflight ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method}) from an
 * allowed origin is answered here, before the token filter, with 204 and the {@code Access-Control-Allow-*}
 * headers; no token is asked for, since browsers never send one on a preflight. From a disallowed origin it is
 * 403 {@code {"detail": "Origin not allowed"}} without any CORS header.</li>
 * <li>Every other answer of those paths, the token filter's 401s and the 404s included, gets
 * {@code Vary: Origin} and, for an allowed origin, {@code Access-Control-Allow-Origin} (the request's origin):
 * the page can read every answer, errors included. A disallowed origin gets no CORS header, so the browser
 * keeps the answer from the page.</li>
 * </ul>
 * A JAX-RS filter rather than a servlet filter: on the client API's hot path a servlet filter costs about 1.5 µs
 * per request in container bookkeeping alone (measured, {@code docs/performance.md}). The browser helper, a
 * static file outside JAX-RS, has its own servlet filter ({@link ClientScriptCorsFilter}). Organization and
 * admin endpoints are deliberately left out: an org key belongs on a server.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION - 10) // before ClientTokenFilter: a preflight carries no token
public class ClientCorsFilter implements ContainerRequestFilter, ContainerResponseFilter {

    public static final String ORIGIN = "Origin";
    public static final String ALLOW_ORIGIN = "Access-Control-Allow-Origin";
    /** What {@code /client_api} itself answers; a feature serving paths below it answers their preflights. */
    static final String ALLOW_METHODS = "GET, HEAD";
    static final String ALLOW_HEADERS = "Authorization, Content-Type";
    public static final String EXPOSE = "Access-Control-Expose-Headers";
    /** Headers a page may read: the 401 challenge, and a 429's wait and rate fields (docs/limits.md). */
    public static final String EXPOSE_HEADERS = "WWW-Authenticate, Retry-After, RateLimit, RateLimit-Policy";
    public static final String MAX_AGE_SECS = "600";
    /** A comma-separated list of header names (RFC 9110 tokens). */
    private static final Pattern HEADER_LIST = Pattern.compile(
            "[!#$%&'*+.^_`|~0-9A-Za-z-]+(\\s*,\\s*[!#$%&'*+.^_`|~0-9A-Za-z-]+)*");
    private static final int MAX_HEADER_LIST = 1024;

    @Inject
    Settings settings;

    @Override
    public void filter(ContainerRequestContext request) {
        if (isPreflight(request)) {
            request.abortWith(preflight(request, settings, ALLOW_METHODS, ALLOW_HEADERS));
        }
    }

    /**
     * The answer to a client-API preflight: 204 with these methods and request headers for an allowed origin,
     * 403 "Origin not allowed" without CORS headers for any other ({@link #preflight(Settings, String, String, String)}).
     */
    public static Response preflight(ContainerRequestContext request, Settings settings, String methods,
                                     String requestHeaders) {
        Preflight answer = preflight(settings, request.getHeaderString(ORIGIN), methods, requestHeaders);
        Response.ResponseBuilder builder = answer.refusal() == null ? Response.noContent()
                : Response.fromResponse(ErrorBodies.response(answer.status(), answer.refusal()));
        answer.headers().forEach(header -> builder.header(header[0], header[1]));
        return builder.build();
    }

    /**
     * What a CORS preflight of the client API is answered, whatever serves it (this filter for {@code /client_api},
     * the upstream proxy for the paths below it): {@code Vary: Origin} always; for an allowed origin 204 with
     * {@code Access-Control-Allow-Origin} (the origin), {@code -Allow-Methods}, {@code -Allow-Headers},
     * {@code -Max-Age} ({@value #MAX_AGE_SECS} s) and {@code no-store}; for any other, 403 "Origin not allowed"
     * without CORS headers (the Fetch standard's CORS protocol: the browser then keeps the request from being sent).
     *
     * @param methods        the methods the path answers
     * @param requestHeaders the request headers a page may send ({@link #askedHeaders})
     */
    public static Preflight preflight(Settings settings, String origin, String methods, String requestHeaders) {
        if (!settings.allowedOrigins().permits(origin)) {
            return new Preflight(403, List.<String[]>of(new String[] {HttpHeaders.VARY, ORIGIN}),
                    ClientWsFilter.ORIGIN_NOT_ALLOWED);
        }
        return new Preflight(204, List.of(
                new String[] {HttpHeaders.VARY, ORIGIN},
                new String[] {ALLOW_ORIGIN, origin},
                new String[] {"Access-Control-Allow-Methods", methods},
                new String[] {"Access-Control-Allow-Headers", requestHeaders},
                new String[] {"Access-Control-Max-Age", MAX_AGE_SECS},
                new String[] {HttpHeaders.CACHE_CONTROL, "no-store"}), null);
    }

    /**
     * The preflight's {@code Access-Control-Request-Headers} when it is a comma-separated list of header names
     * (RFC 9110 tokens) of at most 1 KiB, else {@code fallback}: for a path whose headers all travel on (the
     * upstream proxy's), whatever the page asks for is allowed; the credential is a bearer token, never a cookie.
     */
    public static String askedHeaders(String asked, String fallback) {
        return asked != null && asked.length() <= MAX_HEADER_LIST && HEADER_LIST.matcher(asked.trim()).matches()
                ? asked.trim() : fallback;
    }

    /** A preflight's answer: its status, its headers (name, value) in order, and the refusal's detail (null for 204). */
    public record Preflight(int status, List<String[]> headers, String refusal) {
    }

    /**
     * Whether the request is a CORS preflight of the client API, which the filter above answers itself. The method
     * is compared first: every other request pays only that comparison.
     */
    public static boolean isPreflight(ContainerRequestContext request) {
        return HttpMethod.OPTIONS.equals(request.getMethod()) && request.getHeaderString(ORIGIN) != null
                && request.getHeaderString("Access-Control-Request-Method") != null
                && ClientTokenFilter.isClientPath(request);
    }

    /** CORS headers on every answer to a request {@link ClientTokenFilter} guarded (preflights never are). */
    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (!ClientTokenFilter.wasGuarded(request)) {
            return;
        }
        MultivaluedMap<String, Object> headers = response.getHeaders();
        headers.add(HttpHeaders.VARY, ORIGIN);
        String origin = request.getHeaderString(ORIGIN);
        if (origin != null && settings.allowedOrigins().permits(origin)) {
            headers.putSingle(ALLOW_ORIGIN, origin);
            if (!headers.containsKey(EXPOSE)) { // an upstream's answer, passed through, exposes more
                headers.putSingle(EXPOSE, EXPOSE_HEADERS);
            }
        }
    }
}
