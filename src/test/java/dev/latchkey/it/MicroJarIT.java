package dev.latchkey.it;

import static dev.latchkey.it.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latchkey.testing.Jwts;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.security.KeyPairGenerator;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command, as a new user meets it: {@code java -jar target/latchkey-micro.jar} in an empty
 * folder, with no LATCHKEY_ variables. The first start creates the org {@code default} and prints its key
 * once; a restart over the same ./data keeps the org, the key and the tokens, and prints no key; a rotated
 * signing key signs from then on, and tokens of the older key stay valid.
 *
 * <p>The signing keys as a new user meets them: ES256 by default, published with the next key at
 * {@code /.well-known/jwks.json}; tokens (and the upstream assertions of the proxy, forward auth and the messages
 * relay) verify with that set and the JDK's own crypto ({@link JdkVerifier}, no JOSE library); a rotation makes
 * the published next key current, so a set fetched before it verifies the tokens signed after it; a restart with
 * {@code LATCHKEY_SIGNING_ALG=EdDSA} signs EdDSA from then on while ES256 tokens stay valid; ES256 and EdDSA tokens
 * open the WebSocket; a header naming another algorithm than its key's is refused.
 */
class MicroJarIT {

    private static final Pattern SCHEMA = Pattern.compile("Database schema at version (\\d+) \\((\\d+) migrations applied now\\)");
    private static final Pattern KEY = Pattern.compile("fl-[A-Za-z0-9_-]{32,}");

    @TempDir
    Path workDir;

