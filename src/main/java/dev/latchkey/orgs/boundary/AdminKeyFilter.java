package dev.latchkey.orgs.boundary;

import dev.latchkey.platform.http.BearerCredentials;
import dev.latchkey.orgs.control.ApiKeys;
import dev.latchkey.platform.http.ErrorBodies;
import dev.latchkey.platform.config.Settings;
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
 * Guards the admin API. Without {@code LATCHKEY_ADMIN_KEY} the API does not exist (404); with it, only
 * {@code Bearer <admin key>} passes, compared in constant time (as SHA-256 digests, so lengths leak nothing).
 * Org keys and client tokens are just wrong admin keys here.
 */
@Provider
@AdminAuthenticated
@Priority(Priorities.AUTHENTICATION)
public class AdminKeyFilter implements ContainerRequestFilter, ContainerResponseFilter {

    static final String INVALID_ADMIN_KEY = "Invalid admin key";

    @Inject
    Settings settings;

    @Inject
    NodeName nodeName;

    @Context
    HttpServletRequest servletRequest;

    @Override
    public void filter(ContainerRequestContext request) {
        Optional<String> adminKey = settings.adminKey();
        if (adminKey.isEmpty()) {
            request.abortWith(ErrorBodies.response(404, ErrorBodies.forStatus(404)));
            return;
        }
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
        if (!ApiKeys.sameHash(ApiKeys.hash(adminKey.get()), ApiKeys.hash(extracted.token()))) {
            request.abortWith(ErrorBodies.response(401, INVALID_ADMIN_KEY));
            return;
        }
        nodeName.accepted(request, servletRequest.getLocalPort());
    }

    /** Names the node that answered, on every answer to a request whose key was accepted ({@link NodeName}). */
    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        NodeName.answer(request, response);
    }
}
