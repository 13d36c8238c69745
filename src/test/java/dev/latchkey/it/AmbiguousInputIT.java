package dev.latchkey.it;

import static dev.latchkey.it.Api.ADMIN_KEY;
import static dev.latchkey.it.Api.ORG_KEY;
import static dev.latchkey.it.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Ambiguous input is refused, never guessed at (contract, section 3): a JSON body or WebSocket message naming a
 * member twice, a request carrying more than one credential, a WebSocket handshake that breaks RFC 6455, and
 * limits that must name themselves. Each answer is exact, and nothing was created, revoked or opened.
 */
class AmbiguousInputIT extends BlackBoxTest {

    private static final String MINT = "api/v1/generate_access_token";
    private static final String TWICE = " (each member may appear once)";
    /** One text on every surface (issue 34: three wordings had been quoted). */
    private static final String AMBIGUOUS = "More than one credential: send exactly one";

    @Test
    void aMemberNamedTwiceIsRefusedOnEveryBodyAndChangesNothing() {
        String alice = Api.uniqueClient();
        String bob = Api.uniqueClient();
        String token = api.mintToken(alice, 600);
        String other = api.mintToken(bob, 600);

        api.post(MINT, bearer(ORG_KEY), "{\"client_id\":\"" + alice + "\",\"duration_secs\":60,\"client_id\":\"" + bob
                + "\"}").assertError(400, "Request body names a member twice: client_id" + TWICE);
        api.post(MINT, bearer(ORG_KEY), "{\"client_id\":\"" + alice + "\",\"duration_secs\":60,\"metadata\":"
                + "{\"role\":\"user\",\"role\":\"admin\"}}")
                .assertError(400, "Request body names a member twice: metadata.role" + TWICE);
        api.post("api/v1/revoke_token", bearer(ORG_KEY), "{\"access_token\":\"" + token + "\",\"access_token\":\""
                + other + "\"}").assertError(400, "Request body names a member twice: access_token" + TWICE);
        api.post("api/v1/revoke_client_tokens", bearer(ORG_KEY), "{\"client_id\":\"" + alice + "\",\"client_id\":\""
                + bob + "\"}").assertError(400, "Request body names a member twice: client_id" + TWICE);
        api.post("api/v1/introspect", bearer(ORG_KEY), "{\"access_token\":\"" + token + "\",\"access_token\":\""
                + other + "\"}").assertError(400, "Request body names a member twice: access_token" + TWICE);
        api.post("api/v1/client_messages", bearer(ORG_KEY), "{\"client_id\":\"" + alice + "\",\"data\":1,\"data\":2}")
                .assertError(400, "Request body names a member twice: data" + TWICE);
        String org = "org-" + Api.uniqueClient();
        api.post("api/v1/admin/orgs", bearer(ADMIN_KEY), "{\"name\":\"" + org + "\",\"name\":\"" + org + "-2\"}")
                .assertError(400, "Request body names a member twice: name" + TWICE);

        assertEquals(1, api.tokenCount(alice), "nothing minted for alice");
        assertEquals(1, api.tokenCount(bob), "nothing minted for bob");
        assertEquals(200, api.clientApi(token).status(), "alice's token was not revoked");
        assertEquals(200, api.clientApi(other).status(), "bob's token was not revoked");
    }

