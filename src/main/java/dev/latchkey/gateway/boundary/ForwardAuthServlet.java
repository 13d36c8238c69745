package dev.latchkey.gateway.boundary;

import dev.latchkey.gateway.control.HopHeaders;
import dev.latchkey.gateway.control.Signing;
import dev.latchkey.gateway.control.TokenMetadata;
import dev.latchkey.limits.control.LimitHits;
import dev.latchkey.limits.control.RateLimits;
import dev.latchkey.platform.http.ApiError;
import dev.latchkey.platform.http.BearerCredentials;
import dev.latchkey.platform.http.ErrorBodies;
import dev.latchkey.tokens.control.ClientAccess;
import dev.latchkey.tokens.control.ClientPrincipal;
import dev.latchkey.tokens.control.TokenMeters;
import dev.latchkey.tokens.control.TokenValidator;
import dev.latchkey.tokens.control.Verdict;
import jakarta.inject.Inject;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;

/**
 * Forward auth for a proxy the organization runs (nginx {@code auth_request}, Traefik ForwardAuth, Envoy
 * {@code ext_authz} in HTTP mode, Caddy {@code forward_auth}): {@code ANY /api/v1/forward_auth} and
 * {@code ANY /api/v1/forward_auth/{path}} (Envoy puts the original path behind the prefix) check the client
 * credential with the one validator and answer 200 with the identity headers and an empty body, or the validation
 * table's 401 and JSON body. The credential is the {@code Authorization} header, or else, for WebSocket handshakes,
 * the {@code client_key} query parameter of the original URI the proxy passes in {@code X-Forwarded-Uri}
 * (Traefik, Caddy) or {@code X-Original-URI} (the nginx convention), or else of this request's own URI (Envoy
 * appends the original path and query to {@code /forward_auth}). Only 200 allows in every one of these
 * proxies; nginx turns any status but 401 and 403 into a 500 of its own.
 *
 * <p>A plain servlet, not a JAX-RS resource, for the reason the upstream proxy is one (decision G6 of the
 * {@code gateway} package): every decision is one request of the organization's proxy, and JAX-RS's matching,
 * request scope and response building cost more than the decision itself ({@code docs/performance.md}). What the
 * JAX-RS providers did for it is done here: errors as JSON ({@link ErrorBodies}), {@code no-store} on every answer.
 */
@WebServlet({"/api/v1/forward_auth", "/api/v1/forward_auth/*"})
public class ForwardAuthServlet extends HttpServlet {

    static final String LOOK_ALIKE = "Header name imitates an identity or forwarding header";
    private static final String PATH = "/api/v1/forward_auth";
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    private static final String ALLOW = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

    @Inject
    ClientAccess access;

    @Inject
    TokenMetadata metadata;

    @Inject
    TokenMeters meters;

    @Inject
    RateLimits rates;

    /** The validator and this surface's counters, resolved once (the servlet is one instance). */
    private TokenValidator validator;
    private TokenMeters.Validations counts;

    @Override
    public void init() throws ServletException {
        validator = access.validator();
        counts = meters.validations(TokenMeters.Surface.FORWARD_AUTH);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        String method = request.getMethod();
        if (!METHODS.contains(method)) {
            response.setHeader("Allow", ALLOW);
            ErrorBodies.write(response, 405, ErrorBodies.forStatus(405));
            return;
        }
        try {
            check(method, request, response);
        } catch (ApiError e) {
            ErrorBodies.write(response, e.status(), e.detail());
        }
    }

    private void check(String method, HttpServletRequest request, HttpServletResponse response) {
        refuseLookAlikes(request);
        Credential credential = credential(request);
        Verdict verdict = validator.validateCredential(credential.text());
        counts.count(verdict);
        if (!verdict.isAccepted()) {
            throw new ApiError(verdict.failure().status(), verdict.failure().detail(credential.fromClientKey()));
        }
        ClientPrincipal client = verdict.principal();
        RateLimits.Refusal over = rates.admit(client.orgId(), client.clientId(), LimitHits.Hit.RATE_FORWARD_AUTH);
        if (over != null) {
            over.headers().forEach(header -> response.setHeader(header[0], header[1]));
            throw new ApiError(429, RateLimits.RATE_EXCEEDED);
        }
        response.setStatus(200);
        for (String[] header : Signing.identity(client, metadata.of(client))) {
            response.setHeader(header[0], header[1]);
        }
        String assertion = access.assertion(client, originalMethod(request, method), originalPath(request));
        if (assertion != null) {
            response.setHeader(Signing.ASSERTION, assertion);
        }
        response.setContentLength(0);
    }

    /** The original request's method: {@code X-Forwarded-Method} (Traefik, Caddy), else this request's (Envoy). */
    private static String originalMethod(HttpServletRequest request, String method) {
        String forwarded = request.getHeader("X-Forwarded-Method");
        return forwarded == null || forwarded.isBlank() ? method : forwarded.strip();
    }

