package dev.latchkey.access.control;

import dev.latchkey.platform.http.ApiError;
import dev.latchkey.platform.json.JsonBodies;
import dev.latchkey.tokens.control.TokenRequests;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.Set;

/** A message an organization pushes to one of its clients: {@code {"client_id": str, "data": any JSON}}. */
public record ClientMessage(String clientId, JsonValue data) {

    static final Set<String> FIELDS = Set.of("client_id", "data");

    /** The request rules of {@code POST /client_messages}; a 400 naming the field otherwise. */
    public static ClientMessage from(JsonObject body) {
        JsonBodies.requireOnly(body, FIELDS);
        String clientId = TokenRequests.clientId(JsonBodies.requiredString(body, "client_id"));
        JsonValue data = body.get("data");
        if (data == null || data.getValueType() == JsonValue.ValueType.NULL) {
            throw ApiError.badRequest("data is required");
        }
        return new ClientMessage(clientId, data);
    }
}
