package dev.latchkey.platform.json;

import jakarta.json.spi.JsonProvider;

/**
 * The one JSON-P provider of the application, looked up once. {@code JSON.createObjectBuilder()} and its
 * siblings look the provider up on every call, and in the server that lookup scans the class path for a
 * service file: it cost more than the rest of a {@code GET /client_api} together.
 */
public final class JsonFactory {

    public static final JsonProvider JSON = JsonProvider.provider();

    private JsonFactory() {
    }
}
