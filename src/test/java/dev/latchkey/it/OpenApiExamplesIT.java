package dev.latchkey.it;

import static dev.latchkey.it.Api.ADMIN_KEY;
import static dev.latchkey.it.Api.ORG_KEY;
import static dev.latchkey.it.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.latchkey.tokens.control.TokenFailure;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The examples in {@code /openapi} are real answers: each documented success example has the keys and JSON types
 * of the answer the service really gives (values such as ids and times differ), and each documented error
 * example is provoked on the operation that documents it (its method and path, not any operation) and answered
 * with exactly its status and detail (a HEAD answer has no body: its status). The one example of the shared
 * {@code BadRequest} answer names a field of {@code generate_access_token}; on the other operations that refer to
 * it a 400 is provoked and its own detail checked. Each documented request body that
 * holds no stand-in ({@code "..."}) is sent as it is and must succeed. A new example the test does not know
 * fails it until a real request for it is added here.
 *
 * <p>Payara writes the document leaving out nulls and empty objects, so an example shows a nullable field with a
 * value; a field that is null in the real answer matches any example value of that field.
 */
class OpenApiExamplesIT extends BlackBoxTest {

    /** Success examples this test does not compare, and why. */
    private static final Map<String, String> NOT_COMPARED = Map.of(
            "POST /api/v1/admin/signing_keys/rotate 200",
            "the test server takes its signing key from LATCHKEY_JWT_SECRET, so rotating answers 409");

    /** Needs the database down: OutageIT gets exactly this answer from GET /api/v1/client_api. */
    private static final String DATABASE_DOWN = "500 " + TokenFailure.INTERNAL_ERROR.detail();

