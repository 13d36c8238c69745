package dev.latchkey.orgs.boundary;

import dev.latchkey.platform.http.BearerCredentials;
import dev.latchkey.orgs.control.OrgPrincipal;
import dev.latchkey.orgs.control.OrgKeys;
import dev.latchkey.platform.http.BearerSecurityContext;
import dev.latchkey.platform.http.ErrorBodies;
import dev.latchkey.platform.operations.NodeName;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.util.Optional;

/**
 * Authenticates org endpoints by their {@code Authorization: Bearer fl-...} key. A client JWT here is just
 * an unknown key.
 */
@Provider
@OrgAuthenticated
@Priority(Priorities.AUTHENTICATION)
public class OrgKeyFilter implements ContainerRequestFilter, ContainerResponseFilter {

    static final String INVALID_KEY = "Invalid API key";

    @Inject
    OrgKeys orgKeys;

    @Inject
    NodeName nodeName;

    @Context
    HttpServletRequest servletRequest;

    @Override
    public void filter(ContainerRequestContext request) {
        if (BearerCredentials.isRepeated(request.getHeaders().get(HttpHeaders.AUTHORIZATION))) {
            request.abortWith(ErrorBodies.response(400, BearerCredentials.AMBIGUOUS));
            return;
        }
        BearerCredentials.Extracted extracted =
                BearerCredentials.extract(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (extracted.problem() != null) {
            request.abortWith(ErrorBodies.response(401, extracted.problem().detail()));
            return;
        }
        Optional<OrgPrincipal> org = orgKeys.authenticate(extracted.token());
        if (org.isEmpty()) {
            request.abortWith(ErrorBodies.response(401, INVALID_KEY));
            return;
        }
        OrgPrincipal principal = org.get();
        request.setSecurityContext(new BearerSecurityContext(principal, request.getSecurityContext().isSecure()));
        nodeName.accepted(request, servletRequest.getLocalPort());
    }

    /** Names the node that answered, on every answer to a request whose key was accepted ({@link NodeName}). */
    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        NodeName.answer(request, response);
    }
}
