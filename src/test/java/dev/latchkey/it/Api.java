package dev.latchkey.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/** A real HTTP client for the running service, with the few calls every test needs. */
public final class Api {

    /** The org key the test server was started with (see the failsafe configuration). */
    public static final String ORG_KEY = System.getenv("LATCHKEY_ORG_API_KEY");

    /** The admin key the test server was started with. */
    public static final String ADMIN_KEY = System.getenv("LATCHKEY_ADMIN_KEY");

    private final URI root;
    private final String orgKey;
    private final HttpClient http;

    public Api(URL base) {
        this(base, ORG_KEY);
    }

    /** An API client whose org calls use {@code orgKey} instead of the test server's configured one. */
    public Api(URL base, String orgKey) {
        this(base, orgKey, newClient());
    }

    /** An API client that sends over {@code http}, which the caller may share (with {@link LiveSocket}, say). */
    public Api(URL base, String orgKey, HttpClient http) {
        this.root = URI.create(base.toString().replaceAll("/+$", "") + "/");
        this.orgKey = orgKey;
        this.http = http;
    }

    /** The org key this client's org calls use. */
    public String orgKey() {
        return orgKey;
    }

    /** The HTTP client each {@code Api} has unless it is given one: HTTP/1.1. */
    public static HttpClient newClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    public record Reply(int status, HttpHeaders headers, String body) {

        public JsonObject json() {
            try (JsonReader reader = Json.createReader(new StringReader(body))) {
                return reader.readObject();
            }
        }

        public String detail() {
            return json().getString("detail");
        }

        /** Asserts a JSON error: exactly {"detail": text} with this status and an application/json type. */
        public Reply assertError(int expectedStatus, String expectedDetail) {
            assertEquals(expectedStatus, status, () -> "status of " + body);
            assertTrue(headers.firstValue("Content-Type").orElse("").startsWith("application/json"),
                    () -> "content type " + headers.firstValue("Content-Type"));
            JsonObject json = json();
            assertEquals(1, json.size(), () -> "only detail expected in " + body);
            assertEquals(expectedDetail, json.getString("detail"));
            if (expectedStatus == 401) {
                assertEquals("Bearer", headers.firstValue("WWW-Authenticate").orElse(null));
            }
            return this;
        }
    }

    public static String uniqueClient() {
        return "client-" + UUID.randomUUID();
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }

    public static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    public URI uri(String path) {
        return root.resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    public Reply get(String path, String authorization) {
        return send(request(path, authorization).GET());
    }

    public Reply post(String path, String authorization, String jsonBody) {
        return send(request(path, authorization)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody)));
    }

    public Reply send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest.Builder request(String path, String authorization) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    // ---- the org calls most tests start from ----

    /** Mints a token with the test org key and returns the whole 200 answer. */
    public JsonObject mint(String clientId, long durationSecs, String metadataJson) {
        String body = Json.createObjectBuilder()
                .add("client_id", clientId)
                .add("duration_secs", durationSecs)
                .build().toString();
        if (metadataJson != null) {
            body = body.substring(0, body.length() - 1) + ",\"metadata\":" + metadataJson + "}";
        }
        Reply reply = post("api/v1/generate_access_token", bearer(orgKey), body);
        assertEquals(200, reply.status(), reply::body);
        return reply.json();
    }

    public String mintToken(String clientId, long durationSecs) {
        return mint(clientId, durationSecs, null).getString("access_token");
    }

    public Reply clientApi(String token) {
        return get("api/v1/client_api", bearer(token));
    }

    public Reply revoke(String token) {
        return post("api/v1/revoke_token", bearer(orgKey),
                Json.createObjectBuilder().add("access_token", token).build().toString());
    }

    public Reply listTokens(String clientId) {
        return get("api/v1/client_tokens?client_id=" + encode(clientId), bearer(orgKey));
    }

    /** How many tokens the listing shows for a client: the "nothing created" check. */
    public int tokenCount(String clientId) {
        Reply reply = listTokens(clientId);
        assertEquals(200, reply.status(), reply::body);
        return reply.json().getJsonArray("tokens").size();
    }

    /** Creates an organization through the admin API; the answer carries its first api_key. */
    public JsonObject createOrg() {
        Reply reply = post("api/v1/admin/orgs", bearer(ADMIN_KEY),
                Json.createObjectBuilder().add("name", "org-" + UUID.randomUUID()).build().toString());
        assertEquals(201, reply.status(), reply::body);
        return reply.json();
    }

    public static String string(JsonObject json, String field) {
        return ((JsonString) json.get(field)).getString();
    }
}