    @Test
    void aReauthNamingTheTokenTwiceIsRefusedAndTheOldTokenStillGoverns() {
        String client = Api.uniqueClient();
        String token = api.mintToken(client, 600);
        String fresh = api.mintToken(client, 1200);
        try (LiveSocket socket = LiveSocket.open(base, token)) {
            socket.next("session");
            socket.send("{\"type\":\"reauth\",\"access_token\":\"" + fresh + "\",\"access_token\":\"garbage\"}");
            assertEquals("Message names a member twice: access_token" + TWICE, socket.next("error").getString("detail"));
            socket.send("{\"type\":\"ping\",\"type\":\"reauth\"}");
            assertEquals("Message names a member twice: type" + TWICE, socket.next("error").getString("detail"));
            socket.send("{\"type\":\"ping\"}");
            socket.next("pong");
            // which token governs shows in which revocation closes the socket: not fresh's...
            assertEquals(200, api.revoke(fresh).status());
            socket.send("{\"type\":\"ping\"}");
            socket.next("pong");
            socket.assertAlive();
            // ... but the old token's
            assertEquals(200, api.revoke(token).status());
            LiveSocket.Closed closed = socket.closed();
            assertEquals(4401, closed.code(), closed.toString());
            assertEquals("Token has been revoked", closed.reason());
        }
        String second = api.mintToken(client, 600);
        String honest = api.mintToken(client, 1200);
        try (LiveSocket socket = LiveSocket.open(base, second)) {
            String tokenId = socket.next("session").getString("token_id");
            socket.send("{\"type\":\"reauth\",\"access_token\":\"" + honest + "\"}");
            assertTrue(!tokenId.equals(socket.next("session").getString("token_id")), "an honest reauth still works");
        }
    }

    @Test
    void limitsNameThemselves() {
        String client = Api.uniqueClient();
        String deep = "{\"client_id\":\"" + client + "\",\"duration_secs\":60,\"metadata\":"
                + "{\"a\":".repeat(1200) + "1" + "}".repeat(1201);
        api.post(MINT, bearer(ORG_KEY), deep)
                .assertError(400, "Request body is nested too deeply: at most 64 levels of objects and arrays");
        String nested = "{\"client_id\":\"" + client + "\",\"duration_secs\":60,\"metadata\":"
                + "{\"a\":".repeat(40) + "1" + "}".repeat(41);
        api.post(MINT, bearer(ORG_KEY), nested)
                .assertError(400, "metadata must not be nested more than 32 levels deep");
        api.post(MINT, bearer(ORG_KEY), "{\"client_id\":\"" + client + "\",\"duration_secs\":60,\"metadata\":{\"a\":\""
                + "x".repeat(17 * 1024) + "\"}}")
                .assertError(400, "metadata must be at most 16 KiB (16384 bytes) as serialized JSON");
        api.post(MINT, bearer(ORG_KEY), "{\"client_id\":\"" + client + "\",\"duration_secs\":60,\"metadata\":{\"a\":\""
                + "x".repeat(65 * 1024) + "\"}}")
                .assertError(413, "Request body too large: at most 65536 bytes");
        assertEquals(0, api.tokenCount(client), "nothing minted");
    }