    @Test
    void everyExampleIsARealAnswer() {
        Api.Reply reply = api.send(api.request("openapi", null).header("Accept", "application/json").GET());
        assertEquals(200, reply.status());
        JsonObject document = reply.json();
        JsonObject paths = document.getJsonObject("paths");
        for (String path : paths.keySet()) {
            assertTrue(path.startsWith("/api/v1/"), () -> "/openapi has a path outside the API: " + path);
        }

        Map<String, JsonValue> successes = new LinkedHashMap<>();
        Set<String> errors = new TreeSet<>();
        collectExamples(document, successes, errors);
        assertFalse(successes.isEmpty());

        Map<String, JsonObject> real = realAnswers();
        for (Map.Entry<String, JsonValue> example : successes.entrySet()) {
            if (NOT_COMPARED.containsKey(example.getKey())) {
                continue;
            }
            JsonObject answer = real.get(example.getKey());
            if (answer == null) {
                fail("/openapi documents " + example.getKey() + " with an example this test does not compare: "
                        + "add a real request for it");
            }
            JsonShapes.assertSameShape(example.getKey(), example.getValue(), answer);
        }

        Map<String, Supplier<String>> credentials = errorCredentials();
        Map<String, Supplier<Api.Reply>> badRequests = badRequests();
        int provokedCount = 0;
        for (String error : errors) {
            String[] parts = error.split(" ", 4); // method, path, status, detail
            String operation = parts[0] + " " + parts[1];
            int status = Integer.parseInt(parts[2]);
            String detail = parts[3];
            if ((status + " " + detail).equals(DATABASE_DOWN)) {
                continue;
            }
            Api.Reply provoked;
            String expected = detail;
            if (status == 400 && detail.equals(BAD_REQUEST_EXAMPLE) && !operation.equals("POST /api/v1/generate_access_token")) {
                Supplier<Api.Reply> request = badRequests.get(operation);
                if (request == null || !BAD_REQUEST_DETAILS.containsKey(operation)) {
                    fail(operation + " documents a 400 this test does not provoke on it: add a request that gets one");
                }
                provoked = request.get();
                expected = BAD_REQUEST_DETAILS.get(operation);
            } else if (status == 400 && detail.equals(BAD_REQUEST_EXAMPLE)) {
                provoked = api.post("api/v1/generate_access_token", bearer(ORG_KEY),
                        "{\"client_id\": \"c\", \"duration_secs\": 0}");
            } else if (status == 403 && detail.equals("Origin not allowed") && operation.equals("GET /api/v1/client_ws")) {
                String token = api.mintToken(Api.uniqueClient(), 600);
                LiveSocket.Refusal refusal = LiveSocket.refused(LiveSocket.uri(base, token),
                        Map.of("Origin", "http://evil.example"));
                provoked = new Api.Reply(refusal.status(), refusal.headers(), refusal.body());
            } else if (status == 404 && operation.equals("GET /api/v1/upstream")) {
                provoked = api.get("api/v1/upstream", bearer(api.createOrg().getString("api_key"))); // has none
            } else if (status == 410 && operation.equals("GET /api/v1/revocations")) {
                provoked = api.get("api/v1/revocations?after=999999999999", bearer(ORG_KEY)); // past the newest entry
            } else if (status == 429) {
                provoked = overALimit(parts[0], parts[1], detail);
            } else if (credentials.containsKey(status + " " + detail)) {
                provoked = send(parts[0], parts[1], credentials.get(status + " " + detail).get());
            } else {
                provoked = fail("/openapi documents the error " + error + ", which this test does not provoke: "
                        + "add a request that gets it, or correct the example");
            }
            assertEquals(status, provoked.status(), () -> error + ": answered " + provoked.status() + " " + provoked.body());
            if (!parts[0].equals("HEAD")) {
                provoked.assertError(status, expected);
            }
            provokedCount++;
        }
        System.out.println("OpenApiExamplesIT: " + provokedCount + " documented errors provoked on their operations");
        assertTrue(errors.contains("GET /api/v1/client_api 401 Token has been revoked"), errors::toString);
        assertTrue(errors.contains("GET /api/v1/client_ws 401 Token has been revoked"), errors::toString);
        // the limits' refusals (API.md section 11) on the mint, the handshake and every client surface with a rate
        for (String limited : List.of("POST /api/v1/generate_access_token 429 " + LimitsIT.TOO_MANY_TOKENS,
                "GET /api/v1/client_ws 429 " + LimitsIT.TOO_MANY_SOCKETS,
                "GET /api/v1/client_api 429 " + LimitsIT.RATE_EXCEEDED,
                "PATCH /api/v1/client_api/{path} 429 " + LimitsIT.RATE_EXCEEDED,
                "HEAD /api/v1/forward_auth 429 " + LimitsIT.RATE_EXCEEDED,
                "DELETE /api/v1/forward_auth/{path} 429 " + LimitsIT.RATE_EXCEEDED)) {
            assertTrue(errors.contains(limited), () -> "/openapi documents " + limited + ": " + errors);
        }

        int sent = 0;
        for (Map.Entry<String, JsonValue> body : requestExamples(paths).entrySet()) {
            if (body.getValue().toString().contains("...")) {
                continue; // holds a stand-in (a token, an id) that only a real answer can fill in
            }
            if (!body.getKey().startsWith("POST ")) {
                continue;
            }
            String path = body.getKey().substring(body.getKey().indexOf(' ') + 1);
            String key = path.startsWith("/api/v1/admin/") ? ADMIN_KEY : ORG_KEY;
            JsonObject request = body.getValue().asJsonObject();
            if (request.containsKey("name")) { // an organization's name is unique: the example's, made unique
                request = Json.createObjectBuilder(request)
                        .add("name", request.getString("name") + "-" + UUID.randomUUID()).build();
            }
            JsonObject sentBody = request;
            Api.Reply answer = api.post(path.substring(1), bearer(key), sentBody.toString());
            assertTrue(answer.status() / 100 == 2, () -> body.getKey() + ": the documented request " + sentBody
                    + " was answered " + answer.status() + " " + answer.body());
            sent++;
        }
        assertTrue(sent >= 3, "the documented requests sent: " + sent);
    }

    /** The JSON request body example of every operation, by {@code "<METHOD> <path>"}. */
    private static Map<String, JsonValue> requestExamples(JsonObject paths) {
        Map<String, JsonValue> bodies = new LinkedHashMap<>();
        for (String path : paths.keySet()) {
            JsonObject item = paths.getJsonObject(path);
            for (String method : item.keySet()) {
                JsonValue operation = item.get(method);
                if (operation.getValueType() != JsonValue.ValueType.OBJECT
                        || !operation.asJsonObject().containsKey("requestBody")) {
                    continue;
                }
                JsonObject content = operation.asJsonObject().getJsonObject("requestBody").getJsonObject("content");
                JsonObject json = content == null ? null : content.getJsonObject("application/json");
                if (json != null && json.containsKey("example")) {
                    assertEquals(JsonValue.ValueType.OBJECT, json.get("example").getValueType(),
                            () -> method + " " + path + ": the request example is not JSON: " + json.get("example"));
                    bodies.put(method.toUpperCase() + " " + path, json.get("example"));
                }
            }
        }
        return bodies;
    }

