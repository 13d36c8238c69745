package dev.latchkey.platform.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TimestampsTest {

    private static final DateTimeFormatter REFERENCE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static String reference(long epochMillis) {
        return REFERENCE.format(Instant.ofEpochMilli(epochMillis));
    }

    @Test
    void writesUtcWithMillisecondsAndAZ() {
        assertEquals("1970-01-01T00:00:00.000Z", Timestamps.iso(0));
        assertEquals("2026-11-28T19:36:32.120Z", Timestamps.iso(Instant.parse("2026-11-28T19:36:32.120Z").toEpochMilli()));
        assertEquals("2028-02-29T23:59:59.999Z", Timestamps.iso(Instant.parse("2028-02-29T23:59:59.999Z").toEpochMilli()));
        assertEquals("1969-12-31T23:59:59.999Z", Timestamps.iso(-1));
        assertEquals("9999-12-31T23:59:59.999Z", Timestamps.iso(Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli()));
    }

    @Test
    void yearsBeyondFourDigitsKeepTheFormattersText() {
        long year10000 = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli() + 1;
        assertEquals(reference(year10000), Timestamps.iso(year10000));
        assertEquals(reference(Long.MIN_VALUE / 1000), Timestamps.iso(Long.MIN_VALUE / 1000));
    }

    @Test
    void agreesWithTheFormatterAcrossFourDigitYears() {
        SplittableRandom random = new SplittableRandom(20261128);
        long last = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();
        long first = Instant.parse("0000-01-01T00:00:00.000Z").toEpochMilli();
        for (int i = 0; i < 200_000; i++) {
            long millis = random.nextLong(first, last + 1);
            assertEquals(reference(millis), Timestamps.iso(millis));
        }
    }
}
