package dev.latchkey.access.boundary;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import dev.latchkey.tokens.control.ClientPrincipal;
import dev.latchkey.platform.JsonText;
import dev.latchkey.platform.Timestamps;
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
 * The client REST API; every request here already passed {@link ClientTokenFilter}. One instance serves every
 * request (it holds no request state), and Jersey fetches it for every request, so how it is managed is on the hot
 * path (measured, {@code docs/performance.md}):
 * <ul>
 * <li>as a CDI bean, {@code @ApplicationScoped}: an HK2 lookup, Jersey's CDI supplier and Weld's client proxy;</li>
 * <li>as a CDI bean without scope: created through CDI for every request (about 12 µs);</li>
 * <li>here, {@code @Vetoed} for CDI and {@code @Singleton} for Jersey: Jersey's own injection manager keeps the one
 * instance, the shortest lookup short of the deprecated {@code Application.getSingletons()}.</li>
 * </ul>
 * Not being a CDI bean, it gets nothing injected by CDI: it takes the service's clock from CDI once, when Jersey
 * creates it.
 */
@Vetoed
@Singleton
@Path(ClientTokenFilter.CLIENT_ROOT)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "clients")
@SecurityRequirement(name = "clientToken")
public class ClientApiResource {

    private final Clock clock = CDI.current().select(Clock.class).get();

    /**
     * The caller's session: what a client needs to refresh before expiry. Answered as UTF-8 bytes rather than a
     * {@code String}: Jersey writes a {@code String} through a new {@code OutputStreamWriter} and charset encoder
     * for every response, and bytes are copied as they are (about 1 µs less per request, profiled).
     */
    @GET
    @Operation(summary = "The caller's session: what a client needs to refresh before expiry")
    @APIResponse(responseCode = "200", description = "The session",
            content = @Content(mediaType = "application/json", example = "{\"client_id\": \"user-42\", \"token_id\": \"...\", \"issued_at\": \"...\", \"expires_at\": \"...\", \"expires_in\": 3599}"))
    @APIResponse(responseCode = "401", ref = "ClientUnauthorized")
    @APIResponse(responseCode = "500", ref = "ValidationError")
    public byte[] session() {
        ClientPrincipal client = ClientTokenFilter.acceptedClient();
        long remainingMillis = Math.max(0, client.expiresAt() - clock.millis());
        StringBuilder json = new StringBuilder(192).append("{\"client_id\":");
        JsonText.appendString(json, client.clientId()).append(",\"token_id\":");
        JsonText.appendString(json, client.tokenId())
                .append(",\"issued_at\":\"");
        Timestamps.appendIso(json, client.issuedAt()).append("\",\"expires_at\":\"");
        Timestamps.appendIso(json, client.expiresAt()).append("\",\"expires_in\":").append(remainingMillis / 1000)
                .append('}');
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }
}
