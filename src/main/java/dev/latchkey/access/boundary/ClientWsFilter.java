package dev.latchkey.access.boundary;

import dev.latchkey.limits.control.SocketLimits;
import dev.latchkey.tokens.control.ClientAccess;
import dev.latchkey.tokens.control.ClientPrincipal;
import dev.latchkey.access.control.HandshakeCredentials;
import dev.latchkey.tokens.control.TokenMeters;
import dev.latchkey.access.control.WebSocketHandshake;
import dev.latchkey.tokens.control.Verdict;
import dev.latchkey.platform.http.BearerCredentials;
import dev.latchkey.platform.http.ErrorBodies;
import dev.latchkey.platform.config.Settings;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.Collections;

/**
 * Guards the WebSocket handshake of {@code /client_ws} before the upgrade: the servlet container runs this
 * filter ahead of the WebSocket runtime's own filter, so a refusal is a plain HTTP answer with the table's
 * status and JSON body, and no socket is ever opened. Checks the {@code Origin} against
 * {@code LATCHKEY_ALLOWED_ORIGINS}, then the credential ({@code client_key} or {@code Authorization}) with the
 * one validator; a valid request continues with the client principal as its user principal, which the
 * WebSocket runtime hands to {@link ClientWsConfigurator}. Every request to the path is guarded, upgrade or
 * not: after the credential (an unauthenticated caller learns nothing more), a request that is not a well-formed
 * RFC 6455 handshake gets a JSON 400, or 426 when it is no upgrade or asks for another protocol version
 * ({@link WebSocketHandshake}). Never logs the query string or the credential.
 */
@WebFilter(filterName = "ClientWsFilter", urlPatterns = ClientWsEndpoint.PATH + "/*", asyncSupported = true)
public class ClientWsFilter extends HttpFilter {

    @Inject
    TokenMeters meters;

    public static final String ORIGIN_NOT_ALLOWED = "Origin not allowed";

    @Inject
    ClientAccess access;

    @Inject
    Settings settings;

    @Inject
    SocketLimits socketLimits;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!settings.allowedOrigins().permits(request.getHeader("Origin"))) {
            refuse(response, HttpServletResponse.SC_FORBIDDEN, ORIGIN_NOT_ALLOWED);
            return;
        }
        HandshakeCredentials.Choice choice = HandshakeCredentials.choose(
                request.getParameterValues(HandshakeCredentials.CLIENT_KEY),
                Collections.list(request.getHeaders("Authorization")));
        if (choice.ambiguous()) {
            refuse(response, HttpServletResponse.SC_BAD_REQUEST, BearerCredentials.AMBIGUOUS);
            return;
        }
        Verdict verdict = access.validator().validateCredential(choice.credential());
        meters.validations(TokenMeters.Surface.WEBSOCKET_HANDSHAKE).count(verdict);
        if (!verdict.isAccepted()) {
            refuse(response, verdict.failure().status(), verdict.failure().detail(choice.fromClientKey()));
            return;
        }
        String broken = WebSocketHandshake.problem(request.getMethod(), request::getHeader);
        if (broken != null) {
            if (WebSocketHandshake.needsUpgrade(broken)) {
                // no Upgrade header on the 426: Grizzly takes any answer carrying one for a switch of protocols
                // and then sends the body without Content-Type and Content-Length
                response.setHeader(WebSocketHandshake.VERSION, WebSocketHandshake.SUPPORTED_VERSION);
                refuse(response, WebSocketHandshake.UPGRADE_REQUIRED, broken);
            } else {
                refuse(response, HttpServletResponse.SC_BAD_REQUEST, broken);
            }
            return;
        }
        if (socketLimits.refuses(verdict.principal().orgId(), verdict.principal().clientId())) {
            refuse(response, 429, SocketLimits.TOO_MANY);
            return;
        }
        chain.doFilter(new Authenticated(request, verdict.principal()), response);
    }

    private static void refuse(HttpServletResponse response, int status, String detail) throws IOException {
        ErrorBodies.write(response, status, detail);
    }

    /** The handshake request as authenticated by this filter. */
    private static final class Authenticated extends HttpServletRequestWrapper {

        private final ClientPrincipal principal;

        Authenticated(HttpServletRequest request, ClientPrincipal principal) {
            super(request);
            this.principal = principal;
        }

        @Override
        public Principal getUserPrincipal() {
            return principal;
        }

        @Override
        public String getAuthType() {
            return "Bearer";
        }
    }
}