    /**
     * Every example of every operation's answers, $refs to components resolved: JSON success examples by
     * {@code "<METHOD> <path> <status>"}, error examples as {@code "<METHOD> <path> <status> <detail>"}.
     */
    private static void collectExamples(JsonObject document, Map<String, JsonValue> successes, Set<String> errors) {
        JsonObject components = document.getJsonObject("components").getJsonObject("responses");
        JsonObject paths = document.getJsonObject("paths");
        for (String path : paths.keySet()) {
            JsonObject item = paths.getJsonObject(path);
            for (String method : item.keySet()) {
                if (item.get(method).getValueType() != JsonValue.ValueType.OBJECT
                        || !item.getJsonObject(method).containsKey("responses")) {
                    continue;
                }
                JsonObject responses = item.getJsonObject(method).getJsonObject("responses");
                for (String status : responses.keySet()) {
                    JsonObject response = responses.getJsonObject(status);
                    if (response.containsKey("$ref")) {
                        String ref = response.getString("$ref");
                        response = components.getJsonObject(ref.substring(ref.lastIndexOf('/') + 1));
                    }
                    for (JsonValue example : examples(response)) {
                        if (status.startsWith("2")) {
                            successes.put(method.toUpperCase() + " " + path + " " + status, example);
                        } else {
                            assertEquals(JsonValue.ValueType.OBJECT, example.getValueType(),
                                    () -> path + " " + status + ": an error example is not an object: " + example);
                            JsonObject error = example.asJsonObject();
                            assertEquals(Set.of("detail"), error.keySet(), () -> "an error body is only detail: " + error);
                            errors.add(method.toUpperCase() + " " + path + " " + status + " " + error.getString("detail"));
                        }
                    }
                }
            }
        }
    }

    private static List<JsonValue> examples(JsonObject response) {
        List<JsonValue> found = new ArrayList<>();
        JsonObject content = response.getJsonObject("content");
        JsonObject json = content == null ? null : content.getJsonObject("application/json");
        if (json == null) {
            return found;
        }
        if (json.containsKey("example")) {
            found.add(json.get("example"));
        }
        if (json.containsKey("examples")) {
            for (JsonValue named : json.getJsonObject("examples").values()) {
                found.add(named.asJsonObject().get("value"));
            }
        }
        return found;
    }

