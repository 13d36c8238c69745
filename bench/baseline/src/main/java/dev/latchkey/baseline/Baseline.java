package dev.latchkey.baseline;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.MediaType;

/** The floor for the load benchmark: the same path as Latchkey's session endpoint, a fixed body, no checks. */
@ApplicationPath("api/v1")
public class Baseline extends Application {

    /** About the size of Latchkey's answer. */
    static final String BODY = "{\"client_id\":\"bench-client\",\"token_id\":\"00000000-0000-0000-0000-000000000000\","
            + "\"issued_at\":\"2026-01-01T00:00:00.000Z\",\"expires_at\":\"2026-01-01T01:00:00.000Z\",\"expires_in\":3599}";

    @Path("client_api")
    public static class Session {

        @GET
        @Produces(MediaType.APPLICATION_JSON)
        public String session() {
            return BODY;
        }
    }
}
