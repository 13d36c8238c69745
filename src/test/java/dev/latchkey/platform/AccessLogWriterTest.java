package dev.latchkey.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
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
                writer.add("127.0.0.1", "GET", "/api/v1/client_api", null, 200, i * 100_000L);
            }
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(5_000, lines.size());
        assertTrue(lines.get(0).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d INFO dev\\.latchkey\\.access: "
                + "127\\.0\\.0\\.1 \"GET /api/v1/client_api\" 200 0\\.0 ms"), lines.get(0));
        assertTrue(lines.get(4_999).endsWith(" 200 499.9 ms"), lines.get(4_999));
    }

    @Test
    void inJsonEachLineIsOneObjectWithTheMessageEscaped() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (AccessLogWriter writer = new AccessLogWriter(true, new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
            writer.add("127.0.0.1", "GET", "/a\"b", "x=1", 404, 150_000);
        }
        String line = bytes.toString(StandardCharsets.UTF_8).strip();
        JsonObject record = Json.createReader(new StringReader(line)).readObject();
        assertEquals("INFO", record.getString("Level"));
        assertEquals("dev.latchkey.access", record.getString("LoggerName"));
        assertEquals("127.0.0.1 \"GET /a\"b?x=1\" 404 0.1 ms", record.getString("LogMessage"));
    }

    @Test
    void theValueOfClientKeyIsRedactedInAnyCaseOrEscapingOfItsName() {
        assertEquals("client_key=[redacted]&a=1", AccessLogWriter.redactQuery("client_key=Bearer%20x.y.z&a=1"));
        assertEquals("CLIENT_KEY=[redacted]", AccessLogWriter.redactQuery("CLIENT_KEY=abc"));
        assertEquals("client%5Fkey=[redacted]", AccessLogWriter.redactQuery("client%5Fkey=abc"));
    }

    @Test
    void anythingThatLooksLikeATokenOrAnOrgKeyIsRedactedWhereverItIs() {
        assertEquals("/api/v1/client_api/[redacted]", AccessLogWriter.redact("/api/v1/client_api/eyJhbGciOiJIUzI1NiJ9.e30.sig"));
        assertEquals("/x/[redacted]", AccessLogWriter.redact("/x/fl-secretsecret"));
        assertEquals("q=[redacted]", AccessLogWriter.redactQuery("q=Bearer%20eyJabc.def"));
        assertEquals("[redacted]&a=1", AccessLogWriter.redactQuery("%zz=1&a=1"));
    }

    @Test
    void aPathWithoutSecretsIsLoggedAsItIs() {
        String path = "/api/v1/client_api";
        assertSame(path, AccessLogWriter.redact(path));
    }
}
