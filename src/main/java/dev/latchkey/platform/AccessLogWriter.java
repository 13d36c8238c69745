package dev.latchkey.platform;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.metrics.Counter;

/**
 * Writes the access log off the request threads: a request hands its line to a bounded queue (never blocking:
 * when {@value #CAPACITY} lines are waiting, the line is dropped and counted in a counter that {@code /metrics}
 * shows as {@code latchkey_access_log_dropped_lines_total}), and one daemon thread drains the
 * queue and writes each batch to the console with one write and one flush. The lines look like the server's own
 * records, in text ({@code 2026-11-30 06:57:29 INFO dev.latchkey.access: ...}) or, with
 * {@code LATCHKEY_LOG_FORMAT=json}, as one JSON object each with the fields of Payara's JSON log formatter.
 *
 * <p>Why not a {@code java.util.logging} record per request: the console handler formats and flushes each record
 * on the calling thread, under a lock; at tens of thousands of requests a second that cost more than the request.
 */
final class AccessLogWriter implements AutoCloseable {

    static final String LOGGER = "dev.latchkey.access";
    static final int CAPACITY = 65_536;
    private static final int BATCH = 4_096;
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private record Line(long atMillis, String text) {
    }

    private final BlockingQueue<Line> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final Counter dropped;
    private final boolean json;
    private final PrintStream out;
    private final Thread writer;
    private volatile boolean closing;

    /** {@code dropped} counts the lines dropped because the queue was full. */
    AccessLogWriter(boolean json, PrintStream out, Counter dropped) {
        this.json = json;
        this.out = out;
        this.dropped = dropped;
        this.writer = new Thread(this::drain, "latchkey-access-log");
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues one line for the log; never blocks. */
    void add(String text) {
        if (!queue.offer(new Line(System.currentTimeMillis(), text))) {
            dropped.inc();
        }
    }

    /** Lines dropped because the queue was full. */
    long dropped() {
        return dropped.getCount();
    }

    /** Writes what is queued, then stops the writer (waits at most a second). */
    @Override
    public void close() {
        closing = true;
        writer.interrupt();
        try {
            writer.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drain() {
        List<Line> batch = new ArrayList<>(BATCH);
        StringBuilder text = new StringBuilder(BATCH * 96);
        while (true) {
            try {
                Line first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                }
            } catch (InterruptedException e) {
                // closing: write what is left, then end
            }
            queue.drainTo(batch, BATCH - batch.size());
            if (!batch.isEmpty()) {
                for (Line line : batch) {
                    format(text, line);
                }
                out.print(text);
                out.flush();
                batch.clear();
                text.setLength(0);
            } else if (closing) {
                return;
            }
        }
    }

    private void format(StringBuilder text, Line line) {
        if (json) {
            text.append("{\"Timestamp\":\"");
            Timestamps.appendIso(text, line.atMillis());
            text.append("\",\"Level\":\"INFO\",\"LoggerName\":\"").append(LOGGER)
                    .append("\",\"TimeMillis\":").append(line.atMillis())
                    .append(",\"LevelValue\":800,\"LogMessage\":");
            JsonText.appendString(text, line.text()).append("}\n");
        } else {
            text.append(LOCAL.format(Instant.ofEpochMilli(line.atMillis()))).append(" INFO ").append(LOGGER)
                    .append(": ").append(line.text()).append('\n');
        }
    }
}