    /** A real answer for each documented success, by {@code "<METHOD> <path> <status>"}. */
    private Map<String, JsonObject> realAnswers() {
        Map<String, JsonObject> real = new LinkedHashMap<>();
        String client = Api.uniqueClient();
        Api.Reply minted = api.post("api/v1/generate_access_token", bearer(ORG_KEY), Json.createObjectBuilder()
                .add("client_id", client).add("duration_secs", 600)
                .add("metadata", Json.createObjectBuilder().add("plan", "pro")).build().toString());
        real.put("POST /api/v1/generate_access_token 200", ok(200, minted));
        String token = minted.json().getString("access_token");
        real.put("GET /api/v1/client_api 200", ok(200, api.clientApi(token)));
        real.put("POST /api/v1/introspect 200", ok(200, api.post("api/v1/introspect", bearer(ORG_KEY),
                body("access_token", token))));
        // a page that is not the last (next_cursor set), whose newest token is revoked with a reason
        String newest = api.mint(client, 600, "{\"plan\": \"pro\"}").getString("access_token");
        ok(200, api.post("api/v1/revoke_token", bearer(ORG_KEY), Json.createObjectBuilder()
                .add("access_token", newest).add("reason", "user signed out").build().toString()));
        real.put("GET /api/v1/client_tokens 200", ok(200, api.get("api/v1/client_tokens?client_id="
                + Api.encode(client) + "&limit=1", bearer(ORG_KEY))));
        real.put("POST /api/v1/revoke_token 200", ok(200, api.revoke(token)));
        real.put("POST /api/v1/client_messages 200", ok(200, api.post("api/v1/client_messages", bearer(ORG_KEY),
                Json.createObjectBuilder().add("client_id", client)
                        .add("data", Json.createObjectBuilder().add("text", "hello")).build().toString())));
        real.put("POST /api/v1/revoke_client_tokens 200", ok(200, api.post("api/v1/revoke_client_tokens",
                bearer(ORG_KEY), body("client_id", client))));

        // the revocation feed of an organization of its own: one revoked token
        Api feedOrg = new Api(base, api.createOrg().getString("api_key"));
        ok(200, feedOrg.revoke(feedOrg.mintToken(client, 600)));
        real.put("GET /api/v1/revocations 200", ok(200, feedOrg.get("api/v1/revocations", bearer(feedOrg.orgKey()))));

        Api.Reply created = api.post("api/v1/admin/orgs", bearer(ADMIN_KEY), body("name", "org-" + UUID.randomUUID()));
        real.put("POST /api/v1/admin/orgs 201", ok(201, created));
        String orgId = created.json().getString("org_id");
        assertEquals(200, new Api(base, created.json().getString("api_key")).listTokens("anyone").status(),
                "the new org's key works (and now has a last_used_at)");
        real.put("GET /api/v1/admin/orgs 200", ok(200, api.get("api/v1/admin/orgs", bearer(ADMIN_KEY))));
        real.put("GET /api/v1/admin/signing_keys 200", ok(200, api.get("api/v1/admin/signing_keys", bearer(ADMIN_KEY))));
        Api.Reply second = api.send(api.request("api/v1/admin/orgs/" + orgId + "/api_keys", bearer(ADMIN_KEY))
                .POST(HttpRequest.BodyPublishers.noBody()));
        real.put("POST /api/v1/admin/orgs/{org_id}/api_keys 201", ok(201, second));
        real.put("GET /api/v1/admin/orgs/{org_id}/api_keys 200",
                ok(200, api.get("api/v1/admin/orgs/" + orgId + "/api_keys", bearer(ADMIN_KEY))));
        ok(200, api.send(api.request("api/v1/admin/orgs/" + orgId + "/upstream", bearer(ADMIN_KEY))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"url\": \"http://127.0.0.1:1/v2\"}"))));
        real.put("GET /api/v1/upstream 200",
                ok(200, api.get("api/v1/upstream", bearer(created.json().getString("api_key")))));
        real.put("DELETE /api/v1/admin/api_keys/{key_id} 200", ok(200, api.send(api.request(
                "api/v1/admin/api_keys/" + second.json().getString("key_id"), bearer(ADMIN_KEY)).DELETE())));
        return real;
    }

    /** The Authorization header that gets each documented 401, by {@code "<status> <detail>"} (null: none). */
    private Map<String, Supplier<String>> errorCredentials() {
        String client = Api.uniqueClient();
        String token = api.mintToken(client, 600);
        JsonObject payload = ForgedTokens.payload(token);
        String kid = ForgedTokens.kid(token);
        long later = ForgedTokens.nowSeconds() + 600;
        Map<String, Supplier<String>> credentials = new LinkedHashMap<>();
        credentials.put("401 Authorization header is missing", () -> null);
        credentials.put("401 Authorization header must start with Bearer", () -> "Basic dXNlcg==");
        credentials.put("401 Invalid API key", () -> bearer("fl-not-a-key-of-anyone"));
        credentials.put("401 Invalid admin key", () -> bearer("not-the-admin-key"));
        credentials.put("401 Invalid token format", () -> bearer("not-a-jwt"));
        credentials.put("401 Invalid token format: missing required fields", () -> bearer(ForgedTokens.sign(kid,
                "{\"iss\":\"latchkey\",\"client_id\":\"c\",\"iat\":1,\"exp\":" + later + "}")));
        credentials.put("401 Token has expired", () -> bearer(ForgedTokens.sign(kid, ForgedTokens.claims(
                client, payload.getString("token_id"), ForgedTokens.nowSeconds() - 5))));
        credentials.put("401 Invalid token, token not found in database", () -> bearer(ForgedTokens.sign(kid,
                ForgedTokens.claims(client, UUID.randomUUID().toString(), later))));
        credentials.put("401 Invalid token, client_id mismatch", () -> bearer(ForgedTokens.sign(kid,
                ForgedTokens.claims("someone-else", payload.getString("token_id"), later))));
        credentials.put("401 Token has been revoked", () -> {
            String revoked = api.mintToken(client, 600);
            assertEquals(200, api.revoke(revoked).status());
            return bearer(revoked);
        });
        return credentials;
    }

    /**
     * The operation's documented 429 ({@code docs/limits.md}), provoked for a client of a new organization with the
     * limit it names: a mint over {@code max_active_tokens} (1, refuse), a handshake over {@code max_sockets} (1,
     * refuse), or the operation sent again and again (at most 10 times) over a rate of 1 a second with a burst of 1;
     * a rate refusal carries {@code Retry-After} and the RateLimit fields, on HEAD too.
     */
    private Api.Reply overALimit(String method, String path, String detail) {
        JsonObject org = api.createOrg();
        Api orgApi = new Api(base, org.getString("api_key"));
        String client = Api.uniqueClient();
        switch (detail) {
            case LimitsIT.TOO_MANY_TOKENS -> {
                assertEquals(200, LimitsIT.putLimits(api, org.getString("org_id"),
                        "{\"max_active_tokens\":{\"limit\":1,\"on_limit\":\"refuse\"}}").status());
                orgApi.mintToken(client, 600);
                return orgApi.post("api/v1/generate_access_token", bearer(orgApi.orgKey()), LimitsIT.mintBody(client));
            }
            case LimitsIT.TOO_MANY_SOCKETS -> {
                assertEquals(200, LimitsIT.putLimits(api, org.getString("org_id"),
                        "{\"max_sockets\":{\"limit\":1,\"on_limit\":\"refuse\"}}").status());
                String token = orgApi.mintToken(client, 600);
                try (LiveSocket open = LiveSocket.open(base, token)) {
                    open.next("session");
                    // counted once its opening has finished, just after the session message: a pong comes after it
                    open.send("{\"type\":\"ping\"}");
                    open.next("pong");
                    LiveSocket.Refusal refusal = LiveSocket.refused(LiveSocket.uri(base, token), Map.of());
                    return new Api.Reply(refusal.status(), refusal.headers(), refusal.body());
                }
            }
            case LimitsIT.RATE_EXCEEDED -> {
                assertEquals(200, LimitsIT.putLimits(api, org.getString("org_id"),
                        "{\"rate\":{\"per_second\":1,\"burst\":1}}").status());
                String token = orgApi.mintToken(client, 600);
                for (int attempt = 0; attempt < 10; attempt++) {
                    Api.Reply reply = send(method, path, bearer(token));
                    if (reply.status() == 429) {
                        if (method.equals("HEAD")) {
                            assertTrue(reply.headers().firstValue("Retry-After").isPresent(), path);
                            assertEquals("\"client\";q=1;w=1", reply.headers().firstValue("RateLimit-Policy").orElse(null));
                            assertTrue(reply.headers().firstValue("RateLimit").isPresent(), path);
                        } else {
                            LimitsIT.assertRateRefusal(reply, 1);
                        }
                        return reply;
                    }
                }
                return fail(method + " " + path + " was never refused over a rate of 1 a second");
            }
            default -> {
                return fail("/openapi documents a 429 that no limit gives: " + detail);
            }
        }
    }

    /** The operation's method on its path (parameters filled in), with {@code authorization}; a handshake for the WebSocket. */
    private Api.Reply send(String method, String path, String authorization) {
        String concrete = path.substring(1).replace("{org_id}", UUID.randomUUID().toString())
                .replace("{key_id}", UUID.randomUUID().toString()).replace("{path}", "orders/7");
        if (path.equals("/api/v1/client_ws")) {
            LiveSocket.Refusal refusal = LiveSocket.refused(URI.create(api.uri(concrete).toString().replaceFirst("^http", "ws")),
                    authorization == null ? Map.of() : Map.of("Authorization", authorization));
            return new Api.Reply(refusal.status(), refusal.headers(), refusal.body());
        }
        HttpRequest.BodyPublisher body = Set.of("POST", "PUT", "PATCH").contains(method)
                ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody();
        HttpRequest.Builder request = api.request(concrete, authorization).method(method, body);
        if (!body.equals(HttpRequest.BodyPublishers.noBody())) {
            request.header("Content-Type", "application/json");
        }
        return api.send(request);
    }

    /** The shared BadRequest component's one example. */
    private static final String BAD_REQUEST_EXAMPLE = "duration_secs must be an integer between 1 and 86400";

    /** The detail each operation other than generate_access_token gives for the 400 {@link #badRequests} provokes. */
    private static final Map<String, String> BAD_REQUEST_DETAILS = Map.ofEntries(
            Map.entry("POST /api/v1/revoke_token", "access_token is required"),
            Map.entry("POST /api/v1/revoke_client_tokens", "client_id is required"),
            Map.entry("POST /api/v1/introspect", "access_token is required"),
            Map.entry("GET /api/v1/client_tokens", "limit must be an integer between 1 and 100"),
            Map.entry("GET /api/v1/revocations", "wait_secs must be an integer from 0 to 30"),
            Map.entry("POST /api/v1/client_messages", "client_id is required"),
            Map.entry("POST /api/v1/admin/orgs", "name is required"),
            Map.entry("PUT /api/v1/admin/orgs/{org_id}/upstream", "url is required"),
            Map.entry("GET /api/v1/client_api/{path}", "Invalid path"),
            Map.entry("HEAD /api/v1/client_api/{path}", "Invalid path"),
            Map.entry("POST /api/v1/client_api/{path}", "Invalid path"),
            Map.entry("PUT /api/v1/client_api/{path}", "Invalid path"),
            Map.entry("PATCH /api/v1/client_api/{path}", "Invalid path"),
            Map.entry("DELETE /api/v1/client_api/{path}", "Invalid path"),
            Map.entry("OPTIONS /api/v1/client_api/{path}", "Invalid path"));

    /** A request that gets a 400 on each operation that documents one, other than generate_access_token. */
    private Map<String, Supplier<Api.Reply>> badRequests() {
        Map<String, Supplier<Api.Reply>> requests = new LinkedHashMap<>();
        for (String path : List.of("revoke_token", "revoke_client_tokens", "introspect", "client_messages")) {
            requests.put("POST /api/v1/" + path, () -> api.post("api/v1/" + path, bearer(ORG_KEY), "{}"));
        }
        requests.put("GET /api/v1/client_tokens", () -> api.get("api/v1/client_tokens?limit=0", bearer(ORG_KEY)));
        requests.put("GET /api/v1/revocations", () -> api.get("api/v1/revocations?wait_secs=31", bearer(ORG_KEY)));
        requests.put("POST /api/v1/admin/orgs", () -> api.post("api/v1/admin/orgs", bearer(ADMIN_KEY), "{}"));
        Api.Reply org = api.post("api/v1/admin/orgs", bearer(ADMIN_KEY), body("name", "org-" + UUID.randomUUID()));
        String orgId = org.json().getString("org_id");
        requests.put("PUT /api/v1/admin/orgs/{org_id}/upstream", () -> api.send(api.request(
                "api/v1/admin/orgs/" + orgId + "/upstream", bearer(ADMIN_KEY)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{}"))));
        // the proxy: an organization with an upstream (nobody listens there), a path that would leave its base
        Api.Reply upstream = api.send(api.request("api/v1/admin/orgs/" + orgId + "/upstream", bearer(ADMIN_KEY))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"url\":\"http://127.0.0.1:1/base\"}")));
        assertEquals(200, upstream.status(), upstream.body());
        String token = new Api(base, org.json().getString("api_key")).mintToken(Api.uniqueClient(), 600);
        for (String method : List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")) {
            requests.put(method + " /api/v1/client_api/{path}", () -> api.send(api.request(
                    "api/v1/client_api/orders/a%2Fb", bearer(token)).method(method, HttpRequest.BodyPublishers.noBody())));
        }
        return requests;
    }

    private static JsonObject ok(int status, Api.Reply reply) {
        assertEquals(status, reply.status(), reply::body);
        return reply.json();
    }

    private static String body(String name, String value) {
        return Json.createObjectBuilder().add(name, value).build().toString();
    }
}
