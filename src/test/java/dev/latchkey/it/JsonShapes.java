package dev.latchkey.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.Set;

/** Whether a documented example and a real answer have the same shape: what a reader can rely on in an example. */
final class JsonShapes {

    /** Members whose documented value is the real one, not a stand-in: error texts, outcomes, flags. */
    static final Set<String> EXACT = Set.of("detail", "status", "message", "active");

    private JsonShapes() {
    }

    /**
     * The same keys with the same JSON types, at every depth (arrays: their first items), and the values of
     * {@link #EXACT} members equal. A real null matches any documented value (the field can be null), and a real
     * member that is null may be left out of the example.
     */
    static void assertSameShape(String where, JsonValue example, JsonValue real) {
        if (real.getValueType() == JsonValue.ValueType.NULL) {
            return;
        }
        assertEquals(kind(real), kind(example), () -> where + ": the example is " + example + ", the answer " + real);
        if (real.getValueType() == JsonValue.ValueType.OBJECT) {
            JsonObject documented = example.asJsonObject();
            JsonObject answered = real.asJsonObject();
            for (String key : documented.keySet()) {
                assertTrue(answered.containsKey(key), () -> where + ": the example has " + key + ", the answer "
                        + answered + " has not");
                if (EXACT.contains(key) && !answered.isNull(key)) {
                    assertEquals(documented.get(key), answered.get(key), () -> where + "." + key + " differs");
                }
                assertSameShape(where + "." + key, documented.get(key), answered.get(key));
            }
            for (String key : answered.keySet()) {
                assertTrue(documented.containsKey(key) || answered.isNull(key),
                        () -> where + ": the answer has " + key + ", the example " + documented + " has not");
            }
        } else if (real.getValueType() == JsonValue.ValueType.ARRAY && !real.asJsonArray().isEmpty()) {
            assertFalse(example.asJsonArray().isEmpty(), () -> where + ": the example shows no item");
            assertSameShape(where + "[0]", example.asJsonArray().get(0), real.asJsonArray().get(0));
        }
    }

    private static String kind(JsonValue value) {
        return switch (value.getValueType()) {
            case TRUE, FALSE -> "boolean";
            default -> value.getValueType().name().toLowerCase();
        };
    }
}
