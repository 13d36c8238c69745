package dev.latchkey.access.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.latchkey.platform.http.ApiError;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules of POST /client_messages: {"client_id": str, "data": any JSON}, nothing else. */
class ClientMessageTest {

    private static JsonObject body(String json) {
        return Json.createReader(new StringReader(json)).readObject();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1}", "[]", "\"text\"", "0", "false", "1.5"})
    void dataIsAnyJsonValue(String data) {
        ClientMessage message = ClientMessage.from(body("{\"client_id\":\"c-1\",\"data\":" + data + "}"));
        assertEquals("c-1", message.clientId());
        assertEquals(Json.createReader(new StringReader(data)).readValue(), message.data());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"client_id\":\"c\"}                       | data is required",
        "{\"client_id\":\"c\",\"data\":null}          | data is required",
        "{\"data\":1}                                | client_id is required",
        "{\"client_id\":null,\"data\":1}             | client_id is required",
        "{\"client_id\":1,\"data\":1}                | client_id must be a string",
        "{\"client_id\":\"\",\"data\":1}             | client_id must be 1 to 255 characters",
        "{\"client_id\":\"a\\u0000b\",\"data\":1}     | client_id must not contain control characters",
        "{\"client_id\":\"c\",\"data\":1,\"x\":2}     | Unknown field: x",
    })
    void refusals(String json, String detail) {
        ApiError error = assertThrows(ApiError.class, () -> ClientMessage.from(body(json)));
        assertEquals(400, error.status());
        assertEquals(detail, error.detail());
    }

    @Test
    void clientIdOfMaximumLength() {
        String id = "x".repeat(255);
        assertEquals(id, ClientMessage.from(body("{\"client_id\":\"" + id + "\",\"data\":{}}")).clientId());
        assertThrows(ApiError.class, () -> ClientMessage.from(body("{\"client_id\":\"" + id + "y\",\"data\":{}}")));
        assertEquals(JsonValue.EMPTY_JSON_OBJECT, ClientMessage.from(body("{\"client_id\":\"c\",\"data\":{}}")).data());
    }
}
