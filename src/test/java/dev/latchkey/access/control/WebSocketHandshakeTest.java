package dev.latchkey.access.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** RFC 6455, section 4.2.1, as checked before the WebSocket runtime sees a handshake. */
class WebSocketHandshakeTest {

    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    private static String problem(String method, Map<String, String> changes) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(Map.of("Upgrade", "websocket", "Connection", "Upgrade", "Sec-WebSocket-Key", KEY,
                "Sec-WebSocket-Version", "13"));
        changes.forEach((name, value) -> {
            if (value == null) {
                headers.remove(name);
            } else {
                headers.put(name, value);
            }
        });
        return WebSocketHandshake.problem(method, headers::get);
    }

    private static Map<String, String> with(String name, String value) {
        Map<String, String> changes = new HashMap<>();
        changes.put(name, value);
        return changes;
    }

    @Test
    void aWellFormedHandshakePasses() {
        assertNull(problem("GET", Map.of()));
        assertNull(problem("GET", Map.of("Upgrade", "WebSocket", "Connection", "keep-alive, Upgrade")));
        assertNull(problem("GET", with("Sec-WebSocket-Key", " " + KEY + " ")));
    }

    @Test
    void noUpgradeIs426() {
        for (Map<String, String> changes : new Map[] {with("Upgrade", null), with("Connection", null),
            with("Upgrade", "h2c"), with("Connection", "keep-alive")}) {
            assertEquals(WebSocketHandshake.NOT_UPGRADE, problem("GET", changes));
        }
        assertEquals(WebSocketHandshake.NOT_UPGRADE, problem("POST", Map.of()));
        assertTrue(WebSocketHandshake.needsUpgrade(WebSocketHandshake.NOT_UPGRADE));
    }

    @Test
    void aBadKeyIs400() {
        for (String key : new String[] {null, "", "!!!", "AAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "dGhlIHNhbXBsZSBub25jZQ", "dGhlIHNhbXBsZSBub25jZQ=!"}) {
            assertEquals(WebSocketHandshake.BAD_KEY, problem("GET", with("Sec-WebSocket-Key", key)), key);
        }
        assertFalse(WebSocketHandshake.needsUpgrade(WebSocketHandshake.BAD_KEY));
    }

    @Test
    void anotherVersionIs426() {
        for (String version : new String[] {null, "", "8", "12", "14", "13, 8"}) {
            assertEquals(WebSocketHandshake.BAD_VERSION, problem("GET", with("Sec-WebSocket-Version", version)),
                    version);
        }
        assertTrue(WebSocketHandshake.needsUpgrade(WebSocketHandshake.BAD_VERSION));
    }
}
