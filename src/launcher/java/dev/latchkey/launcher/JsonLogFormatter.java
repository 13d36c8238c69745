package dev.latchkey.launcher;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * {@code LATCHKEY_LOG_FORMAT=json}: one JSON object per record, in the one schema every line of the jar shares
 * (Latchkey's access log and the lines {@link ConsoleLines} wraps write the same fields with the same types):
 * <ul>
 *   <li>{@code Timestamp}: ISO-8601 in UTC to the millisecond, ending in {@code Z};</li>
 *   <li>{@code Level} ({@code INFO}, {@code WARNING} ...) and {@code LevelValue} (its number: 800, 900 ...);</li>
 *   <li>{@code LoggerName}, {@code ThreadName}, {@code TimeMillis} (epoch milliseconds, a number);</li>
 *   <li>{@code MessageID} when the record has one (Payara's {@code AS-WEB-GLUE-00172} ...), {@code LogMessage},
 *   and {@code Throwable} (the stack trace as text) when the record carries an exception;</li>
 *   <li>the entries of a {@link Map} among the record's parameters as fields of their own (Latchkey's
 *   {@code token_id} and {@code reason} on a refused token).</li>
 * </ul>
 * The field names are those of Payara's {@code JSONLogFormatter}, which this replaces because it wrote numbers as
 * strings and times with {@code +0000}. Formatting never throws: a record that cannot be read is still one line.
 */
public final class JsonLogFormatter extends Formatter {

    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_INSTANT;

    @Override
    public String format(LogRecord record) {
        StringBuilder out = new StringBuilder(256);
        long millis = record.getMillis();
        out.append("{\"Timestamp\":\"").append(timestamp(millis))
                .append("\",\"Level\":\"").append(record.getLevel().getName())
                .append("\",\"LevelValue\":").append(record.getLevel().intValue())
                .append(",\"LoggerName\":");
        string(out, record.getLoggerName() == null ? "" : record.getLoggerName());
        out.append(",\"ThreadName\":");
        string(out, Thread.currentThread().getName()); // a ConsoleHandler formats on the logging thread
        out.append(",\"TimeMillis\":").append(millis);
        String id = messageId(record);
        if (id != null) {
            out.append(",\"MessageID\":");
            string(out, id);
        }
        out.append(",\"LogMessage\":");
        string(out, message(record));
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            out.append(",\"Throwable\":");
            string(out, trace.toString());
        }
        if (record.getParameters() != null) {
            for (Object parameter : record.getParameters()) {
                if (parameter instanceof Map<?, ?> fields) {
                    for (Map.Entry<?, ?> field : fields.entrySet()) {
                        out.append(',');
                        string(out, String.valueOf(field.getKey()));
                        out.append(':');
                        string(out, String.valueOf(field.getValue()));
                    }
                }
            }
        }
        return out.append("}\n").toString();
    }

    /** Epoch milliseconds as {@code 2026-12-07T17:35:02.366Z}: always three fraction digits. */
    static String timestamp(long millis) {
        String text = ISO.format(Instant.ofEpochMilli(millis - Math.floorMod(millis, 1000L)));
        return text.substring(0, text.length() - 1) + String.format(".%03dZ", Math.floorMod(millis, 1000L));
    }

    private String message(LogRecord record) {
        try {
            String text = formatMessage(record);
            return text == null ? "" : text;
        } catch (RuntimeException e) {
            return String.valueOf(record.getMessage());
        }
    }

    /** The key of a localized record, when its bundle has it (Payara logs by message id). */
    private static String messageId(LogRecord record) {
        ResourceBundle bundle = record.getResourceBundle();
        String key = record.getMessage();
        if (bundle == null || key == null) {
            return null;
        }
        try {
            bundle.getString(key);
            return key;
        } catch (MissingResourceException | ClassCastException e) {
            return null;
        }
    }

    private static void string(StringBuilder out, String text) {
        out.append('"').append(ConsoleLines.escape(text)).append('"');
    }
}
