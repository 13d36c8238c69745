package dev.latchkey.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Browser-facing security headers, after the OWASP Secure Headers Project. Every answer carries
 * {@code X-Content-Type-Options: nosniff}, so a browser never reads a JSON error or a token as HTML or script.
 * The org console ({@code /console/}, a page that holds an org key in memory) and the browser helper
 * {@code /latchkey-client.js} also carry a strict {@code Content-Security-Policy} (scripts, styles and connections
 * from this origin only, no inline code, no framing) and {@code Referrer-Policy: no-referrer}.
 */
@WebFilter(filterName = "SecurityHeadersFilter", urlPatterns = "/*", asyncSupported = true)
public class SecurityHeadersFilter extends HttpFilter {

    /** The console's policy: nothing but this origin's own files and API, never inline code, never in a frame. */
    public static final String CONSOLE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        response.setHeader("X-Content-Type-Options", "nosniff");
        // the servlet path, kept by the container: no string is built per request (the API's is "/api/v1")
        String path = request.getServletPath();
        if (path.equals("/console") || path.startsWith("/console/") || path.equals("/latchkey-client.js")) {
            response.setHeader("Content-Security-Policy", CONSOLE_POLICY);
            response.setHeader("Referrer-Policy", "no-referrer");
        }
        chain.doFilter(request, response);
    }
}
