package dev.latchkey.access.boundary;

import dev.latchkey.tokens.control.ClientAccess;
import dev.latchkey.tokens.control.ClientPrincipal;
import dev.latchkey.access.control.HandshakeCredentials;
import dev.latchkey.tokens.control.TokenValidator;
import dev.latchkey.tokens.control.TokenFailure;
import dev.latchkey.tokens.control.Verdict;
import dev.latchkey.platform.config.Settings;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Hands the handshake's verdict to {@link ClientWsEndpoint} through the connection's user properties.
 *
 * <p>Normally {@link ClientWsFilter} has already validated the credential and refused failures with the
 * table's HTTP answer; its {@link ClientPrincipal} arrives here as the handshake's user principal and is used
 * as is, so a handshake costs one validation. If no client principal arrived (a container that does not pass
 * the filtered request on, or a path the filter mapping missed), the credential is validated here again with
 * the same validator, and a failure is then reported by the endpoint as a 4401 close right after the upgrade.
 * {@link #checkOrigin} applies the same origin rule as the filter.
 */
public class ClientWsConfigurator extends ServerEndpointConfig.Configurator {

    private static final Logger LOG = Logger.getLogger(ClientWsConfigurator.class.getName());

    /** The user property holding the handshake's {@link Verdict}. */
    static final String VERDICT = ClientWsConfigurator.class.getName() + ".verdict";

    @Override
    public boolean checkOrigin(String originHeaderValue) {
        return bean(Settings.class).allowedOrigins().permits(originHeaderValue);
    }

    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        config.getUserProperties().put(VERDICT, verdictOf(request, () -> bean(ClientAccess.class).validator()));
    }

    static Verdict verdictOf(HandshakeRequest request, Supplier<TokenValidator> validator) {
        if (request.getUserPrincipal() instanceof ClientPrincipal principal) {
            return Verdict.accepted(principal);
        }
        LOG.fine("A handshake arrived without the filter's client principal: validating its credential here");
        HandshakeCredentials.Choice choice = HandshakeCredentials.choose(
                all(request.getParameterMap(), HandshakeCredentials.CLIENT_KEY, false).toArray(String[]::new),
                all(request.getHeaders(), "Authorization", true));
        if (choice.ambiguous()) {
            return Verdict.rejected(TokenFailure.INVALID_FORMAT); // never accepted; the filter answers it properly
        }
        return validator.get().validateCredential(choice.credential());
    }

    private static List<String> all(Map<String, List<String>> values, String name, boolean ignoreCase) {
        List<String> found = new ArrayList<>();
        if (values != null) {
            for (Map.Entry<String, List<String>> entry : values.entrySet()) {
                boolean matches = ignoreCase ? name.equalsIgnoreCase(entry.getKey()) : name.equals(entry.getKey());
                if (matches && entry.getValue() != null) {
                    found.addAll(entry.getValue());
                }
            }
        }
        return found;
    }

    private static <T> T bean(Class<T> type) {
        return CDI.current().select(type).get();
    }
}
