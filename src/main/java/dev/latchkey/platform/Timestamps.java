package dev.latchkey.platform;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Every timestamp the API shows: ISO-8601 UTC with milliseconds, e.g. {@code 2026-11-28T19:36:32.120Z}.
 * The session endpoint writes two on every client request, so four-digit years are written digit by digit
 * (a {@link DateTimeFormatter} walks its printer chain and was 8 % of that request's CPU); other years, which
 * no token carries, take the formatter.
 */
public final class Timestamps {

    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    public static String iso(long epochMillis) {
        return appendIso(new StringBuilder(24), epochMillis).toString();
    }

    /** Appends the timestamp's text to {@code out}, without an intermediate string. */
    public static StringBuilder appendIso(StringBuilder out, long epochMillis) {
        LocalDateTime time = LocalDateTime.ofEpochSecond(Math.floorDiv(epochMillis, 1000L), 0, ZoneOffset.UTC);
        if (time.getYear() < 0 || time.getYear() > 9999) {
            return out.append(ISO_MILLIS.format(Instant.ofEpochMilli(epochMillis)));
        }
        digits(out, time.getYear(), 1000).append('-');
        digits(out, time.getMonthValue(), 10).append('-');
        digits(out, time.getDayOfMonth(), 10).append('T');
        digits(out, time.getHour(), 10).append(':');
        digits(out, time.getMinute(), 10).append(':');
        digits(out, time.getSecond(), 10).append('.');
        return digits(out, (int) Math.floorMod(epochMillis, 1000L), 100).append('Z');
    }

    /** Writes {@code value} zero-padded, starting with the digit worth {@code topDivisor}. */
    private static StringBuilder digits(StringBuilder out, int value, int topDivisor) {
        for (int divisor = topDivisor; divisor > 0; divisor /= 10) {
            out.append((char) ('0' + value / divisor % 10));
        }
        return out;
    }
}
