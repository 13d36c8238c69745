package dev.latchkey.it;

import static dev.latchkey.it.Api.ORG_KEY;
import static dev.latchkey.it.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The organization endpoints over real HTTP: auth, every 400 with nothing created, lifecycle, listing. */
class OrgEndpointsIT extends BlackBoxTest {

    private static final String MINT = "api/v1/generate_access_token";

    // ---- org key ----

    @Test
    void everyOrgEndpointRefusesMissingWrongAndUnknownKeys() {
        String client = Api.uniqueClient();
        String token = api.mintToken(Api.uniqueClient(), 60);
        String mintBody = "{\"client_id\":\"" + client + "\",\"duration_secs\":60}";
        String[][] calls = {
            {"POST", MINT, mintBody},
            {"POST", "api/v1/revoke_token", "{\"access_token\":\"" + token + "\"}"},
            {"POST", "api/v1/revoke_client_tokens", "{\"client_id\":\"" + client + "\"}"},
            {"POST", "api/v1/introspect", "{\"access_token\":\"" + token + "\"}"},
            {"GET", "api/v1/client_tokens?client_id=" + client, null},
        };
        for (String[] call : calls) {
            call(call, null).assertError(401, "Authorization header is missing");
            call(call, "Basic " + ORG_KEY).assertError(401, "Authorization header must start with Bearer");
            call(call, ORG_KEY).assertError(401, "Authorization header must start with Bearer");
            call(call, bearer("fl-" + "x".repeat(43))).assertError(401, "Invalid API key");
            call(call, bearer(token)).assertError(401, "Invalid API key");
        }
        assertEquals(0, api.tokenCount(client), "a refused mint created nothing");
        assertEquals(200, api.clientApi(token).status(), "a refused revoke revoked nothing");
    }

    private Api.Reply call(String[] call, String authorization) {
        return call[0].equals("GET") ? api.get(call[1], authorization) : api.post(call[1], authorization, call[2]);
    }

    @Test
    void schemeOfTheOrgKeyIsCaseInsensitiveToo() {
        Api.Reply reply = api.post(MINT, "bEARER " + ORG_KEY, "{\"client_id\":\"c\",\"duration_secs\":5}");
        assertEquals(200, reply.status(), reply.body());
    }

    // ---- minting ----

    @Test
    void mintAnswersWithTheTokenItsIdAndExpiry() {
        String client = Api.uniqueClient();
        Instant before = Instant.now();
        Api.Reply reply = api.post(MINT, bearer(ORG_KEY),
                "{\"client_id\":\"" + client + "\",\"duration_secs\":300,\"metadata\":{\"plan\":\"pro\",\"n\":[1,2]}}");
        assertEquals(200, reply.status(), reply.body());
        assertEquals("no-store", reply.headers().firstValue("Cache-Control").orElse(null));
        JsonObject minted = reply.json();
        assertEquals(Set.of("access_token", "expires_in", "token_id", "expires_at"), minted.keySet());
        assertEquals(300, minted.getInt("expires_in"));
        Instant expiresAt = Instant.parse(minted.getString("expires_at"));
        assertTrue(Duration.between(before, expiresAt).toSeconds() >= 299, "expires_at " + expiresAt);
        assertTrue(Duration.between(Instant.now(), expiresAt).toSeconds() <= 300, "expires_at " + expiresAt);

        String jwt = minted.getString("access_token");
        JsonObject header = ForgedTokens.header(jwt);
        assertEquals("HS256", header.getString("alg"));
        assertFalse(header.getString("kid").isEmpty());
        JsonObject claims = ForgedTokens.payload(jwt);
        assertEquals(Set.of("iss", "client_id", "token_id", "jti", "org_id", "iat", "exp"), claims.keySet(),
                "metadata never goes into the JWT");
        assertFalse(claims.getString("org_id").isEmpty(), "contract section 10: the org is named");
        assertEquals(client, claims.getString("client_id"));
        assertEquals(minted.getString("token_id"), claims.getString("token_id"));
        assertEquals(minted.getString("token_id"), claims.getString("jti"));
        assertEquals(expiresAt.getEpochSecond(), claims.getJsonNumber("exp").longValue(), 1);
        assertEquals(1, api.tokenCount(client));
    }

