package dev.latchkey.access.control;

import dev.latchkey.tokens.control.TokenValidator;

/**
 * Where a WebSocket handshake carries its credential: the {@code client_key} query parameter (browsers
 * cannot set headers on a WebSocket), or else an {@code Authorization} header (other clients). The chosen
 * text then goes through {@link TokenValidator#validateCredential(String)} like a REST header.
 */
public final class HandshakeCredentials {

    public static final String CLIENT_KEY = "client_key";

    private HandshakeCredentials() {
    }

    /** The {@code client_key} value when it is present and not blank, otherwise the header (either may be null). */
    public static String choose(String clientKey, String authorizationHeader) {
        if (clientKey != null && !clientKey.isBlank()) {
            return clientKey;
        }
        return authorizationHeader;
    }
}
