package dev.latchkey.launcher;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * System.out and System.err, line by line. Payara's debugging line on every stop
 * ({@code JdbcRuntimeExtension,  getAllSystemRAResourcesAndPools = [...]}) is dropped in both formats.
 *
 * <p>Under {@code LATCHKEY_LOG_FORMAT=json} they pass on whole lines: a line that already is a
 * JSON object ({@link JsonLogFormatter} writes one per record) unchanged, any other line (the banner, what a
 * library prints directly) wrapped as one object in the formatter's schema: {@code Timestamp}, {@code Level}
 * ({@code INFO}), {@code LevelValue}, {@code LoggerName} ({@code System.out} or {@code System.err}),
 * {@code TimeMillis} and {@code LogMessage}. In text they pass unchanged.
 */
final class ConsoleLines extends OutputStream {

    /** What Payara prints on System.out at every stop, a leftover of its debugging. */
    static final String STOP_CHATTER = "JdbcRuntimeExtension,  getAllSystemRAResourcesAndPools";

    private static final byte[] STOP_CHATTER_BYTES = STOP_CHATTER.getBytes(StandardCharsets.US_ASCII);

    private final PrintStream target;
    private final String source;
    private final boolean json;
    /** The line being written, up to its end of line. */
    private final Bytes line = new Bytes(256);
    /** The lines to pass on, written to the target at once when the write that ended them returns. */
    private final Bytes pending = new Bytes(8192);

    private ConsoleLines(PrintStream target, String source, boolean json) {
        this.target = target;
        this.source = source;
        this.json = json;
    }

    /** Replaces System.out and System.err; call before anything captures them (JUL's ConsoleHandler does). */
    static void install(boolean json) {
        System.setOut(new PrintStream(new ConsoleLines(System.out, "System.out", json), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new ConsoleLines(System.err, "System.err", json), true, StandardCharsets.UTF_8));
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            emit();
            drain();
        } else {
            line.write(b);
        }
    }

    /**
     * Passes on the whole lines among {@code bytes} with one write to the target: a writer that hands over many
     * lines at once (the access log writes its queue every 100 ms) costs one write and one flush, not one per line.
     */
    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        int start = offset;
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] == '\n') {
                line.write(bytes, start, i - start);
                emit();
                start = i + 1;
            }
        }
        line.write(bytes, start, offset + length - start);
        drain();
    }

    @Override
    public synchronized void flush() {
        drain();
        target.flush();
    }

    private void emit() {
        int end = line.size() > 0 && line.at(line.size() - 1) == '\r' ? line.size() - 1 : line.size();
        if (line.startsWith(STOP_CHATTER_BYTES)) {
            line.reset();
            return;
        }
        if (!json) {
            pending.write(line.bytes(), 0, end);
            pending.write('\n');
        } else {
            String text = new String(line.bytes(), 0, end, StandardCharsets.UTF_8);
            if (!text.isBlank()) {
                pending.writeBytes((isJsonObject(text) ? text : wrap(text, source, System.currentTimeMillis()))
                        .getBytes(StandardCharsets.UTF_8));
                pending.write('\n');
            }
        }
        line.reset();
    }

    private void drain() {
        if (pending.size() > 0) {
            target.write(pending.bytes(), 0, pending.size());
            pending.reset();
        }
    }

    /** One record of the JSON formatter: an object on one line. */
    static boolean isJsonObject(String text) {
        return text.startsWith("{\"") && text.endsWith("}");
    }

    static String wrap(String text, String source, long millis) {
        return "{\"Timestamp\":\"" + JsonLogFormatter.timestamp(millis) + "\",\"Level\":\"INFO\",\"LevelValue\":800,"
                + "\"LoggerName\":\"" + escape(source) + "\",\"TimeMillis\":" + millis
                + ",\"LogMessage\":\"" + escape(text) + "\"}";
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** A byte buffer whose bytes can be read in place. */
    private static final class Bytes extends ByteArrayOutputStream {

        Bytes(int size) {
            super(size);
        }

        byte[] bytes() {
            return buf;
        }

        byte at(int index) {
            return buf[index];
        }

        boolean startsWith(byte[] prefix) {
            return count >= prefix.length && Arrays.equals(buf, 0, prefix.length, prefix, 0, prefix.length);
        }
    }
}
