package dev.latchkey.gateway.boundary;

import dev.latchkey.access.boundary.ClientTokenFilter;
import dev.latchkey.limits.control.LimitHits;
import dev.latchkey.limits.control.RateLimits;
import dev.latchkey.gateway.control.HopHeaders;
import dev.latchkey.gateway.control.Signing;
import dev.latchkey.gateway.control.TokenMetadata;
import dev.latchkey.platform.ApiError;
import dev.latchkey.platform.BearerCredentials;
import dev.latchkey.tokens.control.ClientAccess;
import dev.latchkey.tokens.control.TokenMeters;
import dev.latchkey.tokens.control.TokenValidator;
import dev.latchkey.tokens.control.Verdict;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Forward auth for a proxy the organization runs (nginx {@code auth_request}, Traefik ForwardAuth, Envoy
 * {@code ext_authz} in HTTP mode, Caddy {@code forward_auth}): {@code ANY /forward_auth} and
 * {@code ANY /forward_auth/{path}} (Envoy puts the original path behind the prefix) check the client credential
 * with the one validator and answer 200 with the identity headers and an empty body, or the validation table's
 * 401 and JSON body. The credential is the {@code Authorization} header, or else, for WebSocket handshakes,
 * the {@code client_key} query parameter of the original URI the proxy passes in {@code X-Forwarded-Uri}
 * (Traefik, Caddy) or {@code X-Original-URI} (the nginx convention), or else of this request's own URI (Envoy
 * appends the original path and query to {@code /forward_auth}). Only 200 allows in every one of these
 * proxies; nginx turns any status but 401 and 403 into a 500 of its own.
 */
@ApplicationScoped
@Path("forward_auth{path: (/.*)?}")
public class ForwardAuthResource {

    static final String LOOK_ALIKE = "Header name imitates an identity or forwarding header";

    @Inject
    ClientAccess access;

    @Inject
    TokenMetadata metadata;

    @Inject
    TokenMeters meters;

    @Inject
    RateLimits rates;

    /** The validator and this surface's counters, resolved once (the resource is one instance). */
    private TokenValidator validator;
    private TokenMeters.Validations counts;

    @PostConstruct
    void init() {
        validator = access.validator();
        counts = meters.validations(TokenMeters.Surface.FORWARD_AUTH);
    }

    @GET
    public Response get(@Context HttpHeaders headers, @Context UriInfo uri) {
        return check("GET", headers, uri);
    }

    @HEAD
    public Response head(@Context HttpHeaders headers, @Context UriInfo uri) {
        return check("HEAD", headers, uri);
    }

    @POST
    public Response post(@Context HttpHeaders headers, @Context UriInfo uri) {
        return check("POST", headers, uri);
    }

    @PUT
    public Response put(@Context HttpHeaders headers, @Context UriInfo uri) {
        return check("PUT", headers, uri);
    }

    @PATCH
    public Response patch(@Context HttpHeaders headers, @Context UriInfo uri) {
        return check("PATCH", headers, uri);
    }

    @DELETE
    public Response delete(@Context HttpHeaders headers, @Context UriInfo uri) {
        return check("DELETE", headers, uri);
    }

    @OPTIONS
    public Response options(@Context HttpHeaders headers, @Context UriInfo uri) {
        return check("OPTIONS", headers, uri);
    }

    private Response check(String method, HttpHeaders headers, UriInfo uri) {
        refuseLookAlikes(headers);
        Credential credential = credential(headers, uri);
        Verdict verdict = validator.validateCredential(credential.text());
        counts.count(verdict);
        if (!verdict.isAccepted()) {
            throw new ApiError(verdict.failure().status(), verdict.failure().detail(credential.fromClientKey()));
        }
        RateLimits.Refusal over = rates.admit(verdict.principal().orgId(), verdict.principal().clientId(),
                LimitHits.Hit.RATE_FORWARD_AUTH);
        if (over != null) {
            return ClientTokenFilter.tooManyRequests(over);
        }
        Response.ResponseBuilder allowed = Response.ok();
        for (String[] header : Signing.identity(verdict.principal(), metadata.of(verdict.principal()))) {
            allowed.header(header[0], header[1]);
        }
        String assertion = access.assertion(verdict.principal(), originalMethod(headers, method),
                originalPath(headers, uri));
        if (assertion != null) {
            allowed.header(Signing.ASSERTION, assertion);
        }
        return allowed.build();
    }

    /** The original request's method: {@code X-Forwarded-Method} (Traefik, Caddy), else this request's (Envoy). */
    private static String originalMethod(HttpHeaders headers, String method) {
        String forwarded = headers.getHeaderString("X-Forwarded-Method");
        return forwarded == null || forwarded.isBlank() ? method : forwarded.strip();
    }

    /**
     * The original request's path, without its query (which may hold a {@code client_key}): from
     * {@code X-Forwarded-Uri}, else {@code X-Original-URI} (as the organization's proxy sets them), else the path behind
     * {@code /forward_auth} (Envoy), else {@code /}.
     */
    private static String originalPath(HttpHeaders headers, UriInfo uri) {
        String original = headers.getHeaderString("X-Forwarded-Uri");
        if (original == null) {
            original = headers.getHeaderString("X-Original-URI");
        }
        if (original == null) {
            String own = uri.getPathParameters(false).getFirst("path");
            original = own == null || own.isEmpty() ? "/" : own;
        }
        int query = original.indexOf('?');
        return query < 0 ? original : original.substring(0, query);
    }

    /**
     * Refuses a header whose name folds to one Latchkey or a proxy sets ({@code X-Latchkey-*}, {@code Forwarded},
     * {@code X-Forwarded-*}, {@code X-Real-IP}) without being spelled that way, such as {@code X_Latchkey_Client_Id}
     * or {@code X.Forwarded.For}: the proxy asking replaces the exact names with the answer's identity headers,
     * but would pass the look-alike on, and a CGI, WSGI or PHP upstream reads it as the real one (Traefik
     * CVE-2026-39858 and its dot-alias follow-up, Caddy GHSA-f59h-q822-g45g, oauth2-proxy CVE-2025-64484).
     */
    private static void refuseLookAlikes(HttpHeaders headers) {
        for (String name : headers.getRequestHeaders().keySet()) {
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
    private static Credential credential(HttpHeaders headers, UriInfo uri) {
        List<String> authorization = headers.getRequestHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.size() > 1) {
            throw ApiError.badRequest(BearerCredentials.AMBIGUOUS);
        }
        String header = authorization == null || authorization.isEmpty() ? null : authorization.get(0);
        Set<String> originals = new LinkedHashSet<>();
        for (String name : List.of("X-Forwarded-Uri", "X-Original-URI")) {
            List<String> values = headers.getRequestHeader(name);
            if (values != null) {
                originals.addAll(values);
            }
        }
        if (originals.isEmpty()) {
            originals.add(uri.getRequestUri().getRawPath() + "?" + uri.getRequestUri().getRawQuery()); // Envoy
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
