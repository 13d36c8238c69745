package dev.latchkey.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A live {@code /client_ws} connection over a real socket: the protocol, and authorization for the
 * connection's whole life (revocation, expiry, reauth). The test server runs with the default
 * LATCHKEY_WS_EXPIRY_WARNING_SECS of 60, so a token shorter than that is warned about at once.
 */
class ClientWsLiveIT extends BlackBoxTest {

    private static final String REVOKED = "Token has been revoked";
    private static final String EXPIRED = "Token has expired";

    private static String reauth(String token) {
        return Json.createObjectBuilder().add("type", "reauth").add("access_token", token).build().toString();
    }

    private static void assertClosed(LiveSocket.Closed closed, int code, String reason) {
        assertEquals(code, closed.code(), () -> "close " + closed);
        assertEquals(reason, closed.reason(), () -> "close " + closed);
    }

    /** Measurements go to the test's output (kept in the failsafe report): a negative value means before. */
    private static void report(String measurement) {
        System.out.println("[latency] " + measurement);
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }

    // ---- protocol ----

    @Test
    void sessionOnOpen() {
        String client = Api.uniqueClient();
        JsonObject minted = api.mint(client, 600, "{\"secret\":\"org-only\"}");
        try (LiveSocket socket = LiveSocket.open(base, minted.getString("access_token"))) {
            JsonObject session = socket.next("session");
            assertEquals(Set.of("type", "client_id", "token_id", "expires_at", "expires_in"), session.keySet());
            assertEquals(client, session.getString("client_id"));
            assertEquals(minted.getString("token_id"), session.getString("token_id"));
            assertEquals(minted.getString("expires_at"), session.getString("expires_at"));
            int expiresIn = session.getInt("expires_in");
            assertTrue(expiresIn > 590 && expiresIn <= 600, "expires_in " + expiresIn);
        }
    }

    @Test
    void pingGetsPongOnTheSameSocket() {
        String token = api.mintToken(Api.uniqueClient(), 600);
        try (LiveSocket socket = LiveSocket.open(base, token);
             LiveSocket later = LiveSocket.open(base, token)) {
            socket.next("session");
            later.next("session");
            socket.send("{\"type\":\"ping\"}");
            assertEquals(Json.createObjectBuilder().add("type", "pong").build(), socket.next());
            // each connection has its own endpoint: the later socket got nothing (a stray pong there would
            // otherwise be taken for the answer to its own ping below), and answers for itself
            later.assertNoMessage(Duration.ofMillis(300));
            later.assertAlive();
            socket.assertNoMessage(Duration.ofMillis(300));
            socket.assertAlive();
        }
    }

    @Test
    void invalidMessagesGetAnErrorAndTheSocketStaysUsable() {
        try (LiveSocket socket = LiveSocket.open(base, api.mintToken(Api.uniqueClient(), 600))) {
            socket.next("session");
            List<String> notJson = List.of("not json", "{", "{\"type\":\"ping\"} trailing", "");
            for (String text : notJson) {
                socket.send(text);
                JsonObject error = socket.next("error");
                assertEquals("Message is not valid JSON", error.getString("detail"), text);
                socket.assertAlive();
            }
            List<String> noType = List.of("[1,2]", "{}", "{\"type\":5}", "\"ping\"", "null");
            for (String text : noType) {
                socket.send(text);
                JsonObject error = socket.next("error");
                assertEquals("Message must be a JSON object with a string \"type\"", error.getString("detail"), text);
                socket.assertAlive();
            }
            for (String text : List.of("{\"type\":\"nope\"}", "{\"type\":\"PING\"}", "{\"type\":\"pong\"}")) {
                socket.send(text);
                JsonObject error = socket.next("error");
                assertEquals("Unknown message type", error.getString("detail"), text);
                socket.assertAlive();
            }
            socket.sendBinary(new byte[] {1, 2, 3});
            assertEquals("Binary messages are not supported: send JSON text", socket.next("error").getString("detail"));
            socket.assertAlive();
        }
    }