    @Test
    void firstStartPrintsAWorkingKeyOnceAndARestartKeepsEverything() throws Exception {
        int port = MicroJar.freePort();
        String[] orgKey = new String[1];
        String[] tokens = new String[2];
        JsonObject[] firstSet = new JsonObject[1];
        String firstLog = run(port, 1, Map.of(), (api, base) -> {
            Matcher key = KEY.matcher(readLog("run-1"));
            assertTrue(key.find(), "the first start prints the org key");
            orgKey[0] = key.group();
            assertFalse(key.find(), "the key is printed once");
            tokens[0] = mint(api, orgKey[0]);
            tokens[1] = mint(api, orgKey[0]);
            assertEquals(200, api.get("api/v1/client_api", bearer(tokens[0])).status());
            Api.Reply revoked = api.post("api/v1/revoke_token", bearer(orgKey[0]),
                    "{\"access_token\":\"" + tokens[1] + "\"}");
            assertEquals(200, revoked.status(), revoked.body());
            api.post("api/v1/admin/signing_keys/rotate", bearer(orgKey[0]), "")
                    .assertError(404, "Not found"); // no LATCHKEY_ADMIN_KEY: no admin API

            // ES256 by default: the current key and the next one are published, and the token verifies offline
            firstSet[0] = keySet(api, "ES256", 2);
            assertEquals("ES256", ForgedTokens.header(tokens[0]).getString("alg"));
            String currentKid = ForgedTokens.kid(tokens[0]);
            assertEquals(currentKid, firstSet[0].getJsonArray("keys").getJsonObject(0).getString("kid"),
                    "the current key, then the next");
            JsonObject claims = JdkVerifier.verify(tokens[0], firstSet[0], "latchkey", nowSeconds());
            assertEquals(Set.of("iss", "client_id", "token_id", "jti", "org_id", "iat", "exp"), claims.keySet());
            assertEquals("readme-user", claims.getString("client_id"));
            assertTrue(LiveSocket.accepted(base, tokens[0]), "an ES256 token opens the WebSocket");

            // algorithm confusion (Tim McLean's report; CVE-2015-9235, CVE-2016-10555): HS256 under the ES256
            // key's kid, MACed with that public key's bytes as the secret, is refused, over REST and WebSocket
            String confused = Jwts.forge("{\"alg\":\"HS256\",\"kid\":\"" + currentKid + "\",\"typ\":\"JWT\"}",
                    ForgedTokens.payload(tokens[0]).toString(),
                    new HmacKey(JdkVerifier.publicKey(JdkVerifier.byKid(firstSet[0], currentKid)).getEncoded()));
            api.get("api/v1/client_api", bearer(confused)).assertError(401, "Invalid token format");
            LiveSocket.refused(LiveSocket.uri(base, confused), Map.of()).assertError(401, "Invalid token format");

            Api.Reply post = api.send(api.request(".well-known/jwks.json", null)
                    .POST(HttpRequest.BodyPublishers.ofString("{}")));
            post.assertError(405, "Method not allowed");
        });
        assertTrue(firstLog.contains("Created organization 'default'"), firstLog);
        List<String> lines = firstLog.lines().toList();
        int keyLine = IntStream.range(0, lines.size())
                .filter(i -> lines.get(i).contains("Created organization 'default'")).findFirst().orElseThrow();
        int readyLine = IntStream.range(0, lines.size())
                .filter(i -> lines.get(i).contains(" ready in ")).findFirst().orElse(-1);
        assertTrue(keyLine < readyLine && readyLine - keyLine <= 8,
                "the key line is a few lines above Payara's ready line, the end of the start-up output:\n" + firstLog);
        assertFalse(firstLog.contains("REST Endpoints:") || firstLog.contains("\"Instance Configuration\""),
                "Payara Micro's instance descriptor and endpoint list are left out:\n" + firstLog);
        assertEquals(System.getProperty("latchkey.it.fresh-db-url") == null, Files.isDirectory(workDir.resolve("data")),
                "the embedded H2 database lives under ./data, and only when no LATCHKEY_DB_URL is given");

        String adminKey = "admin-" + UUID.randomUUID();
        String[] rotated = new String[2];
        String secondLog = run(port, 2, Map.of("LATCHKEY_ADMIN_KEY", adminKey), (api, base) -> {
            assertEquals(200, api.get("api/v1/client_api", bearer(tokens[0])).status(), "the token survived");
            api.get("api/v1/client_api", bearer(tokens[1])).assertError(401, "Token has been revoked");
            JsonObject before = keySet(api, "ES256", 2);
            assertEquals(firstSet[0], before, "a restart keeps the key set");
            String nextKid = before.getJsonArray("keys").getJsonObject(1).getString("kid");
            Api.Reply rotation = api.post("api/v1/admin/signing_keys/rotate", bearer(adminKey), "");
            assertEquals(200, rotation.status(), rotation.body());
            rotated[0] = rotation.json().getString("kid");
            assertEquals(nextKid, rotated[0], "the rotation makes the published next key current");
            rotated[1] = mint(api, orgKey[0]);
            assertEquals(rotated[0], ForgedTokens.kid(rotated[1]), "new tokens carry the new kid");
            assertNotEquals(rotated[0], ForgedTokens.kid(tokens[0]));
            JdkVerifier.verify(rotated[1], before, "latchkey", nowSeconds()); // a set cached before the rotation
            JsonObject after = keySet(api, "ES256", 3);
            JdkVerifier.verify(tokens[0], after, "latchkey", nowSeconds());
            assertEquals(200, api.get("api/v1/client_api", bearer(tokens[0])).status(), "old kid still valid");
            assertEquals(200, api.get("api/v1/client_api", bearer(rotated[1])).status());
        });
        assertFalse(KEY.matcher(secondLog).find(), "a restart prints no key");
        Matcher firstSchema = SCHEMA.matcher(firstLog);
        Matcher secondSchema = SCHEMA.matcher(secondLog);
        assertTrue(firstSchema.find() && secondSchema.find(), "each start says its schema version:\n" + secondLog);
        assertEquals(firstSchema.group(1), secondSchema.group(1),
                "a restart names the version it found, not null (issue 34)");
        assertEquals("0", secondSchema.group(2), secondLog);

        try (TestUpstream upstream = new TestUpstream()) {
            run(port, 3, Map.of("LATCHKEY_UPSTREAM_URL", upstream.url() + "/base/",
                    "LATCHKEY_MESSAGES_URL", upstream.url() + "/messages"), (api, base) -> {
                assertEquals(200, api.get("api/v1/client_api", bearer(tokens[0])).status());
                assertEquals(200, api.get("api/v1/client_api", bearer(rotated[1])).status());
                String token = mint(api, orgKey[0]);
                assertEquals(rotated[0], ForgedTokens.kid(token), "the rotated key still signs");
                JsonObject set = keySet(api, "ES256", 3);
                JsonObject claims = JdkVerifier.verify(token, set, "latchkey", nowSeconds());

                // X-Latchkey-Assertion on the proxy, forward auth and the messages relay, checked with the JDK alone
                assertEquals(200, api.get("api/v1/client_api/orders/7?page=2", bearer(token)).status());
                TestUpstream.Received proxied = upstream.requestsWith("/base/orders/7").get(0);
                assertAssertion(proxied.header("X-Latchkey-Assertion"), set, claims, "GET", "/base/orders/7");
                Api.Reply allowed = api.send(api.request("api/v1/forward_auth", bearer(token))
                        .header("X-Forwarded-Method", "DELETE").header("X-Forwarded-Uri", "/carts/3?x=1").GET());
                assertEquals(200, allowed.status(), allowed.body());
                assertAssertion(allowed.headers().firstValue("X-Latchkey-Assertion").orElse(null), set, claims,
                        "DELETE", "/carts/3");
                try (LiveSocket socket = LiveSocket.open(base, token)) {
                    socket.next("session");
                    socket.send("{\"type\":\"send\",\"id\":\"q1\",\"data\":1}");
                    socket.next("reply");
                }
                TestUpstream.Received relayed = upstream.requestsWith("/messages").get(0);
                assertAssertion(relayed.header("X-Latchkey-Assertion"), set, claims, "POST", "/messages");
            });
        }

        // another algorithm: the ES256 keys' tokens stay valid, new tokens are EdDSA
        String fourthLog = run(port, 4, Map.of("LATCHKEY_SIGNING_ALG", "EdDSA"), (api, base) -> {
            assertEquals(200, api.get("api/v1/client_api", bearer(tokens[0])).status());
            assertEquals(200, api.get("api/v1/client_api", bearer(rotated[1])).status());
            String eddsa = mint(api, orgKey[0]);
            assertEquals("EdDSA", ForgedTokens.header(eddsa).getString("alg"));
            JsonObject set = keySet(api, null, 4); // the ES256 next key, never used, is gone
            JdkVerifier.verify(eddsa, set, "latchkey", nowSeconds());
            JdkVerifier.verify(rotated[1], set, "latchkey", nowSeconds());
            assertEquals(200, api.get("api/v1/client_api", bearer(eddsa)).status());
            assertTrue(LiveSocket.accepted(base, eddsa), "an EdDSA token opens the WebSocket");
            String ecKid = ForgedTokens.kid(rotated[1]);
            String confused = Jwts.forge("{\"alg\":\"EdDSA\",\"kid\":\"" + ecKid + "\",\"typ\":\"JWT\"}",
                    ForgedTokens.payload(eddsa).toString(), KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate());
            api.get("api/v1/client_api", bearer(confused)).assertError(401, "Invalid token format");
        });
        assertTrue(fourthLog.contains("(ES256) signs no more: LATCHKEY_SIGNING_ALG is EdDSA"), fourthLog);
    }

