package dev.latchkey.platform.json;

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
        char[] text = "0000-00-00T00:00:00.000Z".toCharArray();
        digits(text, 0, 4, time.getYear());
        digits(text, 5, 2, time.getMonthValue());
        digits(text, 8, 2, time.getDayOfMonth());
        digits(text, 11, 2, time.getHour());
        digits(text, 14, 2, time.getMinute());
        digits(text, 17, 2, time.getSecond());
        digits(text, 20, 3, (int) Math.floorMod(epochMillis, 1000L));
        return out.append(text);
    }

    /** Writes {@code value} zero-padded into {@code text[at, at + width)}. */
    private static void digits(char[] text, int at, int width, int value) {
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /**
     * The {@code expires_in} of every answer (REST session, socket session, expiry warning): whole seconds from
     * {@code nowMillis} to {@code expiresAtMillis}, rounded to the nearest second (half a second up), never
     * negative. Nearest rather than down: a session read right after a 60-second mint says 60, like the mint, and a
     * warning timed "60 s before expiry" that fires a few milliseconds late says 60, not 59.
     */
    public static long secondsLeft(long expiresAtMillis, long nowMillis) {
        return (Math.max(0, expiresAtMillis - nowMillis) + 500) / 1000;
    }
}