    @Test
    void messageOver64KiBClosesWith1009() {
        String token = api.mintToken(Api.uniqueClient(), 600);
        String envelope = "{\"type\":\"ping\",\"pad\":\"\"}";
        try (LiveSocket socket = LiveSocket.open(base, token)) {
            socket.next("session");
            String exactly64KiB = envelope.replace("\"\"", "\"" + "a".repeat(65536 - envelope.length()) + "\"");
            assertEquals(65536, exactly64KiB.length());
            socket.send(exactly64KiB);
            socket.next("pong");

            socket.send(exactly64KiB.replace("\"a", "\"aa"));
            assertEquals(1009, socket.closed().code());
        }
        try (LiveSocket socket = LiveSocket.open(base, token)) {
            socket.next("session");
            // 40,000 two-byte characters: 80,000 bytes of UTF-8
            socket.send(envelope.replace("\"\"", "\"" + "\u00e9".repeat(40_000) + "\""));
            assertEquals(1009, socket.closed().code());
        }
    }

    // ---- revocation ----

    @Test
    void revokeTokenClosesThatSocketPromptly() {
        String client = Api.uniqueClient();
        String token = api.mintToken(client, 600);
        try (LiveSocket socket = LiveSocket.open(base, token);
             LiveSocket otherToken = LiveSocket.open(base, api.mintToken(client, 600))) {
            socket.next("session");
            otherToken.next("session");

            long requested = System.nanoTime();
            Api.Reply reply = api.revoke(token);
            long answered = System.nanoTime();
            assertEquals(200, reply.status(), reply.body());
            // the client sends nothing: the close must come from the revocation alone
            LiveSocket.Closed closed = socket.closed(Duration.ofSeconds(2));
            assertClosed(closed, 4401, REVOKED);
            report("revoke_token: close arrived " + millis(closed.atNanos() - answered)
                    + " ms after the response, " + millis(closed.atNanos() - requested) + " ms after the request");

            otherToken.assertAlive();
        }
    }

    @Test
    void revokeClientTokensClosesEverySocketOfThatClientOnly() {
        String client = Api.uniqueClient();
        String otherClient = Api.uniqueClient();
        String first = api.mintToken(client, 600);
        try (LiveSocket a = LiveSocket.open(base, first);
             LiveSocket b = LiveSocket.open(base, first);
             LiveSocket c = LiveSocket.open(base, api.mintToken(client, 600));
             LiveSocket other = LiveSocket.open(base, api.mintToken(otherClient, 600))) {
            for (LiveSocket socket : List.of(a, b, c, other)) {
                socket.next("session");
            }
            Api.Reply reply = api.post("api/v1/revoke_client_tokens", Api.bearer(Api.ORG_KEY),
                    Json.createObjectBuilder().add("client_id", client).build().toString());
            long answered = System.nanoTime();
            assertEquals(200, reply.status(), reply.body());
            assertEquals(2, reply.json().getInt("revoked_count"));
            long latest = 0;
            for (LiveSocket socket : List.of(a, b, c)) {
                LiveSocket.Closed closed = socket.closed(Duration.ofSeconds(2));
                assertClosed(closed, 4401, REVOKED);
                latest = Math.max(latest, closed.atNanos());
            }
            report("revoke_client_tokens: the last of 3 closes arrived " + millis(latest - answered)
                    + " ms after the response");
            other.assertAlive();
        }
    }

    // ---- expiry ----

