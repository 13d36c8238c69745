package dev.latchkey.access.boundary;

import dev.latchkey.platform.config.Settings;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * CORS for the browser helper {@code /latchkey-client.js}: pages on the org's origins import it as an ES module,
 * and module imports are CORS requests (plain GETs, never preflighted). An allowed origin gets
 * {@code Access-Control-Allow-Origin}; any other gets no CORS header. The client API's CORS is
 * {@link ClientCorsFilter}.
 */
@WebFilter(filterName = "ClientScriptCorsFilter", urlPatterns = ClientScriptCorsFilter.CLIENT_SCRIPT,
        asyncSupported = true)
public class ClientScriptCorsFilter extends HttpFilter {

    static final String CLIENT_SCRIPT = "/latchkey-client.js";

    @Inject
    Settings settings;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String origin = request.getHeader(ClientCorsFilter.ORIGIN);
        response.addHeader("Vary", ClientCorsFilter.ORIGIN);
        if (origin != null && settings.allowedOrigins().permits(origin)) {
            response.setHeader(ClientCorsFilter.ALLOW_ORIGIN, origin);
        }
        chain.doFilter(request, response);
    }
}
