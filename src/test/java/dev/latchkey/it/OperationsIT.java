package dev.latchkey.it;

import static dev.latchkey.it.Api.ORG_KEY;
import static dev.latchkey.it.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * latchkey-micro.jar as an operator runs it, in one start: the readiness probe polled from the first second
 * (it must never say 200 before {@code /api/v1/client_api} is Latchkey's JSON), the latchkey_ counters read back
 * after known traffic, the access log (on by default, client_key redacted), and SIGTERM with sockets open
 * (1001 to every socket, exit status 0 within 30 s).
 */
class OperationsIT {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path workDir;

    @Test
    void probesMetricsAccessLogAndGracefulShutdown() throws Exception {
        int port = MicroJar.freePort();
        Path log = workDir.resolve("node.log");
        Process process = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", new File("target/latchkey-micro.jar").getAbsolutePath(), "--port", String.valueOf(port)))
                .directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            URL base = new URL("http://localhost:" + port + "/");
            awaitReadyOnlyWhenTheApiAnswers(base, process, log);
            Api api = new Api(base);
            try {
                metricsCountTheTraffic(api, base);
                openApiHasEveryContractPath(base);
                shutdownDrains(api, base, process, log);
            } catch (Exception | AssertionError e) {
                throw new AssertionError("the server printed:\n" + Files.readString(log), e);
            }
            accessLogRedacts(Files.readString(log));
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Polls every 100 ms from the start: each 200 from /health/ready is followed by the API's JSON 401. */
    private static void awaitReadyOnlyWhenTheApiAnswers(URL base, Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        List<Integer> before = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("latchkey-micro.jar exited:\n" + Files.readString(log));
            }
            int ready = status(base, "health/ready");
            if (ready == 200) {
                HttpResponse<String> api = get(base, "api/v1/client_api");
                assertEquals(401, api.statusCode(), () -> "ready, but the API answered " + api.body());
                assertEquals("Authorization header is missing", LiveSocket.parse(api.body()).getString("detail"));
                assertTrue(before.stream().anyMatch(status -> status != 200), "polled before the node was ready");
                assertEquals(200, status(base, "health/live"));
                assertTrue(get(base, "health/ready").body().contains("\"status\":\"UP\""));
                return;
            }
            assertTrue(ready == 0 || ready == 404 || ready == 500 || ready == 503, "ready answered " + ready);
            before.add(ready);
            Thread.sleep(100);
        }
        fail("never ready:\n" + Files.readString(log));
    }

    private static void metricsCountTheTraffic(Api api, URL base) throws Exception {
        String before = get(base, "metrics").body();
        String client = Api.uniqueClient();
        String token = api.mintToken(client, 600);
        assertEquals(200, api.clientApi(token).status());
        assertEquals(200, api.clientApi(token).status());
        api.clientApi("not-a-jwt").assertError(401, "Invalid token format");
        String socketToken = api.mintToken(client, 600);
        try (LiveSocket socket = LiveSocket.open(base, socketToken)) {
            assertEquals("session", socket.next().getString("type"));
            assertEquals(200, api.revoke(socketToken).status());
            assertEquals(4401, socket.closed().code());
        }
        api.clientApi(socketToken).assertError(401, "Token has been revoked");
        String after = get(base, "metrics").body();
        assertEquals(2, PrometheusText.delta(before, after, "latchkey_tokens_minted_total", ""));
        assertEquals(2, PrometheusText.delta(before, after, "latchkey_validations_total", "outcome=\"accepted\",surface=\"rest\""));
        assertEquals(1, PrometheusText.delta(before, after, "latchkey_validations_total",
                "outcome=\"invalid_format\",surface=\"rest\""));
        assertEquals(1, PrometheusText.delta(before, after, "latchkey_validations_total", "outcome=\"revoked\",surface=\"rest\""));
        assertEquals(1, PrometheusText.delta(before, after, "latchkey_validations_total",
                "outcome=\"accepted\",surface=\"websocket_handshake\""));
        assertEquals(1, PrometheusText.delta(before, after, "latchkey_revocations_total", "kind=\"token\""));
        assertEquals(1, PrometheusText.delta(before, after, "latchkey_websocket_closes_total", "code=\"4401\""));
        assertTrue(PrometheusText.delta(before, after, "latchkey_token_cache_hits_total", "") >= 1, after);
        assertTrue(PrometheusText.delta(before, after, "latchkey_token_cache_misses_total", "") >= 1, after);
        assertTrue(after.contains("latchkey_revoke_close_latency_seconds_count"), after);
        assertTrue(after.contains("latchkey_websockets_open"), after);
        assertTrue(after.contains("latchkey_access_log_dropped_lines_total{"), after);
        assertEquals(0, PrometheusText.delta(before, after, "latchkey_access_log_dropped_lines_total", ""), "a line was dropped");
        assertFalse(after.contains(client), "a client_id is a label");
        assertFalse(after.contains(token.substring(0, 30)), "a token is in the metrics");
    }

    /** Every path of the contract, with both bearer schemes and the validation table's texts. */
    private static void openApiHasEveryContractPath(URL base) throws Exception {
        HttpResponse<String> reply = HTTP.send(HttpRequest.newBuilder(URI.create(base + "openapi"))
                .header("Accept", "application/json").timeout(Duration.ofSeconds(90)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, reply.statusCode());
        jakarta.json.JsonObject document = LiveSocket.parse(reply.body());
        jakarta.json.JsonObject paths = document.getJsonObject("paths");
        for (String path : List.of("generate_access_token", "revoke_token", "revoke_client_tokens", "introspect",
                "client_tokens", "client_messages", "client_api", "client_ws", "admin/orgs",
                "admin/orgs/{org_id}/api_keys", "admin/api_keys/{key_id}", "admin/signing_keys/rotate",
                "admin/orgs/{org_id}/upstream", "client_api/{path}", "forward_auth", "forward_auth/{path}")) {
            assertTrue(paths.containsKey("/api/v1/" + path), () -> "/openapi lacks /api/v1/" + path);
        }
        for (String path : paths.keySet()) {
            assertFalse(path.contains(":"), () -> "/openapi has a regular expression for a path: " + path);
        }
        jakarta.json.JsonObject schemes = document.getJsonObject("components").getJsonObject("securitySchemes");
        assertEquals("bearer", schemes.getJsonObject("orgKey").getString("scheme"));
        assertEquals("JWT", schemes.getJsonObject("clientToken").getString("bearerFormat"));
        for (dev.latchkey.tokens.control.TokenFailure failure : dev.latchkey.tokens.control.TokenFailure.values()) {
            assertTrue(reply.body().contains(failure.detail()), () -> "/openapi lacks " + failure.detail());
        }
    }

    private static void shutdownDrains(Api api, URL base, Process process, Path log) throws Exception {
        String client = Api.uniqueClient();
        try (LiveSocket first = LiveSocket.open(base, api.mintToken(client, 600));
             LiveSocket second = LiveSocket.open(LiveSocket.uri(base, api.mintToken(client, 600)), Map.of())) {
            assertEquals("session", first.next().getString("type"));
            assertEquals("session", second.next().getString("type"));
            long signalled = System.nanoTime();
            process.destroy(); // SIGTERM
            assertEquals(1001, first.closed(Duration.ofSeconds(20)).code());
            assertEquals(1001, second.closed(Duration.ofSeconds(20)).code());
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "still running 30 s after SIGTERM");
            assertEquals(0, process.exitValue());
            assertTrue(System.nanoTime() - signalled < TimeUnit.SECONDS.toNanos(30));
        }
        String text = Files.readString(log);
        assertTrue(text.contains("Closed 2 live connections with 1001"), "the drain is logged");
    }

    private static void accessLogRedacts(String log) {
        assertTrue(log.contains("\"GET /api/v1/client_api\" 200 "), "a REST request is in the access log");
        assertTrue(log.contains("\"GET /api/v1/client_ws?client_key=[redacted]\" 101 ")
                || log.contains("\"GET /api/v1/client_ws?client_key=[redacted]\" 200 "), "a handshake is logged");
        Matcher keys = Pattern.compile("client_key=([^\" &]*)").matcher(log);
        while (keys.find()) {
            assertEquals("[redacted]", keys.group(1));
        }
        assertFalse(Pattern.compile("eyJ[A-Za-z0-9_-]{5,}").matcher(log).find(), "a JWT reached the log");
        assertFalse(log.contains(ORG_KEY), "the org key reached the log");
        // no Authorization header is ever logged: anywhere in the log, not only at its first mention
        Matcher header = Pattern.compile("(?i)authorization\"?\\s*[:=]\\s*\"?(bearer|basic|token)\\b").matcher(log);
        assertFalse(header.find(), () -> "an Authorization header reached the log: "
                + log.substring(Math.max(0, header.start() - 200), Math.min(log.length(), header.end() + 80)));
    }

    /** How much the series with exactly these labels grew (0 when it appears in neither text). */
    private static int status(URL base, String path) {
        try {
            return get(base, path).statusCode();
        } catch (IOException e) {
            return 0; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static HttpResponse<String> get(URL base, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
