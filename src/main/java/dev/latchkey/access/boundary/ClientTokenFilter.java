package dev.latchkey.access.boundary;

import dev.latchkey.limits.control.LimitHits;
import dev.latchkey.limits.control.RateLimits;
import jakarta.ws.rs.core.Response;
import dev.latchkey.tokens.control.ClientAccess;
import dev.latchkey.tokens.control.ClientPrincipal;
import dev.latchkey.tokens.control.TokenMeters;
import dev.latchkey.tokens.control.TokenValidator;
import dev.latchkey.tokens.control.Verdict;
import dev.latchkey.platform.http.BearerCredentials;
import dev.latchkey.platform.http.ClientApiPaths;
import dev.latchkey.platform.http.ErrorBodies;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.PathSegment;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.Provider;

/**
 * Guards every path under {@code /client_api}, existing or not, before any resource is matched: the
 * {@code Authorization} header goes through the one validator; a failure answers with the table's status
 * and detail, a success hands the client principal to the resources ({@link #acceptedClient()}). Only CORS
 * preflights, which never carry a token, are answered before it ({@link ClientCorsFilter}).
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public class ClientTokenFilter implements ContainerRequestFilter {

    public static final String CLIENT_ROOT = ClientApiPaths.SEGMENT;
    /** The client this thread's current request was accepted for (decision D1 in the {@code access} package). */
    private static final ThreadLocal<ClientPrincipal> ACCEPTED = new ThreadLocal<>();

    @Inject
    ClientAccess access;

    @Inject
    TokenMeters meters;

    @Inject
    RateLimits rates;

    /** This filter's validation counters, resolved once: a count is an array index and a LongAdder add. */
    private TokenMeters.Validations counts;

    /** The validator itself, fetched once (decision D4). */
    private TokenValidator validator;

    @PostConstruct
    void init() {
        validator = access.validator();
        counts = meters.validations(TokenMeters.Surface.REST);
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!isClientPath(request)) {
            return;
        }
        Verdict verdict = validator.validateCredential(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        ACCEPTED.set(verdict.principal()); // null when rejected
        counts.count(verdict);
        if (!verdict.isAccepted()) {
            // two headers arrive joined by a comma and never pass; only a refusal looks at why
            if (BearerCredentials.isRepeated(request.getHeaders().get(HttpHeaders.AUTHORIZATION))) {
                request.abortWith(ErrorBodies.response(400, BearerCredentials.AMBIGUOUS));
                return;
            }
            request.abortWith(ErrorBodies.response(verdict.failure().status(), verdict.failure().detail()));
            return;
        }
        RateLimits.Refusal over = rates.admit(verdict.principal().orgId(), verdict.principal().clientId(),
                LimitHits.Hit.RATE_REST);
        if (over != null) {
            request.abortWith(tooManyRequests(over));
        }
    }

    /** 429 "Rate limit exceeded" with {@code Retry-After} and the RateLimit fields ({@link RateLimits}). */
    public static Response tooManyRequests(RateLimits.Refusal over) {
        Response.ResponseBuilder answer = Response.fromResponse(ErrorBodies.response(429, RateLimits.RATE_EXCEEDED));
        over.headers().forEach(header -> answer.header(header[0], header[1]));
        return answer.build();
    }

    /**
     * The accepted client of the request being served; only meaningful in a resource under {@code /client_api},
     * on the thread the resource method was called on.
     */
    public static ClientPrincipal acceptedClient() {
        return ACCEPTED.get();
    }

    /**
     * Whether this filter guarded the request: every request on a client path except the CORS preflights that
     * {@link ClientCorsFilter} answered before it. Worked out again rather than remembered in a request property,
     * which the servlet container stores as a request attribute (two attribute calls per request, measured).
     */
    static boolean wasGuarded(ContainerRequestContext request) {
        return isClientPath(request) && !ClientCorsFilter.isPreflight(request);
    }

    /**
     * Whether the request's path is {@code /client_api} or below it: its first non-empty segment, decoded and
     * without matrix parameters, is {@code client_api}. A path without {@code %} or {@code ;}, the usual case, reads
     * the same decoded, so it is checked as it came (a few character comparisons on the relative path Jersey keeps
     * for its routing); any other path is split into decoded segments.
     */
    public static boolean isClientPath(ContainerRequestContext request) {
        UriInfo uri = request.getUriInfo();
        String path = uri.getPath(false);
        if (path.indexOf('%') < 0 && path.indexOf(';') < 0) {
            return ClientApiPaths.isClientApi(path, 0);
        }
        for (PathSegment segment : uri.getPathSegments()) {
            if (!segment.getPath().isEmpty()) {
                return ClientApiPaths.SEGMENT.equals(segment.getPath());
            }
        }
        return false;
    }
}
