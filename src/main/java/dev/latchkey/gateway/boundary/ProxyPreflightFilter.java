package dev.latchkey.gateway.boundary;

import dev.latchkey.access.boundary.ClientCorsFilter;
import dev.latchkey.access.boundary.ClientTokenFilter;
import dev.latchkey.platform.Settings;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;
import java.util.regex.Pattern;

/**
 * CORS preflights of the proxied paths ({@code /client_api/...}, not {@code /client_api} itself): the methods the
 * proxy forwards, and whatever request headers the page asks for (they go to the upstream; the credential is a
 * bearer token, never a cookie). Runs before {@link ClientCorsFilter}, which answers the session path's own.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION - 20)
public class ProxyPreflightFilter implements ContainerRequestFilter {

    static final String METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
    private static final String DEFAULT_HEADERS = "Authorization, Content-Type";
    /** A comma-separated list of header names (RFC 9110 tokens), of a sane length. */
    private static final Pattern HEADER_LIST = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+(\\s*,\\s*[!#$%&'*+.^_`|~0-9A-Za-z-]+)*");
    private static final int MAX_HEADER_LIST = 1024;

    @Inject
    Settings settings;

    @Override
    public void filter(ContainerRequestContext request) {
        if (!ClientCorsFilter.isPreflight(request) || isSessionPath(request.getUriInfo().getPath(false))) {
            return;
        }
        String asked = request.getHeaderString("Access-Control-Request-Headers");
        String allowed = asked != null && asked.length() <= MAX_HEADER_LIST && HEADER_LIST.matcher(asked.trim()).matches()
                ? asked.trim() : DEFAULT_HEADERS;
        request.abortWith(ClientCorsFilter.preflight(request, settings, METHODS, allowed));
    }

    /** {@code client_api} alone (with or without slashes around it), relative to {@code /api/v1/}. */
    static boolean isSessionPath(String path) {
        String trimmed = path.replaceAll("^/+|/+$", "");
        return trimmed.equals(ClientTokenFilter.CLIENT_ROOT);
    }
}