    @Test
    void twoAuthorizationHeadersAreRefusedOnEveryEndpoint() {
        String client = Api.uniqueClient();
        String token = api.mintToken(client, 600);
        // the same valid token twice, and a valid token with a bogus one: never accepted
        for (String second : List.of(bearer(token), "Bearer x.y.z")) {
            api.send(api.request("api/v1/client_api", bearer(token)).header("Authorization", second).GET())
                    .assertError(400, AMBIGUOUS);
        }
        api.send(api.request(MINT, bearer(ORG_KEY)).header("Authorization", bearer(ORG_KEY))
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                "{\"client_id\":\"" + client + "\",\"duration_secs\":60}")))
                .assertError(400, AMBIGUOUS);
        api.send(api.request("api/v1/admin/orgs", bearer(ADMIN_KEY)).header("Authorization", bearer(ADMIN_KEY))
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"x\"}")))
                .assertError(400, AMBIGUOUS);
        assertEquals(1, api.tokenCount(client), "nothing minted");
    }

    @Test
    void aHandshakeWithMoreThanOneCredentialOpensNoSocket() {
        String client = Api.uniqueClient();
        String valid = api.mintToken(client, 600);
        String revoked = api.mintToken(client, 600);
        assertEquals(200, api.revoke(revoked).status());
        URI root = LiveSocket.uri(base, null);

        URI twoKeys = URI.create(root + "?client_key=" + LiveSocket.clientKey("Bearer " + valid)
                + "&client_key=" + LiveSocket.clientKey("Bearer " + revoked));
        LiveSocket.refused(twoKeys, Map.of()).assertError(400, AMBIGUOUS);
        URI sameKeyTwice = URI.create(root + "?client_key=" + LiveSocket.clientKey("Bearer " + valid)
                + "&client_key=" + LiveSocket.clientKey("Bearer " + valid));
        LiveSocket.refused(sameKeyTwice, Map.of()).assertError(400, AMBIGUOUS);
        LiveSocket.refused(LiveSocket.uri(base, valid), Map.of("Authorization", bearer(revoked)))
                .assertError(400, AMBIGUOUS);
        LiveSocket.refused(LiveSocket.uri(base, "garbage"), Map.of("Authorization", bearer(valid)))
                .assertError(400, AMBIGUOUS);
        // two Authorization headers: sent raw, as the JDK's WebSocket client sends one value per name
        rawHandshake(root.getRawPath(), List.of("Authorization: " + bearer(valid), "Authorization: " + bearer(valid)))
                .assertError(400, AMBIGUOUS);

        // the same credential in both places is one credential
        try (LiveSocket socket = LiveSocket.open(LiveSocket.uri(base, valid), Map.of("Authorization", bearer(valid)))) {
            socket.next("session");
        }
    }

    @Test
    void aHandshakeThatBreaksTheProtocolGetsAJsonError() {
        String token = api.mintToken(Api.uniqueClient(), 600);
        String path = LiveSocket.uri(base, token).getRawPath() + "?" + LiveSocket.uri(base, token).getRawQuery();
        String badKey = "Sec-WebSocket-Key must be the base64 encoding of 16 bytes (RFC 6455, section 4.1)";

        rawHandshake(path, List.of("Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13"))
                .assertError(400, badKey);
        rawHandshake(path, List.of("Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Key: !!!",
                "Sec-WebSocket-Version: 13")).assertError(400, badKey);
        rawHandshake(path, List.of("Upgrade: websocket", "Connection: Upgrade",
                "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAA", "Sec-WebSocket-Version: 13")).assertError(400, badKey);
        Api.Reply version8 = rawHandshake(path, List.of("Upgrade: websocket", "Connection: Upgrade",
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 8"))
                .assertError(426, "Unsupported Sec-WebSocket-Version: this server speaks version 13 (RFC 6455)");
        assertEquals("13", version8.headers().firstValue("Sec-WebSocket-Version").orElse(null));
        Api.Reply plain = rawHandshake(path, List.of()).assertError(426,
                "Not a WebSocket handshake: send GET with Upgrade: websocket and Connection: Upgrade");
        assertEquals("13", plain.headers().firstValue("Sec-WebSocket-Version").orElse(null));
        // a well-formed raw handshake is switched
        assertEquals(101, rawHandshake(path, List.of("Upgrade: websocket", "Connection: Upgrade",
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13")).status());
    }

    /**
     * A GET sent byte for byte over a fresh connection, with {@code Connection: close} unless the headers say
     * otherwise; returns the status, headers and (Content-Length) body. A 101 returns at once, without a body.
     */
    private Api.Reply rawHandshake(String path, List<String> headers) {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":"
                    + base.getPort() + "\r\n");
            headers.forEach(h -> request.append(h).append("\r\n"));
            if (headers.stream().noneMatch(h -> h.toLowerCase(Locale.ROOT).startsWith("connection:"))) {
                request.append("Connection: close\r\n");
            }
            request.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = line(in);
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            Map<String, List<String>> received = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                int colon = header.indexOf(':');
                received.computeIfAbsent(header.substring(0, colon).trim(), k -> new ArrayList<>())
                        .add(header.substring(colon + 1).trim());
            }
            String body = "";
            if (status != 101) {
                int length = Integer.parseInt(received.getOrDefault("Content-Length", List.of("0")).get(0));
                body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            }
            return new Api.Reply(status, HttpHeaders.of(received, (a, b) -> true), body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed mid-line");
            }
            if (b != '\r') {
                bytes.write(b);
            }
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }
}
