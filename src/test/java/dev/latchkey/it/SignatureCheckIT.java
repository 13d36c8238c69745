package dev.latchkey.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signature checks of {@code docs/gateway.md} ("Checking the signature") work as printed. Each block, taken
 * verbatim from the Markdown, is the check of a small upstream: the block with a server appended
 * ({@code src/test/signature-check/}), run with Debian's {@code python3} or the machine's {@code node} on a free
 * loopback port, stopped after the test. The upstream answers 200 {@code verified} or 403 {@code refused} (500 and
 * the trace when the check throws or answers anything else), then the headers it received, so the test reads the
 * verdict over HTTP and can send a captured request again. The organization's upstream is that server, set
 * through the admin API; a request proxied by Latchkey must pass, and a replay, requests missing any header,
 * a {@code t} out of the window either way and a changed client id must be refused.
 */
class SignatureCheckIT extends BlackBoxTest {

    private static final Path DOC = Path.of("docs/gateway.md");
    private static final String SECTION = "### Checking the signature";
    private static final Path SERVERS = Path.of("src/test/signature-check");
    private static final String PATH = "/api/orders/7?page=2";
    private static final List<String> HEADERS = List.of("X-Latchkey-Signature", "X-Latchkey-Request-Id",
            "X-Latchkey-Org-Id", "X-Latchkey-Client-Id", "X-Latchkey-Token-Id", "X-Latchkey-Expires-At",
            "X-Latchkey-Metadata");

    @TempDir
    Path dir;

    private Process upstream;
    private Path log;
    private String upstreamUrl;

    @Test
    void thePythonCheckAsPrinted() throws Exception {
        check("python", "/usr/bin/python3", "upstream.py", "apt-get install python3");
    }

    @Test
    void theNodeCheckAsPrinted() throws Exception {
        check("js", "/usr/bin/node", "upstream.js", "install Node.js (the browser tests need it too)");
    }

