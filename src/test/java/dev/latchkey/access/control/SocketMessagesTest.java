package dev.latchkey.access.control;

import dev.latchkey.tokens.control.ClientPrincipal;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The /client_ws protocol texts: reading client messages, writing server messages. */
class SocketMessagesTest {

    private static final long NOW = Instant.parse("2030-03-01T12:00:00Z").toEpochMilli();
    private static final ClientPrincipal PRINCIPAL =
            new ClientPrincipal("org-1", "client-1", "tok-1", NOW - 1000, NOW + 59_999);

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    @Test
    void ping() {
        assertEquals(SocketMessages.Kind.PING, SocketMessages.read("{\"type\":\"ping\"}").kind());
        assertEquals(SocketMessages.Kind.PING, SocketMessages.read(" {\"type\":\"ping\",\"extra\":1} ").kind());
    }

    @Test
    void reauthCarriesTheToken() {
        SocketMessages.Incoming message = SocketMessages.read("{\"type\":\"reauth\",\"access_token\":\"a.b.c\"}");
        assertAll(
                () -> assertEquals(SocketMessages.Kind.REAUTH, message.kind()),
                () -> assertEquals("a.b.c", message.accessToken()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"type\":\"reauth\"}", "{\"type\":\"reauth\",\"access_token\":5}",
        "{\"type\":\"reauth\",\"access_token\":null}"})
    void reauthWithoutATokenStringIsLeftToTheValidator(String text) {
        SocketMessages.Incoming message = SocketMessages.read(text);
        assertEquals(SocketMessages.Kind.REAUTH, message.kind());
        assertNull(message.accessToken());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "not json", "{", "{\"type\":\"ping\"", "{\"type\":\"ping\"} x",
        "{\"type\":\"ping\"}{}", "{'type':'ping'}"})
    void notJson(String text) {
        assertInvalid(text, "Message is not valid JSON");
    }

    @Test
    void deepNestingIsRefusedRatherThanACrash() {
        // 30,000 levels fit in 64 KiB; the reader's depth limit refuses them, naming itself
        assertInvalid("[".repeat(30_000) + "]".repeat(30_000),
                "Message is nested too deeply: at most 64 levels of objects and arrays");
        assertEquals(SocketMessages.Kind.PING, SocketMessages.read("{\"type\":\"ping\",\"x\":"
                + "[".repeat(63) + "]".repeat(63) + "}").kind());
    }

    @Test
    void aMemberNamedTwiceIsRefusedByName() {
        assertInvalid("{\"type\":\"reauth\",\"access_token\":\"a\",\"access_token\":\"b\"}",
                "Message names a member twice: access_token (each member may appear once)");
        assertInvalid("{\"type\":\"ping\",\"type\":\"reauth\"}",
                "Message names a member twice: type (each member may appear once)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "null", "5", "\"ping\"", "{}", "{\"type\":5}", "{\"type\":null}",
        "{\"type\":{\"a\":1}}", "{\"kind\":\"ping\"}"})
    void noTypeString(String text) {
        assertInvalid(text, "Message must be a JSON object with a string \"type\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"type\":\"PING\"}", "{\"type\":\"pong\"}", "{\"type\":\"session\"}",
        "{\"type\":\"\"}", "{\"type\":\"ping \"}"})
    void unknownType(String text) {
        assertInvalid(text, "Unknown message type");
    }

    private static void assertInvalid(String text, String detail) {
        SocketMessages.Incoming message = SocketMessages.read(text);
        assertAll(
                () -> assertEquals(SocketMessages.Kind.INVALID, message.kind()),
                () -> assertEquals(detail, message.detail()));
    }

    @Test
    void sizeLimitCountsUtf8Bytes() {
        assertFalse(SocketMessages.isTooBig("a".repeat(65_536)));
        assertTrue(SocketMessages.isTooBig("a".repeat(65_537)));
        assertFalse(SocketMessages.isTooBig("\u00e9".repeat(32_768)));
        assertTrue(SocketMessages.isTooBig("\u00e9".repeat(32_769)));
        assertTrue(SocketMessages.isTooBig("\u20ac".repeat(21_846)));
    }

    @Test
    void sessionMessage() {
        JsonObject session = json(SocketMessages.session(PRINCIPAL, NOW));
        assertEquals(json("{\"type\":\"session\",\"client_id\":\"client-1\",\"token_id\":\"tok-1\","
                + "\"expires_at\":\"2030-03-01T12:00:59.999Z\",\"expires_in\":60}"), session);
    }

    @Test
    void sessionAndWarningRoundAlikeToTheNearestSecond() {
        // the case: a session and the warning right after it say the same
        assertEquals(60, json(SocketMessages.session(PRINCIPAL, NOW)).getInt("expires_in"));
        assertEquals(60, json(SocketMessages.tokenExpiring(PRINCIPAL, NOW)).getInt("expires_in"));
        for (long at = NOW; at <= NOW + 61_000; at += 250) {
            assertEquals(json(SocketMessages.session(PRINCIPAL, at)).getInt("expires_in"),
                    json(SocketMessages.tokenExpiring(PRINCIPAL, at)).getInt("expires_in"), "at " + at);
        }
        assertEquals(1, json(SocketMessages.session(PRINCIPAL, NOW + 59_499)).getInt("expires_in"));
        assertEquals(0, json(SocketMessages.session(PRINCIPAL, NOW + 59_500)).getInt("expires_in"));
        assertEquals(0, json(SocketMessages.session(PRINCIPAL, NOW + 120_000)).getInt("expires_in"));
    }

    @Test
    void warningExpiresInIsRoundedToTheNearestSecondAndNeverNegative() {
        // PRINCIPAL expires at NOW + 59.999 s: a timer firing 3 ms late still says 60
        assertEquals(json("{\"type\":\"token_expiring\",\"expires_in\":60}"),
                json(SocketMessages.tokenExpiring(PRINCIPAL, NOW + 2)));
        assertEquals(1, json(SocketMessages.tokenExpiring(PRINCIPAL, NOW + 59_000)).getInt("expires_in"));
        assertEquals(0, json(SocketMessages.tokenExpiring(PRINCIPAL, NOW + 59_600)).getInt("expires_in"));
        assertEquals(0, json(SocketMessages.tokenExpiring(PRINCIPAL, NOW + 120_000)).getInt("expires_in"));
    }

    @Test
    void otherMessages() {
        assertEquals(json("{\"type\":\"pong\"}"), json(SocketMessages.pong()));
        assertEquals(json("{\"type\":\"error\",\"detail\":\"say \\\"hi\\\"\"}"), json(SocketMessages.error("say \"hi\"")));
        assertEquals(json("{\"type\":\"message\",\"data\":[1,{\"a\":null}]}"),
                json(SocketMessages.message(Json.createReader(new StringReader("[1,{\"a\":null}]")).readValue())));
    }
}
