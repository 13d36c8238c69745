package dev.latchkey.platform.operations;

import static dev.latchkey.platform.json.JsonFactory.JSON;

import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.examples.Example;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.parameters.RequestBody;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Turns the JSON examples written in the resources' annotations into JSON in {@code /openapi}. An annotation can
 * only hold an example as a string ({@code @Content(example = "{\"kid\": \"...\"}")}), and Payara serves it as
 * that string, {@code "{\"kid\": \"...\"}"}; client generators and viewers then show a string where the answer
 * is an object. Every example of a media type that is text holding a JSON object or array becomes that object or
 * array. Registered as {@code mp.openapi.filter} (MicroProfile OpenAPI); it runs once, when {@code /openapi} is
 * built at deployment.
 */
public class OpenApiExamples implements OASFilter {

    @Override
    public RequestBody filterRequestBody(RequestBody requestBody) {
        parseExamples(requestBody.getContent());
        return requestBody;
    }

    @Override
    public APIResponse filterAPIResponse(APIResponse response) {
        parseExamples(response.getContent());
        return response;
    }

    private static void parseExamples(Content content) {
        if (content == null || content.getMediaTypes() == null) {
            return;
        }
        for (MediaType mediaType : content.getMediaTypes().values()) {
            mediaType.setExample(parsed(mediaType.getExample()));
            Map<String, Example> examples = mediaType.getExamples();
            if (examples != null) {
                for (Example example : examples.values()) {
                    example.setValue(parsed(example.getValue()));
                }
            }
        }
    }

    /** The example as plain maps, lists and values when it is JSON text of an object or array, else unchanged. */
    static Object parsed(Object example) {
        if (!(example instanceof String text)) {
            return example;
        }
        String trimmed = text.strip();
        if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) {
            return example;
        }
        try (JsonReader reader = JSON.createReader(new StringReader(trimmed))) {
            return plain(reader.readValue());
        } catch (JsonException notJson) {
            return example;
        }
    }

    private static Object plain(JsonValue value) {
        switch (value.getValueType()) {
            case OBJECT:
                Map<String, Object> object = new LinkedHashMap<>();
                for (Map.Entry<String, JsonValue> member : ((JsonObject) value).entrySet()) {
                    object.put(member.getKey(), plain(member.getValue()));
                }
                return object;
            case ARRAY:
                List<Object> array = new ArrayList<>();
                for (JsonValue item : (JsonArray) value) {
                    array.add(plain(item));
                }
                return array;
            case STRING:
                return ((JsonString) value).getString();
            case NUMBER:
                JsonNumber number = (JsonNumber) value;
                return number.isIntegral() ? (Object) number.longValue() : number.bigDecimalValue();
            case TRUE:
                return Boolean.TRUE;
            case FALSE:
                return Boolean.FALSE;
            default:
                return null;
        }
    }
}
