package dev.latchkey.access.control;

import dev.latchkey.platform.http.BearerCredentials;
import dev.latchkey.tokens.control.TokenValidator;
import java.util.List;

/**
 * Where a WebSocket handshake carries its credential: the {@code client_key} query parameter (browsers
 * cannot set headers on a WebSocket), or else an {@code Authorization} header (other clients). The chosen
 * text then goes through {@link TokenValidator#validateCredential(String)} like a REST header.
 *
 * <p>A handshake that carries more than one credential is ambiguous and refused, never guessed at: two
 * {@code client_key} parameters, two {@code Authorization} headers, or a {@code client_key} and an
 * {@code Authorization} header that differ. Different parsers in a chain (a proxy, the org's gateway, this
 * service) could otherwise each pick a different one. The refusal is {@link BearerCredentials#AMBIGUOUS}, the text
 * of every surface.
 */
public final class HandshakeCredentials {

    public static final String CLIENT_KEY = "client_key";

    private HandshakeCredentials() {
    }

    /**
     * The credential to validate, or {@link #ambiguous()} (then {@link #credential()} is null); {@code fromClientKey}
     * when it is the {@code client_key} parameter's value (a refusal then names the parameter).
     */
    public record Choice(String credential, boolean ambiguous, boolean fromClientKey) {
    }

    /**
     * The one credential of a handshake: the {@code client_key} value when it is present and not blank, otherwise
     * the header; either may be absent.
     *
     * @param clientKeys every {@code client_key} parameter value (null or empty when there is none)
     * @param authorizationHeaders every {@code Authorization} header value (empty when there is none)
     */
    public static Choice choose(String[] clientKeys, List<String> authorizationHeaders) {
        if ((clientKeys != null && clientKeys.length > 1) || authorizationHeaders.size() > 1) {
            return new Choice(null, true, false);
        }
        String clientKey = clientKeys == null || clientKeys.length == 0 ? null : clientKeys[0];
        String header = authorizationHeaders.isEmpty() ? null : authorizationHeaders.get(0);
        if (clientKey != null && !clientKey.isBlank()) {
            if (header != null && !header.isBlank() && !header.equals(clientKey)) {
                return new Choice(null, true, false);
            }
            return new Choice(clientKey, false, true);
        }
        return new Choice(header, false, false);
    }
}
