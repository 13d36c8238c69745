package dev.latchkey.access.boundary;

import dev.latchkey.platform.ErrorBodies;
import dev.latchkey.platform.Settings;
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
     * 403 "Origin not allowed" without CORS headers for any other.
     */
    public static Response preflight(ContainerRequestContext request, Settings settings, String methods,
                                     String requestHeaders) {
        String origin = request.getHeaderString(ORIGIN);
        if (!settings.allowedOrigins().permits(origin)) {
            Response refused = ErrorBodies.response(Response.Status.FORBIDDEN.getStatusCode(),
                    ClientWsFilter.ORIGIN_NOT_ALLOWED);
            refused.getHeaders().add(HttpHeaders.VARY, ORIGIN);
            return refused;
        }
        return Response.noContent()
                .header(HttpHeaders.VARY, ORIGIN)
                .header(ALLOW_ORIGIN, origin)
                .header("Access-Control-Allow-Methods", methods)
                .header("Access-Control-Allow-Headers", requestHeaders)
                .header("Access-Control-Max-Age", MAX_AGE_SECS)
                .build();
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
