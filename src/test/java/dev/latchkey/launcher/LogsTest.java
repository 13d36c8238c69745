package dev.latchkey.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
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
    void jsonUsesPayarasJsonFormatterAndPinsTheRequestLoggers() throws Exception {
        List<String> lines = properties(Logs.arguments(List.of("--port", "8080"),
                Map.of("LATCHKEY_LOG_FORMAT", "JSON")::get));
        assertTrue(lines.contains("java.util.logging.ConsoleHandler.formatter="
                + "fish.payara.enterprise.server.logging.JSONLogFormatter"), lines::toString);
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
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        Constructor<JsonLines> constructor = JsonLines.class.getDeclaredConstructor(PrintStream.class, String.class);
        constructor.setAccessible(true);
        try (PrintStream stream = new PrintStream(
                constructor.newInstance(new PrintStream(sink, true, StandardCharsets.UTF_8), "System.out"), true,
                StandardCharsets.UTF_8)) {
            stream.print("{\"Level\":\"INFO\"}\nFileMonitoring \"shutdown\"\tnow");
            stream.println();
            stream.println();
        }
        String[] lines = sink.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(2, lines.length, "blank lines are dropped");
        assertEquals("{\"Level\":\"INFO\"}", lines[0]);
        assertTrue(lines[1].endsWith(
                "\"Level\":\"INFO\",\"LoggerName\":\"System.out\",\"LogMessage\":\"FileMonitoring \\\"shutdown\\\"\\tnow\"}"),
                lines[1]);
        assertFalse(JsonLines.isJsonObject("{"));
        assertEquals("{\"Timestamp\":\"2026-01-02T03:04:05.006+0000\",\"Level\":\"INFO\",\"LoggerName\":\"x\","
                + "\"LogMessage\":\"a\\u0001b\"}", JsonLines.wrap("a\u0001b", "x",
                OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 6_000_000, ZoneOffset.UTC)));
    }
}