    @Test
    void everyInvalidMintIsA400NamingTheFieldAndCreatesNothing() {
        String client = Api.uniqueClient();
        String c = "\"client_id\":\"" + client + "\"";
        String[][] cases = {
            {"{" + c + ",\"duration_secs\":1.5}", "duration_secs must be an integer between 1 and 86400"},
            {"{" + c + ",\"duration_secs\":\"60\"}", "duration_secs must be an integer between 1 and 86400"},
            {"{" + c + ",\"duration_secs\":true}", "duration_secs must be an integer between 1 and 86400"},
            {"{" + c + ",\"duration_secs\":0}", "duration_secs must be an integer between 1 and 86400"},
            {"{" + c + ",\"duration_secs\":-5}", "duration_secs must be an integer between 1 and 86400"},
            {"{" + c + ",\"duration_secs\":86401}", "duration_secs must be an integer between 1 and 86400"},
            {"{" + c + ",\"duration_secs\":1e309}", "duration_secs must be an integer between 1 and 86400"},
            {"{" + c + ",\"duration_secs\":null}", "duration_secs is required"},
            {"{" + c + "}", "duration_secs is required"},
            {"{\"duration_secs\":60}", "client_id is required"},
            {"{\"client_id\":42,\"duration_secs\":60}", "client_id must be a string"},
            {"{\"client_id\":\"\",\"duration_secs\":60}", "client_id must be 1 to 255 characters"},
            {"{\"client_id\":\"" + "x".repeat(256) + "\",\"duration_secs\":60}", "client_id must be 1 to 255 characters"},
            {"{\"client_id\":\"bad\\u0000id\",\"duration_secs\":60}", "client_id must not contain control characters"},
            {"{" + c + ",\"duration_secs\":60,\"metadata\":[1]}", "metadata must be a JSON object"},
            {"{" + c + ",\"duration_secs\":60,\"metadata\":\"x\"}", "metadata must be a JSON object"},
            {"{" + c + ",\"duration_secs\":60,\"metadata\":{\"big\":\"" + "x".repeat(16400) + "\"}}",
                "metadata must be at most 16 KiB (16384 bytes) as serialized JSON"},
            {"{" + c + ",\"duration_secs\":60,\"metadata\":" + "{\"a\":".repeat(40) + "1" + "}".repeat(40) + "}",
                "metadata must not be nested more than 32 levels deep"},
            {"{" + c + ",\"duration_secs\":60,\"token_id\":\"mine\"}", "Unknown field: token_id"},
            {"{" + c + ",\"duration_secs\":60,\"exp\":99999999999}", "Unknown field: exp"},
            {"", "Request body is missing: send a JSON object"},
            {"null", "Request body must be a JSON object"},
            {"[" + "{" + c + ",\"duration_secs\":60}]", "Request body must be a JSON object"},
            {"{" + c + ",\"duration_secs\":60", "Request body is not valid JSON"},
            {"{" + c + ",\"duration_secs\":60} {}", "Request body is not valid JSON"},
            {"client_id=x&duration_secs=60", "Request body is not valid JSON"},
            {"{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}", "Request body is nested too deeply: at most 64 levels of objects and arrays"},
        };
        for (String[] bad : cases) {
            api.post(MINT, bearer(ORG_KEY), bad[0]).assertError(400, bad[1]);
        }
        assertEquals(0, api.tokenCount(client), "nothing was created for " + client);
    }