    /**
     * {@code GET /.well-known/jwks.json}: 200, cacheable, {@code count} keys with their public parts only, each of
     * algorithm {@code alg} (any when null) and {@code use: "sig"}.
     */
    private static JsonObject keySet(Api api, String alg, int count) {
        Api.Reply reply = api.get(".well-known/jwks.json", null);
        assertEquals(200, reply.status(), reply.body());
        assertTrue(reply.headers().firstValue("Cache-Control").orElse("").matches("public, max-age=[1-9][0-9]*"),
                reply.headers().toString());
        JsonObject set = reply.json();
        assertEquals(count, set.getJsonArray("keys").size(), reply.body());
        for (JsonValue value : set.getJsonArray("keys")) {
            JsonObject key = value.asJsonObject();
            assertEquals("sig", key.getString("use"));
            assertTrue(alg == null || alg.equals(key.getString("alg")), reply.body());
            assertEquals(key.getString("alg").equals("ES256") ? Set.of("kid", "kty", "alg", "use", "crv", "x", "y")
                    : Set.of("kid", "kty", "alg", "use", "crv", "x"), key.keySet(), "public members only");
        }
        return set;
    }

    /** An upstream assertion: verifies with the key set (JDK crypto only), names the token's client and the request. */
    private static void assertAssertion(String assertion, JsonObject set, JsonObject token, String method,
                                        String path) throws Exception {
        assertNotNull(assertion, "X-Latchkey-Assertion is sent");
        assertEquals("latchkey-assertion+jwt", ForgedTokens.header(assertion).getString("typ"));
        JsonObject claims = JdkVerifier.verify(assertion, set, "latchkey", nowSeconds());
        assertEquals(Set.of("iss", "client_id", "token_id", "org_id", "method", "path", "iat", "exp"), claims.keySet());
        for (String name : List.of("client_id", "token_id", "org_id")) {
            assertEquals(token.getString(name), claims.getString(name), name);
        }
        assertEquals(method, claims.getString("method"));
        assertEquals(path, claims.getString("path"));
        assertEquals(60, claims.getJsonNumber("exp").longValue() - claims.getJsonNumber("iat").longValue());
    }

