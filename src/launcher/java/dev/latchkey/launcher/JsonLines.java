package dev.latchkey.launcher;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Under {@code LATCHKEY_LOG_FORMAT=json}, System.out and System.err pass on whole lines: a line that already is a
 * JSON object (Payara's JSONLogFormatter writes one per record) unchanged, any other line (the banner, what a
 * library prints directly) wrapped as one object with the formatter's field names: {@code Timestamp},
 * {@code Level}, {@code LoggerName} ({@code System.out} or {@code System.err}) and {@code LogMessage}.
 */
final class JsonLines extends OutputStream {

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    private final PrintStream target;
    private final String source;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

    private JsonLines(PrintStream target, String source) {
        this.target = target;
        this.source = source;
    }

    /** Replaces System.out and System.err; call before anything captures them (JUL's ConsoleHandler does). */
    static void install() {
        System.setOut(new PrintStream(new JsonLines(System.out, "System.out"), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new JsonLines(System.err, "System.err"), true, StandardCharsets.UTF_8));
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            emit();
        } else {
            line.write(b);
        }
    }

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
    }

    @Override
    public synchronized void flush() {
        target.flush();
    }

    private void emit() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.isBlank()) {
            return;
        }
        target.println(isJsonObject(text) ? text : wrap(text, source, OffsetDateTime.now(ZoneOffset.UTC)));
        target.flush();
    }

    /** One record of the JSON formatter: an object on one line. */
    static boolean isJsonObject(String text) {
        return text.startsWith("{\"") && text.endsWith("}");
    }

    static String wrap(String text, String source, OffsetDateTime time) {
        return "{\"Timestamp\":\"" + TIMESTAMP.format(time) + "\",\"Level\":\"INFO\",\"LoggerName\":\""
                + escape(source) + "\",\"LogMessage\":\"" + escape(text) + "\"}";
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
}
