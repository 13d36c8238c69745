package dev.latchkey.tokens.control;

import static dev.latchkey.platform.json.JsonFactory.JSON;

import dev.latchkey.platform.json.Timestamps;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * One entry of an organization's revocation feed ({@code docs/revocations.md}). Times are epoch milliseconds.
 *
 * @param seq          the entry's place in its organization's feed (1, 2, 3...); its cursor is this number as text
 * @param tokenId      the revoked token (kind token), or null (kind client)
 * @param issuedBefore kind client: every token of the client whose JWT {@code iat} is before this instant (a whole
 *                     second) is revoked; null for kind token
 * @param expiresAt    kind token: the token's expiry; kind client: when the last token it revoked expires
 */
public record FeedEntry(long seq, String tokenId, String clientId, long revokedAt, Long issuedBefore,
                        long expiresAt) {

    public boolean isClient() {
        return tokenId == null;
    }

    /** The entry as the feed shows it (JSON answer and server-sent event alike). */
    public JsonObject json() {
        JsonObjectBuilder entry = JSON.createObjectBuilder()
                .add("cursor", Long.toString(seq))
                .add("kind", isClient() ? "client" : "token");
        if (!isClient()) {
            entry.add("token_id", tokenId);
        }
        entry.add("client_id", clientId).add("revoked_at", Timestamps.iso(revokedAt));
        return isClient()
                ? entry.add("issued_before", Timestamps.iso(issuedBefore)).build()
                : entry.add("expires_at", Timestamps.iso(expiresAt)).build();
    }
}