    @Test
    void shortTokenIsWarnedAboutThenClosedAtExpiry() {
        JsonObject minted = api.mint(Api.uniqueClient(), 3, null);
        long expiresAt = Instant.parse(minted.getString("expires_at")).toEpochMilli();
        try (LiveSocket socket = LiveSocket.open(base, minted.getString("access_token"))) {
            socket.next("session");
            // 3 s left is less than the 60 s warning: the warning comes at once
            JsonObject warning = socket.next("token_expiring");
            assertEquals(Set.of("type", "expires_in"), warning.keySet());
            int expiresIn = warning.getInt("expires_in");
            assertTrue(expiresIn >= 0 && expiresIn <= 3, "expires_in " + expiresIn);

            LiveSocket.Closed closed = socket.closed();
            assertClosed(closed, 4401, EXPIRED);
            assertTrue(closed.atMillis() >= expiresAt, "closed " + (expiresAt - closed.atMillis()) + " ms early");
        }
    }

    // ---- reauth ----

    @Test
    void reauthMovesTheConnectionToTheNewToken() {
        String client = Api.uniqueClient();
        JsonObject first = api.mint(client, 3, null);
        long firstExpiresAt = Instant.parse(first.getString("expires_at")).toEpochMilli();
        try (LiveSocket socket = LiveSocket.open(base, first.getString("access_token"))) {
            socket.next("session");
            socket.next("token_expiring");

            JsonObject second = api.mint(client, 600, null);
            socket.send(reauth(second.getString("access_token")));
            JsonObject session = socket.next("session");
            assertEquals(second.getString("token_id"), session.getString("token_id"));
            assertEquals(client, session.getString("client_id"));
            assertEquals(second.getString("expires_at"), session.getString("expires_at"));

            // the first token's expiry passes; the connection lives on under the second token
            long untilFirstExpiry = Math.max(0, firstExpiresAt - System.currentTimeMillis());
            socket.assertStaysOpen(Duration.ofMillis(untilFirstExpiry + 1500));
            socket.assertAlive();

            // revoking the first token no longer concerns this connection; revoking the second does
            assertEquals(200, api.revoke(first.getString("access_token")).status());
            socket.assertAlive();
            assertEquals(200, api.revoke(second.getString("access_token")).status());
            assertClosed(socket.closed(), 4401, REVOKED);
        }
    }

    @Test
    void reauthWithAnotherClientsTokenFailsAndTheOldTokenStillGoverns() {
        String client = Api.uniqueClient();
        String mine = api.mintToken(client, 600);
        String theirs = api.mintToken(Api.uniqueClient(), 600);
        try (LiveSocket socket = LiveSocket.open(base, mine)) {
            JsonObject session = socket.next("session");
            socket.send(reauth(theirs));
            assertEquals("Invalid token, client_id mismatch", socket.next("error").getString("detail"));
            socket.assertAlive();

            // revoking the other client's token changes nothing here; revoking the old one closes
            assertEquals(200, api.revoke(theirs).status());
            socket.assertAlive();
            assertEquals(200, api.revoke(mine).status());
            assertClosed(socket.closed(), 4401, REVOKED);
            assertEquals(ForgedTokens.payload(mine).getString("token_id"), session.getString("token_id"));
        }
    }

    @Test
    void reauthFailuresAnswerWithTheTableText() {
        String client = Api.uniqueClient();
        String revoked = api.mintToken(client, 600);
        assertEquals(200, api.revoke(revoked).status());
        JsonObject payload = ForgedTokens.payload(revoked);
        String expired = ForgedTokens.sign(ForgedTokens.kid(revoked), ForgedTokens.claims(
                client, payload.getString("token_id"), ForgedTokens.nowSeconds() - 5));
        try (LiveSocket socket = LiveSocket.open(base, api.mintToken(client, 600))) {
            socket.next("session");
            String[][] cases = {
                {reauth("garbage"), "Invalid token format"},
                {"{\"type\":\"reauth\"}", "Invalid token format"},
                {"{\"type\":\"reauth\",\"access_token\":5}", "Invalid token format"},
                {reauth(revoked), REVOKED},
                {reauth(expired), EXPIRED},
                {reauth(Api.ORG_KEY), "Invalid token format"},
            };
            for (String[] c : cases) {
                socket.send(c[0]);
                assertEquals(c[1], socket.next("error").getString("detail"), c[0]);
            }
            socket.assertAlive();
        }
    }
}
