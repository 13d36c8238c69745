package dev.latchkey.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogsTest {

    @TempDir
    Path folder;

    private static List<String> properties(List<String> arguments) throws Exception {
        assertEquals("--logproperties", arguments.get(arguments.size() - 2));
        return Files.readAllLines(Path.of(arguments.get(arguments.size() - 1)), StandardCharsets.ISO_8859_1);
    }

    @Test
    void jsonUsesTheOneSchemaFormatterAndPinsTheRequestLoggers() throws Exception {
        List<String> lines = properties(Logs.arguments(List.of("--port", "8080"),
                Map.of("LATCHKEY_LOG_FORMAT", "JSON")::get));
        assertTrue(lines.contains("java.util.logging.ConsoleHandler.formatter=dev.latchkey.launcher.JsonLogFormatter"),
                lines::toString);
        assertTrue(lines.containsAll(Logs.PINNED));
    }

    @Test
    void textIsTheDefault() throws Exception {
        List<String> arguments = Logs.arguments(List.of("--port", "8080"), name -> null);
        assertEquals(List.of("--port", "8080"), arguments.subList(0, 2));
        assertTrue(properties(arguments).contains(
                "java.util.logging.ConsoleHandler.formatter=java.util.logging.SimpleFormatter"));
    }

    @Test
    void theDefaultConsoleHandlerLeavesOutPayarasStartChatter() throws Exception {
        List<String> lines = properties(Logs.arguments(List.of(), name -> null));
        assertTrue(lines.contains("java.util.logging.ConsoleHandler.filter=dev.latchkey.launcher.StartChatter"),
                lines::toString);
    }

    @Test
    void theUsersFileWinsButCannotUnpinTheRequestLoggers() throws Exception {
        Path own = folder.resolve("own.properties");
        Files.write(own, List.of("handlers=java.util.logging.ConsoleHandler", "org.glassfish.grizzly.level=FINEST"));
        List<String> arguments = Logs.arguments(List.of("--logProperties", own.toString(), "--port", "8080"),
                name -> null);
        assertEquals(List.of("--port", "8080"), arguments.subList(0, 2), "the user's flag is replaced, not doubled");
        List<String> lines = properties(arguments);
        assertEquals(List.of("handlers=java.util.logging.ConsoleHandler", "org.glassfish.grizzly.level=FINEST",
                "org.glassfish.grizzly.level=INFO", "org.glassfish.tyrus.level=INFO"), lines,
                "the pins come last, so they win");
    }

    @Test
    void anUnknownFormatIsRefused() {
        ClusterSettings.Refusal refusal = assertThrows(ClusterSettings.Refusal.class,
                () -> Logs.arguments(List.of(), Map.of("LATCHKEY_LOG_FORMAT", "xml")::get));
        assertEquals("LATCHKEY_LOG_FORMAT: must be text or json, not \"xml\"", refusal.getMessage());
    }

    @Test
    void plainLinesBecomeJsonObjectsAndJsonLinesPassThrough() throws Exception {
        List<String> lines = console(true, "{\"Level\":\"INFO\"}\nFileMonitoring \"shutdown\"\tnow\n\n"
                + ConsoleLines.STOP_CHATTER + " = [GlassFishConfigBean.x]\n");
        assertEquals(2, lines.size(), "blank lines and Payara's stop chatter are dropped: " + lines);
        assertEquals("{\"Level\":\"INFO\"}", lines.get(0));
        assertTrue(lines.get(1).matches(Pattern.quote("{\"Timestamp\":\"") + "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"
                + Pattern.quote("\",\"Level\":\"INFO\",\"LevelValue\":800,\"LoggerName\":\"System.out\",\"TimeMillis\":")
                + "\\d+" + Pattern.quote(",\"LogMessage\":\"FileMonitoring \\\"shutdown\\\"\\tnow\"}")), lines.get(1));
        assertFalse(ConsoleLines.isJsonObject("{"));
        assertEquals("{\"Timestamp\":\"2026-01-02T03:04:05.006Z\",\"Level\":\"INFO\",\"LevelValue\":800,"
                + "\"LoggerName\":\"x\",\"TimeMillis\":1767323045006,\"LogMessage\":\"a\\u0001b\"}",
                ConsoleLines.wrap("a\u0001b", "x", 1767323045006L));
    }

    @Test
    void textLinesPassUnchangedButPayarasStopChatter() throws Exception {
        assertEquals(List.of("Latchkey: HTTP on port 8080", "", "end"),
                console(false, "Latchkey: HTTP on port 8080\n\n" + ConsoleLines.STOP_CHATTER + " = [x]\nend\n"));
    }

    /** One schema (issue 34): the fields and types of a wrapped line, plus the thread and a Map parameter's entries. */
    @Test
    void theFormatterWritesTheSameSchemaWithNumbersAndZuluTimes() {
        LogRecord record = new LogRecord(Level.WARNING, "Token {0} refused");
        record.setLoggerName("dev.latchkey.tokens.control.TokenValidator");
        record.setInstant(Instant.ofEpochMilli(1767323045006L));
        record.setParameters(new Object[] {"3f0c", Map.of("token_id", "3f0c")});
        assertEquals("{\"Timestamp\":\"2026-01-02T03:04:05.006Z\",\"Level\":\"WARNING\",\"LevelValue\":900,"
                + "\"LoggerName\":\"dev.latchkey.tokens.control.TokenValidator\",\"ThreadName\":\""
                + Thread.currentThread().getName() + "\",\"TimeMillis\":1767323045006,"
                + "\"LogMessage\":\"Token 3f0c refused\",\"token_id\":\"3f0c\"}\n", new JsonLogFormatter().format(record));
        record.setThrown(new IllegalStateException("boom"));
        assertTrue(new JsonLogFormatter().format(record)
                .contains(",\"Throwable\":\"java.lang.IllegalStateException: boom\\n"));
        assertEquals("2026-01-02T03:04:05.000Z", JsonLogFormatter.timestamp(1767323045000L));
    }

    /**
     * The access log hands over up to 100 ms of lines in one print; they must reach the console in one write (and
     * one flush), not one per line. One per line cost the session path about 5 points of throughput against the
     * stack floor in {@code bench/load.sh} (7 December 2026).
     */
    @Test
    void linesHandedOverTogetherLeaveInOneWrite() throws Exception {
        List<Integer> writes = new ArrayList<>();
        OutputStream counting = new OutputStream() {
            @Override
            public void write(int b) {
                writes.add(1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                writes.add(length);
            }
        };
        console(counting, false, "first line\nsecond line\n" + ConsoleLines.STOP_CHATTER + " = [x]\nthird line\n");
        assertEquals(List.of("first line\nsecond line\nthird line\n".length()), writes);
    }

    private static List<String> console(boolean json, String printed) throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        console(sink, json, printed);
        return sink.toString(StandardCharsets.UTF_8).lines().toList();
    }

    /** Prints {@code printed} in one call through a ConsoleLines passing lines on to {@code target}. */
    private static void console(OutputStream target, boolean json, String printed) throws Exception {
        Constructor<ConsoleLines> constructor =
                ConsoleLines.class.getDeclaredConstructor(PrintStream.class, String.class, boolean.class);
        constructor.setAccessible(true);
        try (PrintStream stream = new PrintStream(
                constructor.newInstance(new PrintStream(target, true, StandardCharsets.UTF_8), "System.out", json),
                true, StandardCharsets.UTF_8)) {
            stream.print(printed);
        }
    }
}
