package dev.latchkey.access.boundary;

import dev.latchkey.platform.ErrorBodies;
import dev.latchkey.platform.Settings;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * CORS for the client endpoints only: every path under {@code /api/v1/client_api}, and the browser helper. It runs
 * before JAX-RS, so it sees every answer of those paths, the token filter's 401s included.
 * <ul>
 * <li>A preflight ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method}) from an
 * allowed origin is answered here with 204 and the {@code Access-Control-Allow-*} headers; no token is asked
 * for, since browsers never send one on a preflight. From a disallowed origin it is 403
 * {@code {"detail": "Origin not allowed"}} without any CORS header.</li>
 * <li>Any other request from an allowed origin goes on with {@code Access-Control-Allow-Origin} (the
 * request's origin) and {@code Vary: Origin} already set, so the page can read every answer, errors
 * included. A disallowed origin gets no CORS header: the browser keeps the answer from the page.</li>
 * </ul>
 * The same holds for {@code /latchkey-client.js}, which pages import as a module across origins.
 * Organization and admin endpoints are deliberately not mapped: an org key belongs on a server.
 */
// "/client_api/*" also matches "/client_api" itself; listing both patterns ran the filter twice on that path.
@WebFilter(filterName = "ClientCorsFilter", urlPatterns = {ClientCorsFilter.PATH + "/*", ClientCorsFilter.CLIENT_SCRIPT},
        asyncSupported = true)
public class ClientCorsFilter extends HttpFilter {

    static final String PATH = "/api/v1/" + ClientTokenFilter.CLIENT_ROOT;
    /** The browser helper is imported as an ES module from the org's pages: module imports are CORS requests. */
    static final String CLIENT_SCRIPT = "/latchkey-client.js";
    static final String ALLOW_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE";
    static final String ALLOW_HEADERS = "Authorization, Content-Type";
    static final String EXPOSE_HEADERS = "WWW-Authenticate";
    static final String MAX_AGE_SECS = "600";

    @Inject
    Settings settings;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String origin = request.getHeader("Origin");
        boolean preflight = origin != null && "OPTIONS".equals(request.getMethod())
                && request.getHeader("Access-Control-Request-Method") != null;
        boolean allowed = origin != null && settings.allowedOrigins().permits(origin);
        if (preflight) {
            response.addHeader("Vary", "Origin");
            if (allowed) {
                response.setHeader("Access-Control-Allow-Origin", origin);
                response.setHeader("Access-Control-Allow-Methods", ALLOW_METHODS);
                response.setHeader("Access-Control-Allow-Headers", ALLOW_HEADERS);
                response.setHeader("Access-Control-Max-Age", MAX_AGE_SECS);
                response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            } else {
                response.setStatus(HttpServletResponse.SC_FORBIDDEN);
                response.setContentType("application/json");
                response.setCharacterEncoding(StandardCharsets.UTF_8.name());
                response.getWriter().write(ErrorBodies.json(ClientWsFilter.ORIGIN_NOT_ALLOWED));
            }
            response.setHeader("Cache-Control", "no-store");
            return;
        }
        response.addHeader("Vary", "Origin");
        if (allowed) {
            response.setHeader("Access-Control-Allow-Origin", origin);
            response.setHeader("Access-Control-Expose-Headers", EXPOSE_HEADERS);
        }
        chain.doFilter(request, response);
    }
}