    @Test
    void oversizedBodyIs413AndUnsupportedTypeIs415() {
        String client = Api.uniqueClient();
        String huge = "{\"client_id\":\"" + client + "\",\"duration_secs\":60,\"metadata\":{\"x\":\""
                + "y".repeat(200_000) + "\"}}";
        Api.Reply tooLarge = api.post(MINT, bearer(ORG_KEY), huge);
        assertEquals(413, tooLarge.status());
        assertTrue(tooLarge.detail().startsWith("Request body too large"), tooLarge.body());
        api.send(api.request(MINT, bearer(ORG_KEY)).header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"client_id\":\"" + client + "\",\"duration_secs\":60}")))
                .assertError(415, "Unsupported media type: send application/json");
        // authentication comes first: an unauthenticated caller learns nothing about the endpoint
        api.send(api.request(MINT, bearer("fl-bogus-key-that-does-not-exist-000000000")).header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"client_id\":\"" + client + "\",\"duration_secs\":60}")))
                .assertError(401, "Invalid API key");
        api.send(api.request(MINT, null).header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString("{}")))
                .assertError(401, "Authorization header is missing");
        api.send(api.request("api/v1/admin/orgs", bearer("not-the-admin-key")).header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString("{}")))
                .assertError(401, "Invalid admin key");
        // parameters of the JSON type are fine
        api.send(api.request(MINT, bearer(ORG_KEY)).header("Content-Type", "application/json; charset=utf-8")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"client_id\":\"" + client + "\",\"duration_secs\":60}")))
                .json().getString("access_token");
        assertEquals(1, api.tokenCount(client));
    }

    // ---- revoking ----

    @Test
    void revokeIsIdempotentAndRecordsTheReason() {
        String client = Api.uniqueClient();
        String token = api.mintToken(client, 60);
        Api.Reply first = api.post("api/v1/revoke_token", bearer(ORG_KEY),
                "{\"access_token\":\"" + token + "\",\"reason\":\"lost device\"}");
        assertEquals(200, first.status(), first.body());
        assertEquals(Json.createObjectBuilder().add("status", "success")
                .add("message", "Token successfully revoked").build(), first.json());
        Api.Reply again = api.post("api/v1/revoke_token", bearer(ORG_KEY),
                "{\"access_token\":\"" + token + "\",\"reason\":\"second\"}");
        assertEquals(200, again.status());
        api.clientApi(token).assertError(401, "Token has been revoked");
        JsonObject listed = api.listTokens(client).json().getJsonArray("tokens").getJsonObject(0);
        assertEquals("lost device", listed.getString("revocation_reason"), "the first reason stays");
        assertNotNull(Instant.parse(listed.getString("revoked_at")));
    }

    @Test
    void revokingAnExpiredTokenSucceeds() throws InterruptedException {
        String token = api.mintToken(Api.uniqueClient(), 1);
        Thread.sleep(2100);
        assertEquals(200, api.revoke(token).status());
    }

    @Test
    void revokeRefusesWhatIsNotOurTokenAndRevokesNothing() {
        String token = api.mintToken(Api.uniqueClient(), 60);
        api.post("api/v1/revoke_token", bearer(ORG_KEY), "{\"access_token\":\"not-a-jwt\"}")
                .assertError(400, "Invalid token format");
        api.post("api/v1/revoke_token", bearer(ORG_KEY), "{\"access_token\":\"" + token + "=\"}")
                .assertError(400, "Invalid token format");
        api.post("api/v1/revoke_token", bearer(ORG_KEY), "{}").assertError(400, "access_token is required");
        api.post("api/v1/revoke_token", bearer(ORG_KEY), "{\"access_token\":7}")
                .assertError(400, "access_token must be a string");
        api.post("api/v1/revoke_token", bearer(ORG_KEY), "{\"access_token\":\"" + token + "\",\"reason\":5}")
                .assertError(400, "reason must be a string");
        String unknown = ForgedTokens.sign(ForgedTokens.kid(token), ForgedTokens.claims("c",
                UUID.randomUUID().toString(), ForgedTokens.nowSeconds() + 60));
        api.post("api/v1/revoke_token", bearer(ORG_KEY), "{\"access_token\":\"" + unknown + "\"}")
                .assertError(404, "Token not found");
        assertEquals(200, api.clientApi(token).status(), "the real token was not revoked");
    }

    @Test
    void revokeClientTokensTouchesOnlyThatClient() {
        String alice = Api.uniqueClient();
        String bob = Api.uniqueClient();
        List<String> aliceTokens = List.of(api.mintToken(alice, 60), api.mintToken(alice, 60), api.mintToken(alice, 60));
        String bobToken = api.mintToken(bob, 60);
        Api.Reply reply = api.post("api/v1/revoke_client_tokens", bearer(ORG_KEY),
                "{\"client_id\":\"" + alice + "\",\"reason\":\"account closed\"}");
        assertEquals(200, reply.status(), reply.body());
        assertEquals(Json.createObjectBuilder().add("status", "success")
                .add("message", "All tokens for client successfully revoked").add("revoked_count", 3).build(),
                reply.json());
        for (String token : aliceTokens) {
            api.clientApi(token).assertError(401, "Token has been revoked");
        }
        assertEquals(200, api.clientApi(bobToken).status());
        Api.Reply again = api.post("api/v1/revoke_client_tokens", bearer(ORG_KEY), "{\"client_id\":\"" + alice + "\"}");
        assertEquals(0, again.json().getInt("revoked_count"));
        api.post("api/v1/revoke_client_tokens", bearer(ORG_KEY), "{}").assertError(400, "client_id is required");
        assertEquals(200, api.clientApi(bobToken).status());
    }

    // ---- introspecting ----

    @Test
    void introspectShowsActiveTokensAndOnlyActiveFalseOtherwise() {
        String client = Api.uniqueClient();
        JsonObject minted = api.mint(client, 120, "{\"role\":\"admin\"}");
        String token = minted.getString("access_token");
        JsonObject active = introspect(token);
        assertEquals(Set.of("active", "client_id", "token_id", "metadata", "issued_at", "expires_at"), active.keySet());
        assertTrue(active.getBoolean("active"));
        assertEquals(client, active.getString("client_id"));
        assertEquals(minted.getString("token_id"), active.getString("token_id"));
        assertEquals("admin", active.getJsonObject("metadata").getString("role"));
        assertEquals(minted.getString("expires_at"), active.getString("expires_at"));

        JsonObject inactive = Json.createObjectBuilder().add("active", false).build();
        assertEquals(inactive, introspect("garbage"));
        assertEquals(inactive, introspect(token + "="));
        api.revoke(token);
        assertEquals(inactive, introspect(token));
        api.post("api/v1/introspect", bearer(ORG_KEY), "{}").assertError(400, "access_token is required");
    }

    private JsonObject introspect(String token) {
        Api.Reply reply = api.post("api/v1/introspect", bearer(ORG_KEY),
                Json.createObjectBuilder().add("access_token", token).build().toString());
        assertEquals(200, reply.status(), reply.body());
        return reply.json();
    }

    // ---- listing ----

    @Test
    void listingIsNewestFirstAndPagesWithACursor() throws InterruptedException {
        String client = Api.uniqueClient();
        List<String> minted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            minted.add(0, api.mint(client, 60, "{\"i\":" + i + "}").getString("token_id"));
            Thread.sleep(5);
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            String path = "api/v1/client_tokens?client_id=" + Api.encode(client) + "&limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor);
            Api.Reply reply = api.get(path, bearer(ORG_KEY));
            assertEquals(200, reply.status(), reply.body());
            JsonArray tokens = reply.json().getJsonArray("tokens");
            assertTrue(tokens.size() <= 2);
            for (JsonValue value : tokens) {
                JsonObject token = value.asJsonObject();
                assertEquals(Set.of("token_id", "client_id", "issued_at", "expires_at", "revoked_at",
                        "revocation_reason", "metadata"), token.keySet());
                assertEquals(JsonValue.NULL, token.get("revoked_at"));
                seen.add(token.getString("token_id"));
            }
            JsonValue next = reply.json().get("next_cursor");
            cursor = next.getValueType() == JsonValue.ValueType.STRING ? Api.string(reply.json(), "next_cursor") : null;
            pages++;
        } while (cursor != null);
        assertEquals(minted, seen, "newest first, each once");
        assertEquals(3, pages);
        assertEquals(new HashSet<>(minted).size(), seen.size());
    }

    /** Finding tokens without knowing the client first (issue 34): the organization's newest, or one by its id. */
    @Test
    void theOrganizationsTokensAreListedWithoutAClientAndOneIsFoundByItsId() {
        String alice = Api.uniqueClient();
        String bob = Api.uniqueClient();
        String aliceToken = api.mint(alice, 600, null).getString("token_id");
        String bobToken = api.mint(bob, 600, null).getString("token_id");
        Api.Reply recent = api.get("api/v1/client_tokens?limit=2", bearer(ORG_KEY));
        assertEquals(200, recent.status(), recent.body());
        List<String> newest = recent.json().getJsonArray("tokens").getValuesAs(JsonObject.class).stream()
                .map(token -> token.getString("token_id")).toList();
        assertEquals(List.of(bobToken, aliceToken), newest, "both clients, newest first");
        assertEquals(JsonValue.ValueType.STRING, recent.json().get("next_cursor").getValueType(), "more pages follow");

        Api.Reply one = api.get("api/v1/client_tokens?token_id=" + aliceToken, bearer(ORG_KEY));
        assertEquals(200, one.status(), one.body());
        assertEquals(1, one.json().getJsonArray("tokens").size());
        assertEquals(alice, one.json().getJsonArray("tokens").getJsonObject(0).getString("client_id"));
        assertEquals(JsonValue.NULL, one.json().get("next_cursor"));
        for (String query : List.of("token_id=" + aliceToken + "&client_id=" + bob, "token_id=no-such-token")) {
            Api.Reply none = api.get("api/v1/client_tokens?" + query, bearer(ORG_KEY));
            assertEquals("{\"tokens\":[],\"next_cursor\":null}", none.body().replace(" ", ""), query);
        }
        // another organization's listing never holds these
        String otherKey = api.createOrg().getString("api_key");
        Api.Reply theirs = api.get("api/v1/client_tokens?token_id=" + aliceToken, bearer(otherKey));
        assertEquals(0, theirs.json().getJsonArray("tokens").size(), theirs.body());
    }

    @Test
    void listingParametersAreValidated() {
        api.get("api/v1/client_tokens?client_id=", bearer(ORG_KEY))
                .assertError(400, "client_id must be 1 to 255 characters");
        api.get("api/v1/client_tokens?client_id=x&limit=0", bearer(ORG_KEY))
                .assertError(400, "limit must be an integer between 1 and 100");
        api.get("api/v1/client_tokens?client_id=x&limit=101", bearer(ORG_KEY))
                .assertError(400, "limit must be an integer between 1 and 100");
        api.get("api/v1/client_tokens?client_id=x&cursor=%25%25", bearer(ORG_KEY))
                .assertError(400, "cursor is invalid: use next_cursor from the previous page");
    }

    // ---- errors everywhere ----

    @Test
    void unknownPathsAndMethodsAnswerJsonWithoutBanners() {
        Api.Reply unknownApi = api.get("api/v1/no_such_thing", bearer(ORG_KEY)).assertError(404, "Not found");
        api.get("no/such/page", null).assertError(404, "Not found");
        api.get("", null).assertError(404, "Not found");
        api.send(api.request(MINT, bearer(ORG_KEY)).DELETE()).assertError(405, "Method not allowed");
        api.get(MINT, bearer(ORG_KEY)).assertError(405, "Method not allowed");
        for (Api.Reply reply : List.of(unknownApi, api.clientApi("x"))) {
            assertTrue(reply.headers().firstValue("Server").isEmpty(), "no Server header");
            assertTrue(reply.headers().firstValue("X-Powered-By").isEmpty(), "no X-Powered-By header");
        }
    }
}
