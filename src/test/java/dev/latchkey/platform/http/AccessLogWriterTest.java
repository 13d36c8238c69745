package dev.latchkey.platform.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.microprofile.metrics.Counter;
import org.junit.jupiter.api.Test;

class AccessLogWriterTest {

    @Test
    void everyQueuedLineIsWrittenOnceInOrderInTheServersTextFormat() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (AccessLogWriter writer = new AccessLogWriter(false, new PrintStream(bytes, true, StandardCharsets.UTF_8), new Tally())) {
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
        try (AccessLogWriter writer = new AccessLogWriter(true, new PrintStream(bytes, true, StandardCharsets.UTF_8), new Tally())) {
            writer.add("127.0.0.1", "GET", "/a\"b", "x=1&client_key=Bearer%20a.b.c", 404, 150_000);
            writer.add("127.0.0.1", "POST", "/c", null, 200, 12_345_678);
        }
        List<JsonObject> records = bytes.toString(StandardCharsets.UTF_8).lines()
                .map(line -> Json.createReader(new StringReader(line)).readObject()).toList();
        JsonObject record = records.get(0);
        assertEquals("INFO", record.getString("Level"));
        assertEquals(800, record.getInt("LevelValue"));
        assertEquals("dev.latchkey.access", record.getString("LoggerName"));
        assertTrue(record.getString("Timestamp").endsWith("Z"), record.toString());
        assertTrue(record.getJsonNumber("TimeMillis").longValue() > 0, record.toString());
        assertEquals("127.0.0.1 \"GET /a\"b?x=1&client_key=[redacted]\" 404 0.1 ms", record.getString("LogMessage"));
        // the parts as fields (issue 34), redacted as the text is
        assertEquals("GET", record.getString("method"));
        assertEquals("/a\"b", record.getString("path"));
        assertEquals("x=1&client_key=[redacted]", record.getString("query"));
        assertEquals(404, record.getInt("status"));
        assertEquals(0.1, record.getJsonNumber("duration_ms").doubleValue());
        assertEquals("127.0.0.1", record.getString("address"));
        assertFalse(records.get(1).containsKey("query"), "no query, no field");
        assertEquals(12.3, records.get(1).getJsonNumber("duration_ms").doubleValue());
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

    @Test
    void whenTheConsoleCannotKeepUpLinesAreDroppedAndCountedWithoutBlocking() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        OutputStream stuck = new OutputStream() {
            @Override
            public void write(int b) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        Tally dropped = new Tally();
        int extra = 100;
        try (AccessLogWriter writer = new AccessLogWriter(false, new PrintStream(stuck, true), dropped)) {
            long start = System.nanoTime();
            // while stuck, the writer holds at most one batch (at most CAPACITY lines) and the queue CAPACITY more
            for (int i = 0; i < 2 * AccessLogWriter.CAPACITY + extra; i++) {
                writer.add("127.0.0.1", "GET", "/line/" + i, null, 200, 0);
            }
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "add blocked");
            assertTrue(writer.dropped() >= extra, "dropped " + writer.dropped());
            assertEquals(dropped.getCount(), writer.dropped());
            release.countDown();
        }
    }

    /** A counter as MicroProfile Metrics gives one. */
    private static final class Tally implements Counter {
        private final LongAdder count = new LongAdder();

        @Override
        public void inc() {
            count.increment();
        }

        @Override
        public void inc(long n) {
            count.add(n);
        }

        @Override
        public long getCount() {
            return count.sum();
        }
    }
}
