package dev.latchkey.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessLogWriterTest {

    @Test
    void everyQueuedLineIsWrittenOnceInOrderInTheServersTextFormat() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (AccessLogWriter writer = new AccessLogWriter(false, new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
            for (int i = 0; i < 5_000; i++) {
                writer.add("127.0.0.1 \"GET /api/v1/client_api\" 200 0." + i + " ms");
            }
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(5_000, lines.size());
        assertTrue(lines.get(0).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d INFO dev\\.latchkey\\.access: "
                + "127\\.0\\.0\\.1 \"GET /api/v1/client_api\" 200 0\\.0 ms"), lines.get(0));
        assertTrue(lines.get(4_999).endsWith(" 200 0.4999 ms"), lines.get(4_999));
    }

    @Test
    void inJsonEachLineIsOneObjectWithTheMessageEscaped() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (AccessLogWriter writer = new AccessLogWriter(true, new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
            writer.add("127.0.0.1 \"GET /a\\\"b\" 404 0.1 ms");
        }
        String line = bytes.toString(StandardCharsets.UTF_8).strip();
        JsonObject record = Json.createReader(new StringReader(line)).readObject();
        assertEquals("INFO", record.getString("Level"));
        assertEquals("dev.latchkey.access", record.getString("LoggerName"));
        assertEquals("127.0.0.1 \"GET /a\\\"b\" 404 0.1 ms", record.getString("LogMessage"));
    }
}
