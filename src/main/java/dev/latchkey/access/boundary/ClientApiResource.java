package dev.latchkey.access.boundary;

import static dev.latchkey.platform.JsonFactory.JSON;

import dev.latchkey.access.control.ClientPrincipal;
import dev.latchkey.platform.Timestamps;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Clock;

/**
 * The client REST API; every request here already passed {@link ClientTokenFilter}. One instance serves every
 * request (it holds no request state), so the hot path creates and injects no resource object.
 */
@ApplicationScoped
@Path(ClientTokenFilter.CLIENT_ROOT)
@Produces(MediaType.APPLICATION_JSON)
public class ClientApiResource {

    @Inject
    Clock clock;

    /** The caller's session: what a client needs to refresh before expiry. */
    @GET
    public JsonObject session(@Context SecurityContext security) {
        ClientPrincipal client = (ClientPrincipal) security.getUserPrincipal();
        long remainingMillis = Math.max(0, client.expiresAt() - clock.millis());
        return JSON.createObjectBuilder()
                .add("client_id", client.clientId())
                .add("token_id", client.tokenId())
                .add("issued_at", Timestamps.iso(client.issuedAt()))
                .add("expires_at", Timestamps.iso(client.expiresAt()))
                .add("expires_in", remainingMillis / 1000)
                .build();
    }
}
