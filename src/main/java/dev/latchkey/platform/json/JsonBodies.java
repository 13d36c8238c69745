package dev.latchkey.platform.json;

import dev.latchkey.platform.http.ApiError;

import static dev.latchkey.platform.json.JsonFactory.JSON;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/**
 * Strict reading of request bodies: a size cap, a JSON object at the top, no unknown fields,
 * and typed field access whose errors name the field.
 */
public final class JsonBodies {

    /** Bodies larger than this are refused with 413 before they are parsed. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private JsonBodies() {
    }

    /** Reads the whole body (at most {@link #MAX_BODY_BYTES}) as one JSON object, read by {@link #strict}. */
    public static JsonObject readObject(InputStream body) {
        byte[] bytes = readCapped(body);
        if (bytes.length == 0) {
            throw ApiError.badRequest("Request body is missing: send a JSON object");
        }
        JsonValue value;
        try (JsonParser parser = JSON.createParser(new ByteArrayInputStream(bytes))) {
            value = strict(parser, "Request body");
        } catch (ApiError e) {
            throw e;
        } catch (RuntimeException e) {
            throw ApiError.badRequest("Request body is not valid JSON"); // its encoding cannot even be told
        }
        if (!(value instanceof JsonObject object)) {
            throw ApiError.badRequest("Request body must be a JSON object");
        }
        return object;
    }

    /**
     * Reads one JSON value, the whole of the parser's input, refusing what a lenient reader would guess at: a member
     * named twice in one object (JSON-P keeps the last one, other parsers the first: RFC 8259, section 4, leaves
     * it open, so two parsers in a chain could read two different requests) and nesting deeper than
     * {@link #MAX_DEPTH}. Each refusal is a 400 whose detail names the member or the limit; {@code what} starts
     * the detail ("Request body", "Message"). Iterative, so depth costs no stack.
     *
     * <p>The JSON-P 2.1 setting for this ({@code jakarta.json.JsonConfig.KEY_STRATEGY} {@code NONE}) is not
     * implemented by the Parsson build Payara ships (1.1.5), and Parsson's own {@code rejectDuplicateKeys}
     * answers without a member name: hence this walk over the parser's events.
     *
     * @throws ApiError 400 for input that is not one JSON value, a repeated member, or nesting over the limit
     */
    public static JsonValue strict(JsonParser parser, String what) {
        Deque<Frame> open = new ArrayDeque<>();
        try {
            while (parser.hasNext()) {
                JsonParser.Event event = parser.next();
                Frame top = open.peek();
                switch (event) {
                    case KEY_NAME -> {
                        String key = parser.getString();
                        if (!top.keys.add(key)) {
                            throw ApiError.badRequest(what + " names a member twice: " + path(open, key)
                                    + " (each member may appear once)");
                        }
                        top.key = key;
                    }
                    case START_OBJECT, START_ARRAY -> {
                        if (open.size() >= MAX_DEPTH) {
                            throw ApiError.badRequest(what + " is nested too deeply: at most " + MAX_DEPTH
                                    + " levels of objects and arrays");
                        }
                        open.push(new Frame(event == JsonParser.Event.START_OBJECT, top == null ? null : top.key));
                    }
                    case END_OBJECT, END_ARRAY -> {
                        Frame done = open.pop();
                        JsonValue built = done.object != null ? done.object.build() : done.array.build();
                        if (open.isEmpty()) {
                            return whole(parser, built);
                        }
                        open.peek().add(built);
                    }
                    default -> {
                        JsonValue scalar = parser.getValue();
                        if (top == null) {
                            return whole(parser, scalar);
                        }
                        top.add(scalar);
                    }
                }
            }
        } catch (ApiError e) {
            throw e;
        } catch (RuntimeException e) {
            // malformed or truncated
            throw ApiError.badRequest(what + " is not valid JSON");
        }
        throw ApiError.badRequest(what + " is not valid JSON");
    }

    /** Deepest nesting {@link #strict} reads: far above any body this service takes, far below a stack overflow. */
    public static final int MAX_DEPTH = 64;

    private static JsonValue whole(JsonParser parser, JsonValue value) {
        if (parser.hasNext()) {
            throw new IllegalStateException("text after the value");
        }
        return value;
    }

