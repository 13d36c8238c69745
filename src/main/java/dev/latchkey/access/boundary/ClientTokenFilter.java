package dev.latchkey.access.boundary;

import dev.latchkey.access.control.ClientAccess;
import dev.latchkey.access.control.ClientPrincipal;
import dev.latchkey.access.control.Verdict;
import dev.latchkey.platform.BearerSecurityContext;
import dev.latchkey.platform.ErrorBodies;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.PathSegment;
import jakarta.ws.rs.ext.Provider;

/**
 * Guards every path under {@code /client_api}, existing or not, before any resource is matched: the
 * {@code Authorization} header goes through the one validator; a failure answers with the table's status
 * and detail, a success installs the client principal.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public class ClientTokenFilter implements ContainerRequestFilter {

    static final String CLIENT_ROOT = "client_api";

    @Inject
    ClientAccess access;

    @Override
    public void filter(ContainerRequestContext request) {
        if (!isClientPath(request)) {
            return;
        }
        Verdict verdict = access.validator().validateCredential(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (!verdict.isAccepted()) {
            request.abortWith(ErrorBodies.response(verdict.failure().status(), verdict.failure().detail()));
            return;
        }
        ClientPrincipal principal = verdict.principal();
        request.setSecurityContext(new BearerSecurityContext(principal, request.getSecurityContext().isSecure()));
    }

    private static boolean isClientPath(ContainerRequestContext request) {
        for (PathSegment segment : request.getUriInfo().getPathSegments()) {
            if (!segment.getPath().isEmpty()) {
                return CLIENT_ROOT.equals(segment.getPath());
            }
        }
        return false;
    }
}
