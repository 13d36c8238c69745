package dev.latchkey.platform.json;

/**
 * JSON text written by hand, for the one answer on the hot path (the client session): a JSON-P object and its
 * body writer cost about as much as the token check. Everything else goes through {@link JsonFactory}.
 */
public final class JsonText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonText() {
    }

    /** Appends {@code value} as a JSON string literal, quotes included; runs that need no escape are copied whole. */
    public static StringBuilder appendString(StringBuilder out, String value) {
        out.append('"');
        int plainFrom = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean quoted = c == '"' || c == '\\';
            if (quoted || c < 0x20 || c == '\u2028' || c == '\u2029') {
                out.append(value, plainFrom, i);
                plainFrom = i + 1;
                if (quoted) {
                    out.append('\\').append(c);
                } else {
                    out.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf])
                            .append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
                }
            }
        }
        return out.append(value, plainFrom, value.length()).append('"');
    }
}
