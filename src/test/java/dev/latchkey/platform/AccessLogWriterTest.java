package dev.latchkey.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.io.OutputStream;
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
        try (AccessLogWriter writer = new AccessLogWriter(true, new PrintStream(bytes, true, StandardCharsets.UTF_8), new Tally())) {
            writer.add("127.0.0.1 \"GET /a\\\"b\" 404 0.1 ms");
        }
        String line = bytes.toString(StandardCharsets.UTF_8).strip();
        JsonObject record = Json.createReader(new StringReader(line)).readObject();
        assertEquals("INFO", record.getString("Level"));
        assertEquals("dev.latchkey.access", record.getString("LoggerName"));
        assertEquals("127.0.0.1 \"GET /a\\\"b\" 404 0.1 ms", record.getString("LogMessage"));
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
            // the writer holds at most one batch (4096 lines) while it is stuck; the queue holds CAPACITY more
            for (int i = 0; i < AccessLogWriter.CAPACITY + 4_096 + extra; i++) {
                writer.add("line " + i);
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
