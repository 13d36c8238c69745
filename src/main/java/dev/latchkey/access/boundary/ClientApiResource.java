package dev.latchkey.access.boundary;

import dev.latchkey.access.control.ClientPrincipal;
import dev.latchkey.platform.JsonText;
import dev.latchkey.platform.Timestamps;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;

/**
 * The client REST API; every request here already passed {@link ClientTokenFilter}. One instance serves every
 * request (it holds no request state). {@code @Singleton}, a pseudo-scope, rather than {@code @ApplicationScoped}:
 * Jersey fetches it on every request, and the normal scope cost a longer lookup plus a call through Weld's client
 * proxy (about 1 µs more, measured); a resource without any scope is even created through CDI for each request
 * (about 12 µs; {@code docs/performance.md}).
 */
@Singleton
@Path(ClientTokenFilter.CLIENT_ROOT)
@Produces(MediaType.APPLICATION_JSON)
public class ClientApiResource {

    @Inject
    Clock clock;

    /** The caller's session: what a client needs to refresh before expiry. */
    @GET
    public String session() {
        ClientPrincipal client = ClientTokenFilter.acceptedClient();
        long remainingMillis = Math.max(0, client.expiresAt() - clock.millis());
        StringBuilder json = new StringBuilder(192).append("{\"client_id\":");
        JsonText.appendString(json, client.clientId()).append(",\"token_id\":");
        JsonText.appendString(json, client.tokenId())
                .append(",\"issued_at\":\"");
        Timestamps.appendIso(json, client.issuedAt()).append("\",\"expires_at\":\"");
        Timestamps.appendIso(json, client.expiresAt()).append("\",\"expires_in\":").append(remainingMillis / 1000)
                .append('}');
        return json.toString();
    }
}