    private static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }

    /**
     * LATCHKEY_BIND_ADDRESS=127.0.0.1 and no LATCHKEY_CLUSTER_MEMBERS: the process listens on 127.0.0.1 at the HTTP
     * port and on no other TCP port (no data grid port: the node runs without Hazelcast), as read from /proc for the
     * process's own pid, like {@code ss -ltnp}.
     */
    @Test
    void aNodeBoundToLoopbackAndUnclusteredListensOnItsHttpAddressAlone() throws Exception {
        int port = MicroJar.freePort();
        String log = MicroJar.run(workDir, "bound", port, environment -> {
            environment.keySet().removeIf(name -> name.startsWith("LATCHKEY_CLUSTER_"));
            environment.put("LATCHKEY_BIND_ADDRESS", "127.0.0.1");
        }, List.of(), (api, base, process) -> {
            api.get("api/v1/client_api", null).assertError(401, "Authorization header is missing");
            assertEquals(List.of(new InetSocketAddress("127.0.0.1", port)), ListeningSockets.of(process.pid()),
                    "the only listening TCP socket of the process");
        });
        assertTrue(log.contains("Latchkey: HTTP on port " + port + " (127.0.0.1 only), "), log);
        assertTrue(log.contains(", not clustered"), log);
    }

    private String readLog(String name) {
        try {
            return Files.readString(workDir.resolve(name + ".log"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String mint(Api api, String orgKey) {
        Api.Reply minted = api.post("api/v1/generate_access_token", bearer(orgKey),
                "{\"client_id\":\"readme-user\",\"duration_secs\":600}");
        assertEquals(200, minted.status(), minted.body());
        return minted.json().getString("access_token");
    }

    /** A start without LATCHKEY_ variables (but for {@code extra}), on ./data or the empty PostgreSQL database. */
    private String run(int port, int round, Map<String, String> extra, MicroJar.Session session) throws Exception {
        return MicroJar.run(workDir, "run-" + round, port, environment -> {
            environment.keySet().removeIf(name -> name.startsWith("LATCHKEY_"));
            String freshDatabase = System.getProperty("latchkey.it.fresh-db-url");
            if (freshDatabase != null) {
                environment.put("LATCHKEY_DB_URL", freshDatabase);
                environment.put("LATCHKEY_DB_USER", System.getenv("LATCHKEY_DB_USER"));
                environment.put("LATCHKEY_DB_PASSWORD", System.getenv("LATCHKEY_DB_PASSWORD"));
            }
            environment.putAll(extra);
        }, session);
    }
}