    @AfterEach
    void stopUpstream() throws InterruptedException {
        if (upstream != null) {
            upstream.destroy();
            if (!upstream.waitFor(10, TimeUnit.SECONDS)) {
                upstream.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private void check(String language, String interpreter, String server, String install) throws Exception {
        if (!Files.isExecutable(Path.of(interpreter))) {
            fail(interpreter + " is missing: " + install);
        }
        Path script = dir.resolve(server);
        Files.writeString(script, printed(language) + "\n" + Files.readString(SERVERS.resolve(server)));

        JsonObject created = api.createOrg();
        Api org = new Api(base, created.getString("api_key"));
        int port = freePort();
        upstreamUrl = "http://127.0.0.1:" + port;
        Api.Reply put = api.send(api.request("api/v1/admin/orgs/" + created.getString("org_id") + "/upstream",
                        Api.bearer(Api.ADMIN_KEY)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + upstreamUrl + "/api\"}")));
        assertEquals(200, put.status(), put.body());
        String secret = put.json().getString("signing_secret");
        start(interpreter, script, port, secret);

        String token = org.mintToken(Api.uniqueClient(), 600);
        Api.Reply proxied = org.send(org.request("api/v1/client_api/orders/7?page=2", Api.bearer(token))
                .POST(HttpRequest.BodyPublishers.ofString("the body Latchkey forwarded")));
        assertVerdict("200 verified", proxied, "a request proxied by Latchkey");
        Map<String, String> captured = latchkeyHeaders(proxied.body());
        assertEquals(HEADERS.size(), captured.size(), proxied.body());

        assertVerdict("403 refused", direct(captured, "another body"), "the captured request sent again");
        assertVerdict("403 refused", direct(Map.of(), ""), "a request without any X-Latchkey header");
        Api.Reply allowed = api.get("api/v1/forward_auth/orders/7?page=2", Api.bearer(token));
        assertEquals(200, allowed.status(), allowed.body());
        Map<String, String> identity = new LinkedHashMap<>();
        allowed.headers().map().forEach((name, values) -> {
            if (name.toLowerCase(Locale.ROOT).startsWith("x-latchkey-")) {
                identity.put(name, values.get(0));
            }
        });
        assertEquals(5, identity.size(), identity::toString);
        assertVerdict("403 refused", direct(identity, ""), "the identity headers forward auth answered");

        // requests the test signs itself, as Latchkey does, each with a new request id
        assertVerdict("200 verified", direct(signed(secret, captured, 0), ""), "signed by the test");
        for (String missing : HEADERS) {
            Map<String, String> headers = signed(secret, captured, 0);
            headers.remove(missing);
            assertVerdict("403 refused", direct(headers, ""), "without " + missing);
        }
        // t is whole seconds, rounded down: -61 is over 61 s old, +62 over 61 s ahead by the time it is checked
        assertVerdict("403 refused", direct(signed(secret, captured, -61), ""), "t 61 s old");
        assertVerdict("403 refused", direct(signed(secret, captured, 62), ""), "t 62 s ahead");
        assertVerdict("200 verified", direct(signed(secret, captured, -50), ""), "t 50 s old");
        assertVerdict("200 verified", direct(signed(secret, captured, 50), ""), "t 50 s ahead");
        Map<String, String> genuine = signed(secret, captured, 0);
        Map<String, String> tampered = new LinkedHashMap<>(genuine);
        tampered.put("X-Latchkey-Client-Id", "someone-else");
        assertVerdict("403 refused", direct(tampered, ""), "another client id");
        assertVerdict("200 verified", direct(genuine, ""), "the genuine request after a forged one with its id");
        assertVerdict("403 refused", direct(genuine, ""), "the genuine request sent again");
    }

    /** The one block of this language in the section, as printed. */
    private static String printed(String language) throws IOException {
        List<String> lines = Files.readAllLines(DOC);
        int from = lines.indexOf(SECTION) + 1;
        assertTrue(from > 0, DOC + " has no " + SECTION);
        int to = from;
        while (to < lines.size() && !lines.get(to).startsWith("#")) {
            to++;
        }
        int start = from;
        int end = to;
        List<DocsCommandsIT.Block> blocks = DocsCommandsIT.blocks(DOC.toString()).stream()
                .filter(block -> block.line() > start && block.line() < end && block.language().equals(language))
                .toList();
        assertEquals(1, blocks.size(), () -> "```" + language + " blocks under " + SECTION + ": " + blocks);
        return blocks.get(0).text();
    }

    private void start(String interpreter, Path script, int port, String secret) throws Exception {
        log = dir.resolve(script.getFileName() + ".log");
        ProcessBuilder builder = new ProcessBuilder(interpreter, script.toString()).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/bin:/bin");
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("SIGNING_SECRET", secret);
        upstream = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!upstream.isAlive()) {
                fail(script.getFileName() + " exited: " + Files.readString(log));
            }
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        fail(script.getFileName() + " did not listen on " + port + " within 10 s: " + Files.readString(log));
    }

    /** POSTs straight to the upstream, bypassing Latchkey, with these headers. */
    private Api.Reply direct(Map<String, String> headers, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(upstreamUrl + PATH));
        headers.forEach(request::header);
        return api.send(request.POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** The captured identity with a new request id and {@code t} now plus {@code seconds}, signed with the secret. */
    private static Map<String, String> signed(String secret, Map<String, String> captured, long seconds)
            throws Exception {
        String t = Long.toString(System.currentTimeMillis() / 1000 + seconds);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Latchkey-Request-Id", UUID.randomUUID().toString());
        StringBuilder text = new StringBuilder("latchkey-v1\n").append(t).append('\n')
                .append(headers.get("X-Latchkey-Request-Id")).append("\nPOST\n").append(PATH);
        for (String name : HEADERS.subList(2, HEADERS.size())) {
            headers.put(name, captured.get(name.toLowerCase(Locale.ROOT)));
            text.append('\n').append(headers.get(name));
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        headers.put("X-Latchkey-Signature", "t=" + t + ",v1="
                + HexFormat.of().formatHex(mac.doFinal(text.toString().getBytes(StandardCharsets.UTF_8))));
        return headers;
    }

    /** The X-Latchkey-* headers the upstream listed after its verdict, by lower-case name. */
    private static Map<String, String> latchkeyHeaders(String answer) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : answer.split("\n")) {
            int colon = line.indexOf(": ");
            String name = colon > 0 ? line.substring(0, colon).toLowerCase(Locale.ROOT) : "";
            if (name.startsWith("x-latchkey-")) {
                headers.put(name, line.substring(colon + 2).strip());
            }
        }
        return headers;
    }

    private void assertVerdict(String expected, Api.Reply reply, String what) throws IOException {
        String verdict = reply.status() + " " + reply.body().lines().findFirst().orElse("");
        if (!expected.equals(verdict)) {
            fail(what + ": expected " + expected + ", the upstream answered " + reply.status() + ":\n" + reply.body()
                    + "\nits output:\n" + Files.readString(log));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
