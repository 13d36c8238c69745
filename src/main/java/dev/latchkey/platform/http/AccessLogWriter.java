package dev.latchkey.platform.http;

import dev.latchkey.platform.json.JsonText;
import dev.latchkey.platform.json.Timestamps;

import java.io.PrintStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.regex.Pattern;
import org.eclipse.microprofile.metrics.Counter;

/**
 * The access log: one line per request, {@code <address> "<method> <path>[?<query>]" <status> <ms> ms}, written to
 * the console (standard error, beside the server's records) off the request threads. A request hands its parts to
 * a bounded queue (never blocking: when {@value #CAPACITY} are waiting, the line is dropped and counted, as
 * {@code latchkey_access_log_dropped_lines_total} on {@code /metrics}); one
 * daemon thread wakes every {@value #INTERVAL_MILLIS} ms, redacts and formats what is queued and writes it with
 * one write and one flush. The lines look like the server's own records, in text
 * ({@code 2026-11-30 06:57:29 INFO dev.latchkey.access: ...}) or, with {@code LATCHKEY_LOG_FORMAT=json}, as one
 * JSON object each in the schema of the server's other records, plus the request's parts as fields:
 * {@code address}, {@code method}, {@code path}, {@code query} (only when there is one; redacted like the text),
 * {@code status} (a number) and {@code duration_ms} (a number, to a tenth).
 *
 * <p>Never a secret: the value of every {@code client_key} parameter becomes {@value #REDACTED}, and anything else
 * in the line that looks like a JWT or an org key (a client that put one in its path) is replaced too.
 *
 * <p>Why the writer is not signalled per line, and why not a {@code java.util.logging} record per request:
 * decision D6 in the {@code access} package.
 */
final class AccessLogWriter implements AutoCloseable {

    /** What a redacted value reads as. */
    static final String REDACTED = "[redacted]";
    static final String LOGGER = "dev.latchkey.access";
    private static final String THREAD = "latchkey-access-log";
    static final int CAPACITY = 65_536;
    static final long INTERVAL_MILLIS = 100;
    private static final String CLIENT_KEY = "client_key";
    private static final Pattern SECRET = Pattern.compile("eyJ[A-Za-z0-9_%-]*(?:\\.[A-Za-z0-9_%-]*)*|fl-[A-Za-z0-9_-]+");
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    /** One request as the request thread saw it; {@code query} is null without one. */
    private record Entry(long atMillis, String address, String method, String path, String query, int status,
                         long nanos) {
    }

    private final BlockingQueue<Entry> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final Counter dropped;
    private final boolean json;
    private final PrintStream out;
    private final Thread writer;
    private volatile boolean closing;
    private long prefixSecond = Long.MIN_VALUE;
    private String prefix;

    /** {@code dropped} counts the lines dropped because the queue was full. */
    AccessLogWriter(boolean json, PrintStream out, Counter dropped) {
        this.json = json;
        this.out = out;
        this.dropped = dropped;
        this.writer = new Thread(this::drain, THREAD);
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Queues one request for the log; never blocks.
     *
     * @param query the raw query string, or null
     * @param nanos how long the request took, in nanoseconds
     */
    void add(String address, String method, String path, String query, int status, long nanos) {
        if (!queue.offer(new Entry(System.currentTimeMillis(), address, method, path, query, status, nanos))) {
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
        List<Entry> batch = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        while (true) {
            boolean last = closing;
            if (!last) {
                try {
                    Thread.sleep(INTERVAL_MILLIS);
                } catch (InterruptedException e) {
                    last = true; // closing: write what is left, then end
                }
            }
            queue.drainTo(batch);
            if (!batch.isEmpty()) {
                for (Entry entry : batch) {
                    format(text, entry);
                }
                out.print(text);
                out.flush();
                batch.clear();
                text.setLength(0);
            }
            if (last) {
                return;
            }
        }
    }

    private void format(StringBuilder text, Entry entry) {
        String path = redact(entry.path());
        String query = entry.query() == null ? null : redactQuery(entry.query());
        String line = line(entry, path, query);
        if (!json) {
            text.append(prefix(entry.atMillis())).append(line).append('\n');
            return;
        }
        // the launcher's JsonLogFormatter schema, then the request's parts as fields of their own
        text.append("{\"Timestamp\":\"");
        Timestamps.appendIso(text, entry.atMillis());
        text.append("\",\"Level\":\"INFO\",\"LevelValue\":800,\"LoggerName\":\"").append(LOGGER)
                .append("\",\"ThreadName\":\"").append(THREAD).append("\",\"TimeMillis\":").append(entry.atMillis())
                .append(",\"LogMessage\":");
        JsonText.appendString(text, line).append(",\"address\":");
        JsonText.appendString(text, entry.address()).append(",\"method\":");
        JsonText.appendString(text, entry.method()).append(",\"path\":");
        JsonText.appendString(text, path);
        if (query != null) {
            JsonText.appendString(text.append(",\"query\":"), query);
        }
        long tenthsOfMs = entry.nanos() / 100_000;
        text.append(",\"status\":").append(entry.status())
                .append(",\"duration_ms\":").append(tenthsOfMs / 10).append('.').append(tenthsOfMs % 10).append("}\n");
    }

    /** The text record's start, formatted once a second. */
    private String prefix(long atMillis) {
        long second = Math.floorDiv(atMillis, 1000);
        if (second != prefixSecond) {
            prefixSecond = second;
            prefix = LOCAL.format(Instant.ofEpochSecond(second)) + " INFO " + LOGGER + ": ";
        }
        return prefix;
    }

    /** The text of the line, from the already redacted path and query (null without one). */
    private static String line(Entry entry, String path, String query) {
        StringBuilder line = new StringBuilder(96)
                .append(entry.address()).append(" \"").append(entry.method()).append(' ').append(path);
        if (query != null) {
            line.append('?').append(query);
        }
        long tenthsOfMs = entry.nanos() / 100_000;
        return line.append("\" ").append(entry.status()).append(' ')
                .append(tenthsOfMs / 10).append('.').append(tenthsOfMs % 10).append(" ms").toString();
    }

    /** The text with every JWT-like or org-key-like run replaced; untouched (no copy) when it holds none. */
    static String redact(String text) {
        if (text.indexOf("eyJ") < 0 && text.indexOf("fl-") < 0) {
            return text;
        }
        return SECRET.matcher(text).replaceAll(REDACTED);
    }

    /**
     * The query string as it is logged: each parameter is decoded as the server decodes it, and the value of
     * {@code client_key} (in any case or escaping of its name), or any value that decodes to something holding a
     * JWT or an org key, is replaced by {@value #REDACTED}. A parameter that does not decode is redacted whole.
     */
    static String redactQuery(String query) {
        StringBuilder out = new StringBuilder(query.length());
        for (String pair : query.split("&", -1)) {
            if (out.length() > 0) {
                out.append('&');
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            String decodedName;
            String decodedValue;
            try {
                decodedName = URLDecoder.decode(name, StandardCharsets.UTF_8);
                decodedValue = URLDecoder.decode(value, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException undecodable) {
                out.append(REDACTED);
                continue;
            }
            boolean secret = CLIENT_KEY.equalsIgnoreCase(decodedName) || SECRET.matcher(decodedValue).find();
            out.append(redact(name));
            if (equals >= 0) {
                out.append('=').append(secret ? REDACTED : redact(value));
            }
        }
        return out.toString();
    }
}
