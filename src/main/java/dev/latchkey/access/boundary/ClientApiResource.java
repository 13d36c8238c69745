package dev.latchkey.access.boundary;

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
public class ClientApiResource {

    private final Clock clock = CDI.current().select(Clock.class).get();

    /**
     * The caller's session: what a client needs to refresh before expiry. Answered as UTF-8 bytes rather than a
     * {@code String}: Jersey writes a {@code String} through a new {@code OutputStreamWriter} and charset encoder
     * for every response, and bytes are copied as they are (about 1 µs less per request, profiled).
     */
    @GET
    public byte[] session() {
        ClientPrincipal client = ClientTokenFilter.acceptedClient();
        StringBuilder json = new StringBuilder(192).append("{\"client_id\":");
        JsonText.appendString(json, client.clientId()).append(",\"token_id\":");
        JsonText.appendString(json, client.tokenId())
                .append(",\"issued_at\":\"");
        Timestamps.appendIso(json, client.issuedAt()).append("\",\"expires_at\":\"");
        Timestamps.appendIso(json, client.expiresAt()).append("\",\"expires_in\":")
                .append(Timestamps.secondsLeft(client.expiresAt(), clock.millis()))
                .append('}');
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }
}
