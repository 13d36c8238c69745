package dev.latchkey.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands of {@code README.md}, {@code docs/api.md}, {@code docs/websocket.md}, {@code docs/operations.md},
 * {@code docs/verifying.md} (whose blocks write a Node and a Java verifier and run them), {@code docs/revocations.md}
 * and {@code docs/limits.md} work as printed: a reader's session, replayed. The
 * built jar is started in an empty folder with none of the test's {@code LATCHKEY_} settings (so it creates the
 * {@code default} organization and prints its key, as on a first start), and every {@code ```sh} block of these
 * files runs with bash, in order, in one shell session (variables carry over from block to block, as in the
 * reader's terminal). Each block must exit 0 under {@code set -eo pipefail}; the JSON it prints must match the
 * answers the docs print for it in shape (keys and JSON types; the values of {@code detail}, {@code status},
 * {@code message} and {@code active} exactly; ids, tokens and times differ): the {@code # {...}} comment lines of
 * the block, or the lines of a {@code ```json} block right after it. A JSON answer with a {@code detail} the docs
 * do not print is an error the reader would not expect, and fails the test.
 *
 * <p>What a reader changes, the test changes the same way: the printed org key goes where the docs put a
 * stand-in ({@code ORG_KEY=fl-...}), and {@code localhost:8080} becomes the test's free port. Markers in the
 * Markdown (HTML comments, invisible when rendered) on the line before a {@code ```sh} block:
 * <ul>
 *   <li>{@code <!-- DocsCommandsIT: starts the server -->}: the block's {@code java -jar target/latchkey-micro.jar}
 *   is what the test starts (stopping the one before, as a reader would with Ctrl-C), with the block's
 *   {@code NAME=value} settings in front of it;</li>
 *   <li>{@code <!-- DocsCommandsIT: not run, <why> -->}: the block is not run (the test run itself).</li>
 * </ul>
 * A block without a language whose lines start with {@code ... } is a log excerpt: each line, without its
 * {@code ...} ends, must be in what the server printed. Runs on H2 only: the docs' commands use the default
 * database.
 */
class DocsCommandsIT {

    private static final List<String> DOCS = List.of("README.md", "docs/api.md", "docs/websocket.md",
            "docs/operations.md", "docs/verifying.md", "docs/revocations.md", "docs/limits.md");
    private static final String START = "<!-- DocsCommandsIT: starts the server -->";
    private static final String NOT_RUN = "<!-- DocsCommandsIT: not run";
    private static final String JAR = "java -jar target/latchkey-micro.jar";
    private static final Pattern PRINTED_KEY = Pattern.compile("store it now: (fl-[A-Za-z0-9_-]+)");
    private static final Pattern KEY_STAND_IN = Pattern.compile("^((?:export )?ORG_KEY=)fl-\\S*", Pattern.MULTILINE);
    private static final Pattern SETTING = Pattern.compile("[A-Z][A-Z0-9_]*=\\S+");
    private static final Duration BLOCK_TIMEOUT = Duration.ofSeconds(60);
    /** What each curl of a block writes on stderr, then its HTTP status (000: no answer). */
    private static final String STATUS = "DocsCommandsIT-http-status";

    @TempDir
    Path folder;

    private Process server;
    private int serverStarts;
    private String orgKey;

    /** A fenced block: its language, its lines, the line before its fence, and the answers printed for it. */
    record Block(String file, int line, String language, String marker, String text, List<String> answers) {
    }

    @Test
    void everyShellBlockRunsAsPrinted() throws Exception {
        assumeTrue("h2".equals(System.getProperty("latchkey.it.database")), "the docs use the default database");
        int port = MicroJar.freePort();
        Path state = folder.resolve("shell-state.sh");
        Files.writeString(state, "");
        int marked = 0;
        try {
            for (String doc : DOCS) {
                for (Block block : blocks(doc)) {
                    if (block.marker().startsWith(START)) {
                        marked++;
                    }
                    String where = block.file() + ":" + block.line();
                    if (block.language().isEmpty() && block.text().startsWith("... ")) {
                        assertLogged(where, block.text());
                    } else if (block.language().equals("sh") && block.marker().startsWith(START)) {
                        start(where, block.text(), port);
                    } else if (block.language().equals("sh") && !block.marker().startsWith(NOT_RUN)) {
                        if (server == null) {
                            fail(where + ": a command before the docs start the server");
                        }
                        run(where, block, port, state);
                    }
                }
            }
            // the README's start, docs/api.md's with an admin key, docs/limits.md's: each one marked was made
            assertTrue(marked >= 3, "the docs' marked starts were found (" + marked + ")");
            assertEquals(marked, serverStarts, "every marked start of the docs started the server");
        } finally {
            stop();
        }
    }

    /** Every fenced block of a Markdown file, in order. */
    static List<Block> blocks(String file) throws IOException {
        List<String> lines = Files.readAllLines(Path.of(file));
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).startsWith("```")) {
                continue;
            }
            String language = lines.get(i).substring(3).strip();
            String marker = i > 0 ? lines.get(i - 1).strip() : "";
            int open = i;
            StringBuilder text = new StringBuilder();
            for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                text.append(lines.get(i)).append('\n');
            }
            List<String> answers = new ArrayList<>();
            for (String line : text.toString().split("\n")) {
                if (line.startsWith("# {")) {
                    answers.add(line.substring(2, matchingBrace(line, 2) + 1)); // words may follow the JSON
                }
            }
            int next = i + 1;
            while (next < lines.size() && lines.get(next).isBlank()) {
                next++;
            }
            if (language.equals("sh") && next < lines.size() && lines.get(next).equals("```json")) {
                for (int j = next + 1; j < lines.size() && !lines.get(j).startsWith("```"); j++) {
                    if (!lines.get(j).isBlank()) {
                        answers.add(lines.get(j));
                    }
                }
            }
            blocks.add(new Block(file, open + 1, language, marker, text.toString(), answers));
        }
        return blocks;
    }

    /** Starts the jar as the block does (its settings in front of {@code java -jar}), after stopping the last one. */
    private void start(String where, String text, int port) throws Exception {
        int at = text.indexOf(JAR);
        assertTrue(at >= 0, () -> where + ": a start block without " + JAR);
        String line = text.substring(text.lastIndexOf('\n', at) + 1, at);
        if (line.contains("&&")) {
            line = line.substring(line.lastIndexOf("&&") + 2);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (String word : line.strip().split("\\s+")) {
            if (!word.isEmpty()) {
                assertTrue(SETTING.matcher(word).matches(), () -> where + ": not a setting: " + word);
                settings.put(word.substring(0, word.indexOf('=')), word.substring(word.indexOf('=') + 1));
            }
        }
        stop();
        Path log = folder.resolve("server-" + (serverStarts + 1) + ".log");
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", new File("target/latchkey-micro.jar").getAbsolutePath(), "--port", String.valueOf(port))
                .directory(folder.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("LATCHKEY_"));
        builder.environment().putAll(settings);
        server = builder.start();
        serverStarts++;
        awaitReady(port, log);
        if (orgKey == null) {
            Matcher key = PRINTED_KEY.matcher(Files.readString(log));
            assertTrue(key.find(), () -> where + ": the first start printed no org key");
            orgKey = key.group(1);
        }
    }

    /** Runs one block in the shell session: the variables of the blocks before it, then the block. */
    private void run(String where, Block block, int port, Path state) throws Exception {
        String commands = block.text().replace("localhost:8080", "localhost:" + port);
        commands = KEY_STAND_IN.matcher(commands).replaceAll("$1" + orgKey);
        // every curl of the block reports its HTTP status on stderr: curl -s exits 0 on any status
        String script = "set -a\n. " + state + "\nset -eo pipefail\n"
                + "curl() { command curl -w '%{stderr}" + STATUS + " %{http_code}\\n' \"$@\"; }\n" + commands
                + "\nset +e\nexport -p > " + state + "\n";
        Path out = folder.resolve("block.out");
        Path err = folder.resolve("block.err");
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", script).directory(folder.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
        builder.environment().put("HOME", folder.toString());
        builder.environment().put("LANG", "C.UTF-8");
        Process bash = builder.start();
        try {
            assertTrue(bash.waitFor(BLOCK_TIMEOUT.toSeconds(), TimeUnit.SECONDS),
                    () -> where + ": still running after " + BLOCK_TIMEOUT);
            String printed = Files.readString(out);
            String context = where + " (" + block.text().strip() + ")\nprinted: " + printed + "\nstderr: "
                    + Files.readString(err);
            assertEquals(0, bash.exitValue(), () -> context);
            List<JsonObject> answers = jsonObjects(printed);
            // the HTTP statuses: 2xx, or 4xx as many times as the docs print an error answer for the block
            List<Integer> statuses = new ArrayList<>();
            Matcher status = Pattern.compile("^" + STATUS + " (\\d{3})$", Pattern.MULTILINE).matcher(Files.readString(err));
            while (status.find()) {
                statuses.add(Integer.parseInt(status.group(1)));
            }
            long documentedErrors = block.answers().stream().filter(answer -> LiveSocket.parse(answer).containsKey("detail"))
                    .count();
            assertTrue(!block.text().contains("curl ") || !statuses.isEmpty(), () -> "no status: " + context);
            assertTrue(statuses.stream().allMatch(code -> code >= 200 && code < 500 && (code < 300 || documentedErrors > 0)),
                    () -> "statuses " + statuses + ": " + context);
            assertEquals(documentedErrors, statuses.stream().filter(code -> code >= 400).count(),
                    () -> "statuses " + statuses + ", the docs print " + documentedErrors + " errors: " + context);
            if (block.answers().isEmpty()) {
                for (JsonObject answer : answers) {
                    assertFalse(answer.containsKey("detail"), () -> "an error the docs do not show: " + context);
                    assertFalse(answer.containsKey("active") && !answer.getBoolean("active"),
                            () -> "an inactive token the docs do not show: " + context);
                }
                return;
            }
            assertEquals(block.answers().size(), answers.size(), () -> "the docs print " + block.answers().size()
                    + " answers: " + context);
            for (int i = 0; i < answers.size(); i++) {
                JsonShapes.assertSameShape(where + " answer " + (i + 1), LiveSocket.parse(block.answers().get(i)),
                        answers.get(i));
            }
        } finally {
            if (bash.isAlive()) {
                bash.destroyForcibly();
                bash.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * The JSON objects in what a block printed, in order: curl prints each answer without a newline, so two
     * answers can share a line. Brace runs that are not JSON (Prometheus labels) are passed over.
     */
    static List<JsonObject> jsonObjects(String printed) {
        List<JsonObject> objects = new ArrayList<>();
        int i = 0;
        while ((i = printed.indexOf('{', i)) >= 0) {
            int end = matchingBrace(printed, i);
            if (end < 0) {
                break;
            }
            try {
                objects.add(LiveSocket.parse(printed.substring(i, end + 1)));
                i = end + 1;
            } catch (JsonException | ClassCastException notJson) {
                i++;
            }
        }
        return objects;
    }

    private static int matchingBrace(String text, int open) {
        int depth = 0;
        boolean inString = false;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private void assertLogged(String where, String excerpt) throws IOException {
        assertTrue(server != null, () -> where + ": a log excerpt before the server starts");
        String log = Files.readString(folder.resolve("server-" + serverStarts + ".log"));
        for (String line : excerpt.split("\n")) {
            String shown = line.strip().replaceAll("^\\.\\.\\. ", "").replaceAll("\\.\\.\\.$", "");
            assertTrue(log.contains(shown), () -> where + ": the server never printed \"" + shown + "\":\n" + log);
        }
    }

    /** Waits until the readiness probe says UP, as the README tells the reader to. */
    private void awaitReady(int port, Path log) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(420); // a loaded 2-core machine took 137 s to start one
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                fail("latchkey-micro.jar exited:\n" + Files.readString(log));
            }
            try (Socket probe = new Socket("localhost", port)) {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/health/ready")).timeout(Duration.ofSeconds(5))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200 && ready.body().contains("\"status\":\"UP\"")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        fail("never ready:\n" + Files.readString(log));
    }

    /** SIGTERM, as Ctrl-C; killed if it is still running after 60 s. */
    private void stop() throws InterruptedException {
        if (server == null) {
            return;
        }
        server.destroy();
        if (!server.waitFor(60, TimeUnit.SECONDS)) {
            server.destroyForcibly();
            server.waitFor(30, TimeUnit.SECONDS);
        }
        server = null;
    }
}
