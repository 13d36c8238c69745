package dev.latchkey.access.boundary;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import dev.latchkey.tokens.control.SessionView;
import jakarta.enterprise.inject.Vetoed;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * The client REST API: {@code GET /client_api} answers the caller's session; every request here already passed
 * {@link ClientTokenFilter}. One Jersey singleton, not a CDI bean (decision D2 in the {@code access} package).
 */
@Vetoed
@Singleton
@Path(ClientTokenFilter.CLIENT_ROOT)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "clients")
@SecurityRequirement(name = "clientToken")
public class ClientApiResource {

    private final Clock clock = CDI.current().select(Clock.class).get();

    /** The caller's session: what a client needs to refresh before expiry, as UTF-8 bytes (decision D3). */
    @GET
    @Operation(summary = "The caller's session: what a client needs to refresh before expiry")
    @APIResponse(responseCode = "200", description = "The session",
            content = @Content(mediaType = "application/json", example = "{\"client_id\": \"user-42\", \"token_id\": \"...\", \"issued_at\": \"...\", \"expires_at\": \"...\", \"expires_in\": 3599}"))
    @APIResponse(responseCode = "401", ref = "ClientUnauthorized")
    @APIResponse(responseCode = "429", ref = "RateLimited")
    @APIResponse(responseCode = "500", ref = "ValidationError")
    public byte[] session() {
        return SessionView.rest(ClientTokenFilter.acceptedClient(), clock.millis()).getBytes(StandardCharsets.UTF_8);
    }
}
