package dev.latchkey.tokens.control;

import dev.latchkey.platform.http.ApiError;
import dev.latchkey.platform.json.JsonBodies;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * The org endpoints' input rules, as plain functions: each returns a valid request or throws a 400 whose
 * detail names the field. Nothing is created or changed before these pass.
 */
public final class TokenRequests {

    public static final int MAX_CLIENT_ID_LENGTH = 255;
    /** Token ids are UUIDs; the bound only keeps a listing's parameter short. */
    static final int MAX_TOKEN_ID_LENGTH = 64;
    public static final int MAX_METADATA_BYTES = 16 * 1024;
    public static final int MAX_METADATA_DEPTH = 32;
    public static final int MAX_REASON_LENGTH = 1024;
    public static final int MAX_PAGE_SIZE = 100;
    public static final int DEFAULT_PAGE_SIZE = 50;

    static final Set<String> MINT_FIELDS = Set.of("client_id", "duration_secs", "metadata");
    static final Set<String> REVOKE_FIELDS = Set.of("access_token", "reason");
    static final Set<String> REVOKE_CLIENT_FIELDS = Set.of("client_id", "reason");
    static final Set<String> INTROSPECT_FIELDS = Set.of("access_token");

    private TokenRequests() {
    }

    public record Mint(String clientId, long durationSecs, String metadataJson) {
    }

    public record Revoke(String accessToken, String reason) {
    }

    public record RevokeClient(String clientId, String reason) {
    }

    /** A page position: strictly older than (issuedAt, tokenId). The first page starts after everything. */
    public record Cursor(long issuedAt, String tokenId) {

        public static final Cursor START = new Cursor(Long.MAX_VALUE, "");

        public String encode() {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((issuedAt + ":" + tokenId).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A listing: one client's tokens, or every client's ({@code clientId} null), or one token ({@code tokenId}). */
    public record Page(String clientId, String tokenId, int limit, Cursor after) {
    }

    public static Mint mint(JsonObject body, long maxDurationSecs) {
        JsonBodies.requireOnly(body, MINT_FIELDS);
        String clientId = clientId(JsonBodies.requiredString(body, "client_id"));
        long duration = JsonBodies.requiredInteger(body, "duration_secs", 1, maxDurationSecs);
        return new Mint(clientId, duration, metadata(body.get("metadata")));
    }

    public static Revoke revoke(JsonObject body) {
        JsonBodies.requireOnly(body, REVOKE_FIELDS);
        return new Revoke(JsonBodies.requiredString(body, "access_token"), reason(body));
    }

    public static RevokeClient revokeClient(JsonObject body) {
        JsonBodies.requireOnly(body, REVOKE_CLIENT_FIELDS);
        return new RevokeClient(clientId(JsonBodies.requiredString(body, "client_id")), reason(body));
    }

    public static String introspect(JsonObject body) {
        JsonBodies.requireOnly(body, INTROSPECT_FIELDS);
        return JsonBodies.requiredString(body, "access_token");
    }

    /**
     * The listing's query parameters: {@code client_id} (absent: every client of the organization),
     * {@code token_id} (absent: every token), {@code limit} 1..100, {@code cursor} opaque.
     */
    public static Page page(String clientId, String tokenId, String limit, String cursor) {
        return new Page(clientId == null ? null : clientId(clientId),
                tokenId == null ? null : JsonBodies.label("token_id", tokenId, MAX_TOKEN_ID_LENGTH),
                limit(limit), cursor(cursor));
    }

    /** 1 to 255 characters, no control characters. */
    public static String clientId(String clientId) {
        return JsonBodies.label("client_id", clientId, MAX_CLIENT_ID_LENGTH);
    }

    /** Absent or null means {@code {}}; otherwise a JSON object of at most 16 KiB and 32 levels. */
    static String metadata(JsonValue value) {
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return "{}";
        }
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw ApiError.badRequest("metadata must be a JSON object");
        }
        if (JsonBodies.depth(value) > MAX_METADATA_DEPTH) {
            throw ApiError.badRequest("metadata must not be nested more than " + MAX_METADATA_DEPTH + " levels deep");
        }
        String json = value.toString();
        if (json.getBytes(StandardCharsets.UTF_8).length > MAX_METADATA_BYTES) {
            throw ApiError.badRequest("metadata must be at most 16 KiB (" + MAX_METADATA_BYTES
                    + " bytes) as serialized JSON");
        }
        return json;
    }

    private static String reason(JsonObject body) {
        String reason = JsonBodies.optionalString(body, "reason").orElse(null);
        if (reason != null && reason.length() > MAX_REASON_LENGTH) {
            throw ApiError.badRequest("reason must be at most " + MAX_REASON_LENGTH + " characters");
        }
        return reason;
    }

    private static int limit(String limit) {
        if (limit == null) {
            return DEFAULT_PAGE_SIZE;
        }
        try {
            int value = Integer.parseInt(limit);
            if (value >= 1 && value <= MAX_PAGE_SIZE) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiError.badRequest("limit must be an integer between 1 and " + MAX_PAGE_SIZE);
    }

    private static Cursor cursor(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return Cursor.START;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            return new Cursor(Long.parseLong(text.substring(0, colon)), text.substring(colon + 1));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw ApiError.badRequest("cursor is invalid: use next_cursor from the previous page");
        }
    }
}
