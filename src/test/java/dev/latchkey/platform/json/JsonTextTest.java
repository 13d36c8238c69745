package dev.latchkey.platform.json;

import static dev.latchkey.platform.json.JsonFactory.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTextTest {

    private static String roundTrip(String value) {
        String text = JsonText.appendString(new StringBuilder("{\"v\":"), value).append('}').toString();
        try (var reader = JSON.createReader(new StringReader(text))) {
            JsonObject parsed = reader.readObject();
            return parsed.getString("v");
        }
    }

    @Test
    void everyStringReadsBackAsItself() {
        List<String> values = List.of("", "plain-client_01", "quote\"inside", "back\\slash", "\\\"", "tab\tnew\nline\r",
                "nul\u0000bell\u0007esc\u001b", "del\u007f", "línea ünïcødé 日本語", "emoji \uD83D\uDD11",
                "separators\u2028\u2029", "</script>", "{\"json\":\"inside\"}");
        for (String value : values) {
            assertEquals(value, roundTrip(value), value);
        }
        StringBuilder every = new StringBuilder();
        for (char c = 0; c < 0x3000; c++) {
            if (!Character.isSurrogate(c)) {
                every.append(c);
            }
        }
        assertEquals(every.toString(), roundTrip(every.toString()));
    }

    @Test
    void escapesOnlyWhatJsonRequiresPlusTheLineSeparators() {
        assertEquals("\"a\\\"b\\\\c\\u000a\\u2028é\"", JsonText.appendString(new StringBuilder(), "a\"b\\c\n\u2028é").toString());
    }
}
