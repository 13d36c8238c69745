package dev.latchkey.tokens.control;

import dev.latchkey.platform.json.JsonText;
import dev.latchkey.platform.json.Timestamps;

/**
 * The one view of a client's session, written once for both places that show it: {@code GET /client_api}
 * ({@link #rest}) and the socket's {@code session} message ({@link #socket}). Written straight into a
 * {@code StringBuilder} (strings escaped by {@link JsonText}), since the REST answer is on the hot path; every
 * {@code expires_in} is whole seconds left by {@link Timestamps#secondsLeft}.
 */
public final class SessionView {

    private SessionView() {
    }

    /** {@code {"client_id", "token_id", "issued_at", "expires_at", "expires_in"}} as of {@code nowMillis}. */
    public static String rest(ClientPrincipal client, long nowMillis) {
        return write(new StringBuilder(192).append('{'), client, nowMillis, true);
    }

    /** {@code {"type": "session", "client_id", "token_id", "expires_at", "expires_in"}} as of {@code nowMillis}. */
    public static String socket(ClientPrincipal client, long nowMillis) {
        return write(new StringBuilder(192).append("{\"type\":\"session\","), client, nowMillis, false);
    }

    private static String write(StringBuilder json, ClientPrincipal client, long nowMillis, boolean issuedAt) {
        json.append("\"client_id\":");
        JsonText.appendString(json, client.clientId()).append(",\"token_id\":");
        JsonText.appendString(json, client.tokenId());
        if (issuedAt) {
            Timestamps.appendIso(json.append(",\"issued_at\":\""), client.issuedAt()).append('"');
        }
        Timestamps.appendIso(json.append(",\"expires_at\":\""), client.expiresAt()).append("\",\"expires_in\":")
                .append(Timestamps.secondsLeft(client.expiresAt(), nowMillis));
        return json.append('}').toString();
    }
}
