package dev.latchkey.stackfloor;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Vetoed;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The floor of Latchkey's stack: what any application built the way Latchkey must be (a CDI bean archive, a JAX-RS
 * {@code ContainerRequestFilter} calling a CDI bean, a WebSocket endpoint, on Payara Micro) costs per request before
 * it does any work of its own. Built as cheaply as Latchkey builds those pieces (a pre-matching filter, a Jersey
 * singleton resource outside CDI, the same Jersey properties, the same Weld context mapping in {@code web.xml}); the
 * filter only checks that an {@code Authorization: Bearer} header is there, and the resource answers fixed bytes the
 * size of Latchkey's. {@code SUBJECT=stack-floor bench/load.sh} measures it against the bare floor.
 */
@ApplicationPath("api/v1")
public class StackFloor extends Application {

    static final byte[] BODY = ("{\"client_id\":\"bench-client\",\"token_id\":\"00000000-0000-0000-0000-000000000000\","
            + "\"issued_at\":\"2026-01-01T00:00:00.000Z\",\"expires_at\":\"2026-01-01T01:00:00.000Z\",\"expires_in\":3599}")
            .getBytes(StandardCharsets.UTF_8);

    @Override
    public Map<String, Object> getProperties() {
        return Map.of("jersey.config.server.response.setStatusOverSendError", true,
                "jersey.config.server.wadl.disableWadl", true);
    }

    /** The CDI bean the filter calls, as Latchkey's filter calls its validator. */
    @ApplicationScoped
    public static class Check {
        public boolean present(String authorization) {
            return authorization != null && authorization.startsWith("Bearer ");
        }
    }

    /** 401 without a bearer credential; nothing else. */
    @Provider
    @PreMatching
    @Priority(Priorities.AUTHENTICATION)
    public static class Guard implements ContainerRequestFilter {

        @Inject
        Check check;

        @Override
        public void filter(ContainerRequestContext request) {
            if (!check.present(request.getHeaderString(HttpHeaders.AUTHORIZATION))) {
                request.abortWith(Response.status(Response.Status.UNAUTHORIZED).build());
            }
        }
    }

    /** The same path as Latchkey's session endpoint, a fixed body. */
    @Vetoed
    @Singleton
    @Path("client_api")
    public static class Session {

        @GET
        @Produces(MediaType.APPLICATION_JSON)
        public byte[] session() {
            return BODY;
        }
    }

    /** Its presence alone puts the WebSocket filter of Tyrus on every path, as in Latchkey. */
    @ServerEndpoint("/api/v1/client_ws")
    public static class Socket {

        @OnMessage
        public String echo(String message) {
            return message;
        }
    }
}
