package dev.latchkey.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code target/latchkey.war} on WildFly 35, set up as {@code docs/operations.md} says: {@code standalone.xml}
 * prepared by {@code server-config/wildfly.cli}, the WAR dropped into {@code deployments/}, the database and the
 * first org key from the same {@code LATCHKEY_} environment variables as the jar. A token minted there works on
 * {@code /latchkey/api/v1/client_api} and is refused once revoked. The upstream proxy relays there too (its relay is
 * a plain servlet, decision G3 of the {@code gateway} package): a GET with the identity headers, a 1 MiB upload,
 * and server-sent events, each event read before the next is sent.
 *
 * <p>The server is the unpacked {@code wildfly-dist} under {@code target/wildfly} (the build unpacks it from Maven
 * Central), run with a server folder of its own under {@code target/wildfly-it} on free loopback ports, on H2: it
 * runs in the H2 pass only (the PostgreSQL pass skips it), since it proves the WAR, not the database.
 */
class WildFlySmokeIT {

    private static final Duration DEPLOYED_WITHIN = Duration.ofSeconds(240);

    @Test
    void theWarMintsValidatesAndRevokesOnWildFly() throws Exception {
        Assumptions.assumeTrue("h2".equals(System.getProperty("latchkey.it.database")),
                "runs once, in the H2 pass");
        Path home = Path.of(System.getProperty("latchkey.it.wildfly-home")).toAbsolutePath();
        Path work = Path.of("target", "wildfly-it").toAbsolutePath();
        Path base = work.resolve("server");
        delete(work);
        Files.createDirectories(base.resolve("deployments"));
        copy(home.resolve("standalone/configuration"), base.resolve("configuration"));

        String cliLog = run(work.resolve("cli.log"), Duration.ofSeconds(120),
                home.resolve("bin/jboss-cli.sh").toString(), "-Djboss.server.base.dir=" + base,
                "--file=" + Path.of(System.getProperty("latchkey.it.wildfly-cli")).toAbsolutePath());
        assertTrue(Files.readString(base.resolve("configuration/standalone.xml"))
                .contains("microprofile-fault-tolerance-smallrye"), cliLog);
        Files.copy(Path.of(System.getProperty("latchkey.war")), base.resolve("deployments/latchkey.war"));

        int http = MicroJar.freePort();
        Path log = work.resolve("wildfly.log");
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/standalone.sh").toString(),
                "-Djboss.server.base.dir=" + base,
                "-Djboss.bind.address=127.0.0.1",
                "-Djboss.bind.address.management=127.0.0.1",
                "-Djboss.http.port=" + http,
                "-Djboss.https.port=" + MicroJar.freePort(),
                "-Djboss.management.http.port=" + MicroJar.freePort(),
                "-Djboss.management.https.port=" + MicroJar.freePort())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("LATCHKEY_"));
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        environment.put("LAUNCH_JBOSS_IN_BACKGROUND", "true");
        environment.put("LATCHKEY_DB_URL", "jdbc:h2:file:" + work.resolve("data/latchkey"));
        environment.put("LATCHKEY_ORG_API_KEY", Api.ORG_KEY);
        TestUpstream upstream = new TestUpstream();
        environment.put("LATCHKEY_UPSTREAM_URL", upstream.url() + "/base/");
        Process server = builder.start();
        try (upstream) {
            Api api = new Api(new URL("http://127.0.0.1:" + http + "/latchkey/"));
            awaitDeployed(api, server, base, log);

            JsonObject minted = api.mint("wildfly-user", 600, null);
            String token = minted.getString("access_token");
            Api.Reply session = api.clientApi(token);
            assertEquals(200, session.status(), session.body());
            assertEquals("wildfly-user", session.json().getString("client_id"));
            assertEquals(minted.getString("token_id"), session.json().getString("token_id"));

            proxies(api, token, upstream);

            Api.Reply revoked = api.revoke(token);
            assertEquals(200, revoked.status(), revoked.body());
            api.clientApi(token).assertError(401, "Token has been revoked");
            assertEquals("{\"detail\":\"Token has been revoked\"}", api.clientApi(token).body());
        } finally {
            stop(server);
        }
    }

    /** The upstream proxy on WildFly: a GET, an upload, server-sent events. */
    private static void proxies(Api api, String token, TestUpstream upstream) throws Exception {
        String marker = "wildfly" + System.nanoTime();
        Api.Reply got = api.get("api/v1/client_api/" + marker + "?q=1", Api.bearer(token));
        assertEquals(200, got.status(), got.body());
        assertEquals("{\"bytes\":0}", got.body());
        List<TestUpstream.Received> seen = upstream.requestsWith(marker);
        assertEquals(1, seen.size());
        assertEquals("/base/" + marker + "?q=1", seen.get(0).pathAndQuery());
        assertEquals("wildfly-user", seen.get(0).header("X-Latchkey-Client-Id"));
        assertNull(seen.get(0).header("Authorization"));

        byte[] upload = new byte[1024 * 1024];
        Api.Reply posted = api.send(api.request("api/v1/client_api/" + marker + "/upload", Api.bearer(token))
                .POST(HttpRequest.BodyPublishers.ofByteArray(upload)));
        assertEquals(200, posted.status(), posted.body());
        assertEquals("{\"bytes\":" + upload.length + "}", posted.body());

        HttpResponse<InputStream> events = HttpClient.newHttpClient().send(
                api.request("api/v1/client_api/events", Api.bearer(token)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, events.statusCode());
        assertEquals("text/event-stream", events.headers().firstValue("Content-Type").orElse(null));
        try (java.io.BufferedReader lines = new BufferedReader(
                new InputStreamReader(events.body(), StandardCharsets.UTF_8))) {
            assertEquals("data: 1", lines.readLine());
            assertEquals("", lines.readLine());
            assertEquals("data: 2", lines.readLine()); // sent 100 ms after the first: the first was not held
        }
    }

    /** Waits until Latchkey answers with its own JSON, failing at once when the deployment failed. */
    private static void awaitDeployed(Api api, Process server, Path base, Path log) throws Exception {
        long deadline = System.nanoTime() + DEPLOYED_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive() || Files.exists(base.resolve("deployments/latchkey.war.failed"))) {
                fail("WildFly did not deploy the WAR:\n" + tail(log));
            }
            if (Files.exists(base.resolve("deployments/latchkey.war.deployed"))) {
                try {
                    Api.Reply reply = api.get("api/v1/client_api", null);
                    if (reply.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
                        reply.assertError(401, "Authorization header is missing");
                        return;
                    }
                } catch (UncheckedIOException notYetListening) {
                    // the next round asks again
                }
            }
            Thread.sleep(250);
        }
        fail("no Latchkey JSON from WildFly within " + DEPLOYED_WITHIN.toSeconds() + " s:\n" + tail(log));
    }

    /** Stops the server and every process under it (standalone.sh starts the JVM as its child). */
    private static void stop(Process server) throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>(server.descendants().toList());
        all.add(server.toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle process : all) {
            try {
                process.onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                process.destroyForcibly();
            }
        }
    }

    private static String run(Path log, Duration within, String... command)
            throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        if (!process.waitFor(within.toSeconds(), TimeUnit.SECONDS)) {
            stop(process);
            fail(String.join(" ", command) + " did not finish within " + within.toSeconds() + " s:\n" + tail(log));
        }
        assertEquals(0, process.exitValue(), () -> tail(log));
        return Files.readString(log);
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    private static void delete(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(file);
                }
            }
        }
    }
}
