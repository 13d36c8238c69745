package dev.latchkey.it;

import static dev.latchkey.it.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command, as a new user meets it: {@code java -jar target/latchkey-micro.jar} in an empty
 * folder, with no LATCHKEY_ variables. The first start creates the org {@code default} and prints its key
 * once; a restart over the same ./data keeps the org, the key and the tokens, and prints no key; a rotated
 * signing key signs from then on, and tokens of the older key stay valid.
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
        String firstLog = run(port, 1, Map.of(), api -> {
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
        String secondLog = run(port, 2, Map.of("LATCHKEY_ADMIN_KEY", adminKey), api -> {
            assertEquals(200, api.get("api/v1/client_api", bearer(tokens[0])).status(), "the token survived");
            api.get("api/v1/client_api", bearer(tokens[1])).assertError(401, "Token has been revoked");
            Api.Reply rotation = api.post("api/v1/admin/signing_keys/rotate", bearer(adminKey), "");
            assertEquals(200, rotation.status(), rotation.body());
            rotated[0] = rotation.json().getString("kid");
            rotated[1] = mint(api, orgKey[0]);
            assertEquals(rotated[0], ForgedTokens.kid(rotated[1]), "new tokens carry the new kid");
            assertNotEquals(rotated[0], ForgedTokens.kid(tokens[0]));
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

        run(port, 3, Map.of(), api -> {
            assertEquals(200, api.get("api/v1/client_api", bearer(tokens[0])).status());
            assertEquals(200, api.get("api/v1/client_api", bearer(rotated[1])).status());
            assertEquals(rotated[0], ForgedTokens.kid(mint(api, orgKey[0])), "the rotated key still signs");
        });
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
    private String run(int port, int round, Map<String, String> extra, Consumer<Api> session) throws Exception {
        return MicroJar.run(workDir, "run-" + round, port, environment -> {
            environment.keySet().removeIf(name -> name.startsWith("LATCHKEY_"));
            String freshDatabase = System.getProperty("latchkey.it.fresh-db-url");
            if (freshDatabase != null) {
                environment.put("LATCHKEY_DB_URL", freshDatabase);
                environment.put("LATCHKEY_DB_USER", System.getenv("LATCHKEY_DB_USER"));
                environment.put("LATCHKEY_DB_PASSWORD", System.getenv("LATCHKEY_DB_PASSWORD"));
            }
            environment.putAll(extra);
        }, (api, base) -> session.accept(api));
    }
}
