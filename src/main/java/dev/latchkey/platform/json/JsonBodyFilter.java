package dev.latchkey.platform.json;

import dev.latchkey.platform.http.ErrorBodies;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;

/**
 * The media type check of {@link JsonBody} methods, after authentication ({@link Priorities#AUTHENTICATION} runs
 * first): a {@code Content-Type} other than {@code application/json} (parameters such as {@code charset} aside)
 * is 415. A request without one is read as JSON, as before.
 */
@Provider
@JsonBody
@Priority(Priorities.HEADER_DECORATOR)
public class JsonBodyFilter implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        MediaType type = request.getMediaType();
        if (type != null && !(MediaType.APPLICATION_JSON_TYPE.getType().equalsIgnoreCase(type.getType())
                && MediaType.APPLICATION_JSON_TYPE.getSubtype().equalsIgnoreCase(type.getSubtype()))) {
            request.abortWith(ErrorBodies.response(415, ErrorBodies.forStatus(415)));
        }
    }
}
