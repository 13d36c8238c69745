package dev.latchkey.platform;

import static dev.latchkey.platform.JsonFactory.JSON;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.Set;

/**
 * Strict reading of request bodies: a size cap, a JSON object at the top, no unknown fields,
 * and typed field access whose errors name the field.
 */
public final class JsonBodies {

    /** Bodies larger than this are refused with 413 before they are parsed. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    private static final String NOT_JSON = "Request body is not valid JSON";

    private JsonBodies() {
    }

    /** Reads the whole body (at most {@link #MAX_BODY_BYTES}) as one JSON object. */
    public static JsonObject readObject(InputStream body) {
        byte[] bytes = readCapped(body);
        if (bytes.length == 0) {
            throw ApiError.badRequest("Request body is missing: send a JSON object");
        }
        JsonValue value;
        try (JsonParser parser = JSON.createParser(new ByteArrayInputStream(bytes))) {
            parser.next();
            value = parser.getValue();
            if (parser.hasNext()) {
                throw ApiError.badRequest(NOT_JSON); // text after the value
            }
        } catch (ApiError e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            // malformed, truncated, or nested deeper than the parser allows
            throw ApiError.badRequest(NOT_JSON);
        }
        if (!(value instanceof JsonObject object)) {
            throw ApiError.badRequest("Request body must be a JSON object");
        }
        return object;
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
