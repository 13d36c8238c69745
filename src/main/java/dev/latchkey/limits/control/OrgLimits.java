package dev.latchkey.limits.control;

import static dev.latchkey.platform.json.JsonFactory.JSON;

import dev.latchkey.limits.entity.ClientLimits;
import dev.latchkey.platform.http.ApiError;
import dev.latchkey.platform.json.JsonBodies;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.util.Set;

/**
 * One organization's limits per client ({@code API.md} section 11); a null member is unlimited. Immutable.
 *
 * @param tokens  {@code max_active_tokens}: live (unrevoked, unexpired) tokens per client_id
 * @param sockets {@code max_sockets}: open {@code /client_ws} connections per client_id, over the cluster
 * @param rate    {@code rate}: a token bucket per client_id over every client surface
 */
public record OrgLimits(Cap tokens, Cap sockets, Rate rate) {

    /** No limit at all. */
    public static final OrgLimits NONE = new OrgLimits(null, null, null);

    /** The largest limit, rate or burst accepted: more than any one client could use. */
    public static final int MAX_VALUE = 1_000_000;

    /** What happens when a client is at its cap: the contract's word is the enum's name in lower case. */
    public enum Action { REFUSE, REVOKE_OLDEST, CLOSE_OLDEST;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A cap: at most {@code limit} (1 or more) per client_id; {@code onLimit} says what a request over it gets. */
    public record Cap(int limit, Action onLimit) {
    }

    /**
     * A token bucket: {@code burst} requests at once, refilled at {@code perSecond} requests per second.
     */
    public record Rate(int perSecond, int burst) {
    }

    public boolean isEmpty() {
        return tokens == null && sockets == null && rate == null;
    }

    /**
     * The body of {@code PUT /admin/orgs/{org_id}/limits}.
     *
     * @throws ApiError 400 naming the member that is unknown, of the wrong type or out of range
     */
    public static OrgLimits parse(JsonObject body) {
        JsonBodies.requireOnly(body, Set.of("max_active_tokens", "max_sockets", "rate"));
        return new OrgLimits(
                cap(body, "max_active_tokens", Set.of(Action.REFUSE, Action.REVOKE_OLDEST)),
                cap(body, "max_sockets", Set.of(Action.REFUSE, Action.CLOSE_OLDEST)),
                rate(body));
    }

    private static Cap cap(JsonObject body, String field, Set<Action> allowed) {
        JsonObject cap = member(body, field);
        if (cap == null) {
            return null;
        }
        JsonBodies.requireOnly(cap, Set.of("limit", "on_limit"));
        int limit = positive(cap, field + ".limit");
        JsonValue action = cap.get("on_limit");
        if (action == null || action.getValueType() == JsonValue.ValueType.NULL) {
            throw ApiError.badRequest(field + ".on_limit is required");
        }
        if (!(action instanceof JsonString text)) {
            throw ApiError.badRequest(field + ".on_limit must be a string");
        }
        String word = text.getString();
        return allowed.stream().filter(known -> known.word().equals(word)).findFirst()
                .map(chosen -> new Cap(limit, chosen))
                .orElseThrow(() -> ApiError.badRequest(field + ".on_limit must be one of "
                        + allowed.stream().map(Action::word).sorted().toList()));
    }

    private static Rate rate(JsonObject body) {
        JsonObject rate = member(body, "rate");
        if (rate == null) {
            return null;
        }
        JsonBodies.requireOnly(rate, Set.of("per_second", "burst"));
        return new Rate(positive(rate, "rate.per_second"), positive(rate, "rate.burst"));
    }

    /** An optional object member: absent or null is "unlimited", anything but an object is a 400. */
    private static JsonObject member(JsonObject body, String field) {
        JsonValue value = body.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw ApiError.badRequest(field + " must be an object");
        }
        return value.asJsonObject();
    }

    private static int positive(JsonObject object, String path) {
        String field = path.substring(path.indexOf('.') + 1);
        JsonValue value = object.get(field);
        String range = path + " must be an integer between 1 and " + MAX_VALUE;
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            throw ApiError.badRequest(path + " is required");
        }
        if (!(value instanceof JsonNumber number) || !number.isIntegral()
                || number.bigDecimalValue().compareTo(BigDecimal.ONE) < 0
                || number.bigDecimalValue().compareTo(BigDecimal.valueOf(MAX_VALUE)) > 0) {
            throw ApiError.badRequest(range);
        }
        return number.intValue();
    }

    /** The stored row's limits. */
    public static OrgLimits of(ClientLimits row) {
        return new OrgLimits(
                row.maxActiveTokens() == null ? null
                        : new Cap(row.maxActiveTokens(), Action.valueOf(row.tokensOnLimit().toUpperCase(java.util.Locale.ROOT))),
                row.maxSockets() == null ? null
                        : new Cap(row.maxSockets(), Action.valueOf(row.socketsOnLimit().toUpperCase(java.util.Locale.ROOT))),
                row.ratePerSecond() == null ? null : new Rate(row.ratePerSecond(), row.rateBurst()));
    }

    /** Writes these limits into the row. */
    public void into(ClientLimits row, long at) {
        row.set(tokens == null ? null : tokens.limit(), tokens == null ? null : tokens.onLimit().word(),
                sockets == null ? null : sockets.limit(), sockets == null ? null : sockets.onLimit().word(),
                rate == null ? null : rate.perSecond(), rate == null ? null : rate.burst(), at);
    }

    /** The contract's shape; an unlimited member is absent. */
    public JsonObjectBuilder toJson() {
        JsonObjectBuilder json = JSON.createObjectBuilder();
        if (tokens != null) {
            json.add("max_active_tokens", JSON.createObjectBuilder().add("limit", tokens.limit())
                    .add("on_limit", tokens.onLimit().word()));
        }
        if (sockets != null) {
            json.add("max_sockets", JSON.createObjectBuilder().add("limit", sockets.limit())
                    .add("on_limit", sockets.onLimit().word()));
        }
        if (rate != null) {
            json.add("rate", JSON.createObjectBuilder().add("per_second", rate.perSecond())
                    .add("burst", rate.burst()));
        }
        return json;
    }
}