    /** Where a repeated member sits, as {@code a.b.key}: printable and short, for the detail. */
    private static String path(Deque<Frame> open, String key) {
        StringBuilder out = new StringBuilder();
        Iterator<Frame> outward = open.descendingIterator();
        outward.next(); // the top-level value has no name
        while (outward.hasNext()) {
            Frame frame = outward.next();
            out.append(frame.nameInParent == null ? "[]" : printable(frame.nameInParent)).append('.');
        }
        return out.append(printable(key)).toString();
    }

    /** One object or array being read. */
    private static final class Frame {
        final JsonObjectBuilder object;
        final JsonArrayBuilder array;
        final Set<String> keys;
        final String nameInParent;
        String key;

        Frame(boolean isObject, String nameInParent) {
            this.object = isObject ? JSON.createObjectBuilder() : null;
            this.array = isObject ? null : JSON.createArrayBuilder();
            this.keys = isObject ? new HashSet<>() : Set.of();
            this.nameInParent = nameInParent;
        }

        void add(JsonValue value) {
            if (object != null) {
                object.add(key, value);
            } else {
                array.add(value);
            }
        }
    }

    /** Refuses fields the endpoint does not know, such as an attempt to set {@code token_id} or {@code exp}. */
    public static void requireOnly(JsonObject body, Set<String> allowedFields) {
        for (String field : body.keySet()) {
            if (!allowedFields.contains(field)) {
                throw ApiError.badRequest("Unknown field: " + printable(field));
            }
        }
    }

    private static byte[] readCapped(InputStream body) {
        if (body == null) {
            return new byte[0];
        }
        try {
            byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new ApiError(413, "Request body too large: at most " + MAX_BODY_BYTES + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A required string field. */
    public static String requiredString(JsonObject body, String field) {
        return optionalString(body, field).orElseThrow(() -> ApiError.badRequest(field + " is required"));
    }

    /** An optional string field: absent or null is empty, any other type is a 400 naming the field. */
    public static Optional<String> optionalString(JsonObject body, String field) {
        JsonValue value = body.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return Optional.empty();
        }
        if (!(value instanceof JsonString string)) {
            throw ApiError.badRequest(field + " must be a string");
        }
        return Optional.of(string.getString());
    }

    /**
     * A required JSON integer within [min, max]. Strings, booleans and numbers with a fraction
     * ({@code 1.5}, {@code 60.0}) are refused: the JSON type is part of the API.
     */
    public static long requiredInteger(JsonObject body, String field, long min, long max) {
        JsonValue value = body.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            throw ApiError.badRequest(field + " is required");
        }
        String range = field + " must be an integer between " + min + " and " + max;
        if (!(value instanceof JsonNumber number) || !number.isIntegral()) {
            throw ApiError.badRequest(range);
        }
        BigDecimal decimal = number.bigDecimalValue();
        if (decimal.compareTo(BigDecimal.valueOf(min)) < 0 || decimal.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw ApiError.badRequest(range);
        }
        return decimal.longValueExact();
    }

    /** An identifier or name chosen by the caller: 1 to {@code maxLength} characters, no control characters. */
    public static String label(String field, String value, int maxLength) {
        if (value.isEmpty() || value.length() > maxLength) {
            throw ApiError.badRequest(field + " must be 1 to " + maxLength + " characters");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw ApiError.badRequest(field + " must not contain control characters");
        }
        return value;
    }

    /** Nesting depth of a JSON value: a scalar is 0, {@code {}} is 1. */
    public static int depth(JsonValue value) {
        return switch (value.getValueType()) {
            case OBJECT -> 1 + value.asJsonObject().values().stream().mapToInt(JsonBodies::depth).max().orElse(0);
            case ARRAY -> 1 + value.asJsonArray().stream().mapToInt(JsonBodies::depth).max().orElse(0);
            default -> 0;
        };
    }

    /** A field name safe to echo in an error: printable ASCII only, and short. */
    private static String printable(String text) {
        String cleaned = text.codePoints()
                .filter(cp -> cp >= 0x20 && cp < 0x7f)
                .limit(64)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return cleaned.isEmpty() ? "(unprintable)" : cleaned;
    }
}
