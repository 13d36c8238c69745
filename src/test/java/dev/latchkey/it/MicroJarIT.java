package dev.latchkey.it;

import static dev.latchkey.it.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command, as a new user meets it: {@code java -jar target/latchkey-micro.jar} in an empty
 * folder, with no LATCHKEY_ variables. The first start creates the org {@code default} and prints its key
 * once; a restart over the same ./data keeps the org, the key and the tokens, and prints no key; a rotated
 * signing key signs from then on, and tokens of the older key stay valid.
 */
class MicroJarIT {

    private static final Pattern KEY = Pattern.compile("fl-[A-Za-z0-9_-]{32,}");

    @TempDir
    Path workDir;

    @Test
    void firstStartPrintsAWorkingKeyOnceAndARestartKeepsEverything() throws Exception {
        int port = freePort();
        String[] orgKey = new String[1];
        String[] tokens = new String[2];
        String firstLog = run(port, 1, Map.of(), api -> {
            Matcher key = KEY.matcher(Files.readString(workDir.resolve("run-1.log")));
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

        run(port, 3, Map.of(), api -> {
            assertEquals(200, api.get("api/v1/client_api", bearer(tokens[0])).status());
            assertEquals(200, api.get("api/v1/client_api", bearer(rotated[1])).status());
            assertEquals(rotated[0], ForgedTokens.kid(mint(api, orgKey[0])), "the rotated key still signs");
        });
    }

    private static String mint(Api api, String orgKey) {
        Api.Reply minted = api.post("api/v1/generate_access_token", bearer(orgKey),
                "{\"client_id\":\"readme-user\",\"duration_secs\":600}");
        assertEquals(200, minted.status(), minted.body());
        return minted.json().getString("access_token");
    }

    private interface Session {
        void use(Api api) throws Exception;
    }

    /** Starts the jar, waits until it serves, runs the session, stops it; returns what it printed. */
    private String run(int port, int round, Map<String, String> env, Session session) throws Exception {
        Path log = workDir.resolve("run-" + round + ".log");
        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", new File("target/latchkey-micro.jar").getAbsolutePath(),
                "--port", String.valueOf(port), "--nocluster"))
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("LATCHKEY_"));
        String freshDatabase = System.getProperty("latchkey.it.fresh-db-url");
        if (freshDatabase != null) {
            // the PostgreSQL run: an empty database of the test cluster instead of ./data
            builder.environment().put("LATCHKEY_DB_URL", freshDatabase);
            builder.environment().put("LATCHKEY_DB_USER", System.getenv("LATCHKEY_DB_USER"));
            builder.environment().put("LATCHKEY_DB_PASSWORD", System.getenv("LATCHKEY_DB_PASSWORD"));
        }
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            awaitReady(process, log);
            awaitListening(port, process, log);
            try {
                session.use(new Api(new URL("http://localhost:" + port + "/")));
            } catch (Exception | AssertionError e) {
                throw new AssertionError("round " + round + " failed; the server printed:\n" + Files.readString(log), e);
            }
        } finally {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        return Files.readString(log);
    }

    private static void awaitReady(Process process, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            String text = Files.readString(log);
            if (text.contains(" ready in ")) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("latchkey-micro.jar exited early:\n" + text);
            }
            Thread.sleep(250);
        }
        throw new AssertionError("latchkey-micro.jar did not become ready:\n" + Files.readString(log));
    }

    /** "ready" is printed as the listener opens: wait until it answers an HTTP request. */
    private static void awaitListening(int port, Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new AssertionError("latchkey-micro.jar does not listen on " + port + ":\n"
                            + Files.readString(log), notYet);
                }
                Thread.sleep(200);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