    /**
     * The original request's path, without its query (which may hold a {@code client_key}): from
     * {@code X-Forwarded-Uri}, else {@code X-Original-URI} (as the organization's proxy sets them), else the path behind
     * {@code /forward_auth} as sent (Envoy), else {@code /}.
     */
    private static String originalPath(HttpServletRequest request) {
        String original = request.getHeader("X-Forwarded-Uri");
        if (original == null) {
            original = request.getHeader("X-Original-URI");
        }
        if (original == null) {
            String own = ownPath(request);
            original = own.isEmpty() ? "/" : own;
        }
        int query = original.indexOf('?');
        return query < 0 ? original : original.substring(0, query);
    }

    /** What follows {@code /api/v1/forward_auth} in the path as sent (percent-encoded), or the mapped rest. */
    private static String ownPath(HttpServletRequest request) {
        String uri = request.getRequestURI();
        int start = request.getContextPath().length();
        if (uri.startsWith(PATH, start)) {
            return uri.substring(start + PATH.length());
        }
        String mapped = request.getPathInfo();
        return mapped == null ? "" : mapped;
    }

    /**
     * Refuses a header whose name folds to one Latchkey or a proxy sets ({@code X-Latchkey-*}, {@code Forwarded},
     * {@code X-Forwarded-*}, {@code X-Real-IP}) without being spelled that way, such as {@code X_Latchkey_Client_Id}
     * or {@code X.Forwarded.For}: the proxy asking replaces the exact names with the answer's identity headers,
     * but would pass the look-alike on, and a CGI, WSGI or PHP upstream reads it as the real one (Traefik
     * CVE-2026-39858 and its dot-alias follow-up, Caddy GHSA-f59h-q822-g45g, oauth2-proxy CVE-2025-64484).
     */
    private static void refuseLookAlikes(HttpServletRequest request) {
        Enumeration<String> names = request.getHeaderNames();
        while (names.hasMoreElements()) {
            String name = names.nextElement();
            if (!isPlainName(name)) {
                String folded = HopHeaders.folded(name);
                if (HopHeaders.owned(folded) && !folded.equalsIgnoreCase(name)) {
                    throw ApiError.badRequest(LOOK_ALIKE);
                }
            }
        }
    }

    /** Letters, digits and {@code -} only: a name that folds to itself, ignoring case (no string built). */
    private static boolean isPlainName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /**
     * The one credential of the request; two different ones are refused rather than chosen between, also when
     * they come in two original URIs ({@code X-Forwarded-Uri} and {@code X-Original-URI} naming different
     * {@code client_key}s: a client can add either header to what its proxy sends).
     */
    private static Credential credential(HttpServletRequest request) {
        Enumeration<String> authorization = request.getHeaders("Authorization");
        String header = authorization.hasMoreElements() ? authorization.nextElement() : null;
        if (authorization.hasMoreElements()) {
            throw ApiError.badRequest(BearerCredentials.AMBIGUOUS);
        }
        List<String> originals = new ArrayList<>(2);
        for (String name : new String[] {"X-Forwarded-Uri", "X-Original-URI"}) {
            Enumeration<String> values = request.getHeaders(name);
            while (values.hasMoreElements()) {
                originals.add(values.nextElement());
            }
        }
        if (originals.isEmpty()) { // Envoy: the original query is this request's own
            originals.add(request.getRequestURI() + "?" + request.getQueryString());
        }
        String key = null;
        for (String original : originals) {
            List<String> keys = clientKeys(original);
            if (keys.size() > 1 || (keys.size() == 1 && key != null && !key.equals(keys.get(0)))) {
                throw ApiError.badRequest(BearerCredentials.AMBIGUOUS);
            }
            key = keys.isEmpty() ? key : keys.get(0);
        }
        if (key != null && header != null && !header.equals(key)) {
            throw ApiError.badRequest(BearerCredentials.AMBIGUOUS);
        }
        return header != null ? new Credential(header, false) : new Credential(key, key != null);
    }

    /** The credential to validate and whether it came from a {@code client_key} (a refusal then names it). */
    private record Credential(String text, boolean fromClientKey) {
    }

    /** The {@code client_key} values in the query of an original request URI (path and query, or absolute). */
    static List<String> clientKeys(String originalUri) {
        List<String> keys = new ArrayList<>(1);
        if (originalUri == null) {
            return keys;
        }
        int query = originalUri.indexOf('?');
        if (query < 0) {
            return keys;
        }
        int fragment = originalUri.indexOf('#', query);
        String text = fragment < 0 ? originalUri.substring(query + 1) : originalUri.substring(query + 1, fragment);
        for (String pair : text.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            if ("client_key".equals(decode(name))) {
                keys.add(equals < 0 ? "" : decode(pair.substring(equals + 1)));
            }
        }
        return keys;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("X-Forwarded-Uri is not a valid URI");
        }
    }
}
