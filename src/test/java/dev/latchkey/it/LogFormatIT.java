package dev.latchkey.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code LATCHKEY_LOG_FORMAT=json}: every line the jar prints, from the launcher's banner through Payara's boot,
 * Latchkey's own records and the shutdown, is one JSON object in one schema (the same fields with the same types,
 * times in UTC ending in {@code Z}); an access record has the request's parts as fields; a refused token's record
 * carries {@code token_id} and {@code reason} as fields, and no line holds the token.
 */
class LogFormatIT {

    @TempDir
    Path workDir;

    @Test
    void everyLineIsOneJsonObject() throws Exception {
        String[] minted = new String[2];
        String log = MicroJar.run(workDir, "json", MicroJar.freePort(),
                environment -> environment.put("LATCHKEY_LOG_FORMAT", "json"), (api, base) -> {
                    JsonObject body = api.mint(Api.uniqueClient(), 600, null);
                    minted[0] = body.getString("access_token");
                    minted[1] = body.getString("token_id");
                    assertEquals(200, api.revoke(minted[0]).status());
                    api.clientApi(minted[0]).assertError(401, "Token has been revoked");
                });
        List<JsonObject> records = new ArrayList<>();
        for (String line : log.split("\n")) {
            try (JsonReader reader = Json.createReader(new StringReader(line))) {
                JsonValue value = reader.readValue();
                assertEquals(JsonValue.ValueType.OBJECT, value.getValueType(), line);
                JsonObject record = value.asJsonObject();
                // one schema for every line (issue 34): the same fields with the same types, times in UTC with Z
                assertTrue(record.getString("Timestamp").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), line);
                assertEquals(JsonValue.ValueType.NUMBER, record.get("TimeMillis").getValueType(), line);
                assertEquals(JsonValue.ValueType.NUMBER, record.get("LevelValue").getValueType(), line);
                assertEquals(JsonValue.ValueType.STRING, record.get("Level").getValueType(), line);
                assertEquals(JsonValue.ValueType.STRING, record.get("LoggerName").getValueType(), line);
                assertEquals(JsonValue.ValueType.STRING, record.get("LogMessage").getValueType(), line);
                records.add(record);
            } catch (JsonParsingException e) {
                fail("not one JSON object: " + line);
            }
        }
        assertTrue(records.stream().anyMatch(r -> r.getString("LogMessage", "").startsWith("Latchkey: HTTP on port")),
                "the banner");
        assertTrue(records.stream().anyMatch(r -> r.getString("LogMessage", "").contains(" ready in ")),
                "Payara's own lines");
        assertTrue(records.stream().anyMatch(r -> minted[1].equals(r.getString("token_id", null))
                        && "revoked".equals(r.getString("reason", null))),
                "the refusal carries token_id and reason as fields:\n" + log);
        assertTrue(records.stream().anyMatch(r -> "dev.latchkey.access".equals(r.getString("LoggerName"))
                        && "GET".equals(r.getString("method", null)) && "/api/v1/client_api".equals(r.getString("path", null))
                        && r.getInt("status", 0) == 401 && r.get("duration_ms").getValueType() == JsonValue.ValueType.NUMBER),
                "the access record's parts are fields:\n" + log);
        assertFalse(log.contains("JdbcRuntimeExtension") || log.contains("SLF4J"), "no stop or SLF4J chatter:\n" + log);
        assertFalse(log.contains(minted[0]), "no line holds the token");
    }
}
