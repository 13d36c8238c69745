package dev.latchkey.it;

import static dev.latchkey.it.Api.ADMIN_KEY;
import static dev.latchkey.it.Api.ORG_KEY;
import static dev.latchkey.it.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The admin API: organizations, key issue, listing, revocation taking effect at once. */
class AdminIT extends BlackBoxTest {

    @Test
    void organizationsAreListedWithoutKeysDefaultIncluded() {
        JsonObject created = api.createOrg();
        api.get("api/v1/admin/orgs", bearer(ORG_KEY)).assertError(401, "Invalid admin key");
        Api.Reply reply = api.get("api/v1/admin/orgs", bearer(ADMIN_KEY));
        assertEquals(200, reply.status(), reply.body());
        JsonArray orgs = reply.json().getJsonArray("orgs");
        JsonObject listed = orgs.getValuesAs(JsonObject.class).stream()
                .filter(org -> org.getString("org_id").equals(created.getString("org_id"))).findFirst().orElseThrow();
        assertEquals(Set.of("org_id", "name", "created_at"), listed.keySet());
        assertEquals(created.getString("name"), listed.getString("name"));
        assertTrue(orgs.getValuesAs(JsonObject.class).stream().anyMatch(org -> org.getString("name").equals("default")),
                "the default organization's org_id is discoverable");
        assertFalse(reply.body().contains("fl-"), "no key in the listing");
    }

    @Test
    void adminEndpointsRefuseEveryOtherCredential() {
        String token = api.mintToken(Api.uniqueClient(), 60);
        String name = "never-" + UUID.randomUUID();
        String body = "{\"name\":\"" + name + "\"}";
        api.post("api/v1/admin/orgs", null, body).assertError(401, "Authorization header is missing");
        api.post("api/v1/admin/orgs", "Basic " + ADMIN_KEY, body)
                .assertError(401, "Authorization header must start with Bearer");
        api.post("api/v1/admin/orgs", bearer(ORG_KEY), body).assertError(401, "Invalid admin key");
        api.post("api/v1/admin/orgs", bearer(token), body).assertError(401, "Invalid admin key");
        api.post("api/v1/admin/orgs", bearer(ADMIN_KEY + "x"), body).assertError(401, "Invalid admin key");
        api.post("api/v1/admin/signing_keys/rotate", bearer(ORG_KEY), "").assertError(401, "Invalid admin key");
        api.send(api.request("api/v1/admin/api_keys/whatever", bearer(token)).DELETE())
                .assertError(401, "Invalid admin key");
        // and the admin key is not an org key
        api.post("api/v1/generate_access_token", bearer(ADMIN_KEY), "{\"client_id\":\"c\",\"duration_secs\":5}")
                .assertError(401, "Invalid API key");
    }

    @Test
    void createdOrgGetsAWorkingKeyShownOnce() {
        JsonObject org = api.createOrg();
        assertEquals(Set.of("org_id", "name", "api_key", "key_id"), org.keySet());
        String key = org.getString("api_key");
        assertTrue(key.matches("fl-[A-Za-z0-9_-]{32,}"), key);
        String client = Api.uniqueClient();
        Api.Reply minted = api.post("api/v1/generate_access_token", bearer(key),
                "{\"client_id\":\"" + client + "\",\"duration_secs\":60}");
        assertEquals(200, minted.status(), minted.body());
        Api.Reply listing = api.get("api/v1/admin/orgs/" + org.getString("org_id") + "/api_keys", bearer(ADMIN_KEY));
        assertEquals(200, listing.status(), listing.body());
        assertFalse(listing.body().contains(key), "the key text is never listed");
        JsonArray keys = listing.json().getJsonArray("api_keys");
        assertEquals(1, keys.size());
        JsonObject listed = keys.getJsonObject(0);
        assertEquals(Set.of("key_id", "prefix", "created_at", "last_used_at", "revoked_at"), listed.keySet());
        assertEquals(org.getString("key_id"), listed.getString("key_id"));
        assertTrue(key.startsWith(listed.getString("prefix")));
        assertEquals(JsonValue.ValueType.STRING, listed.get("last_used_at").getValueType(), "used just now");
        assertEquals(JsonValue.NULL, listed.get("revoked_at"));
    }

    @Test
    void rotationKeepsBothKeysUntilOneIsRevokedAndRevocationIsImmediate() {
        JsonObject org = api.createOrg();
        String orgId = org.getString("org_id");
        String first = org.getString("api_key");
        Api.Reply issued = api.post("api/v1/admin/orgs/" + orgId + "/api_keys", bearer(ADMIN_KEY), "");
        assertEquals(201, issued.status(), issued.body());
        String second = issued.json().getString("api_key");
        String client = Api.uniqueClient();
        assertEquals(200, mint(first, client).status());
        assertEquals(200, mint(second, client).status());

        Api.Reply revoked = api.send(api.request("api/v1/admin/api_keys/" + org.getString("key_id"),
                bearer(ADMIN_KEY)).DELETE());
        assertEquals(200, revoked.status(), revoked.body());
        mint(first, client).assertError(401, "Invalid API key");
        assertEquals(200, mint(second, client).status(), "the other key still works");
        assertEquals(200, api.send(api.request("api/v1/admin/api_keys/" + org.getString("key_id"),
                bearer(ADMIN_KEY)).DELETE()).status(), "revoking again succeeds");

        JsonArray keys = api.get("api/v1/admin/orgs/" + orgId + "/api_keys", bearer(ADMIN_KEY)).json()
                .getJsonArray("api_keys");
        assertEquals(2, keys.size());
        assertEquals(JsonValue.ValueType.STRING, keys.getJsonObject(0).get("revoked_at").getValueType());
        assertEquals(JsonValue.NULL, keys.getJsonObject(1).get("revoked_at"));
    }

    private Api.Reply mint(String key, String client) {
        return api.post("api/v1/generate_access_token", bearer(key),
                "{\"client_id\":\"" + client + "\",\"duration_secs\":60}");
    }

    @Test
    void badAdminRequestsAreJsonErrorsAndChangeNothing() {
        api.post("api/v1/admin/orgs", bearer(ADMIN_KEY), "{}").assertError(400, "name is required");
        api.post("api/v1/admin/orgs", bearer(ADMIN_KEY), "{\"name\":\"\"}")
                .assertError(400, "name must be 1 to 255 characters");
        api.post("api/v1/admin/orgs", bearer(ADMIN_KEY), "{\"name\":\"x\",\"api_key\":\"fl-mine\"}")
                .assertError(400, "Unknown field: api_key");
        JsonObject org = api.createOrg();
        api.post("api/v1/admin/orgs", bearer(ADMIN_KEY), "{\"name\":\"" + org.getString("name") + "\"}")
                .assertError(409, "An organization with this name already exists");
        api.post("api/v1/admin/orgs/no-such-org/api_keys", bearer(ADMIN_KEY), "")
                .assertError(404, "Organization not found");
        api.get("api/v1/admin/orgs/no-such-org/api_keys", bearer(ADMIN_KEY)).assertError(404, "Organization not found");
        api.send(api.request("api/v1/admin/api_keys/no-such-key", bearer(ADMIN_KEY)).DELETE())
                .assertError(404, "API key not found");
        assertEquals(1, api.get("api/v1/admin/orgs/" + org.getString("org_id") + "/api_keys", bearer(ADMIN_KEY))
                .json().getJsonArray("api_keys").size());
    }

    @Test
    void rotatingAConfiguredSecretIsRefused() {
        // the test server signs with LATCHKEY_JWT_SECRET; rotation of generated keys is proven by MicroJarIT
        api.post("api/v1/admin/signing_keys/rotate", bearer(ADMIN_KEY), "")
                .assertError(409, "The signing keys come from LATCHKEY_JWT_SECRET: rotate by putting a new secret "
                        + "first in that comma-separated list, keeping the old one after it");
    }

    /** The test server signs with HS256 (LATCHKEY_JWT_SECRET): such a key is never published, nobody else may hold it. */
    @Test
    void theKeySetNeverListsAnHmacKey() {
        String kid = ForgedTokens.kid(api.mintToken(Api.uniqueClient(), 60));
        Api.Reply set = api.get(".well-known/jwks.json", null);
        assertEquals(200, set.status(), set.body());
        assertTrue(set.headers().firstValue("Cache-Control").orElse("").matches("public, max-age=[1-9][0-9]*"),
                set.headers().toString());
        for (JsonValue key : set.json().getJsonArray("keys")) {
            assertNotEquals(kid, key.asJsonObject().getString("kid"));
            assertTrue(Set.of("ES256", "EdDSA").contains(key.asJsonObject().getString("alg")), set.body());
        }
        assertFalse(set.body().contains("\"k\""), "no symmetric key material");
        Api.Reply ring = api.get("api/v1/admin/signing_keys", bearer(ADMIN_KEY));
        assertEquals(200, ring.status(), ring.body());
        JsonObject current = ring.json().getJsonArray("keys").getValuesAs(JsonObject.class).stream()
                .filter(key -> key.getString("state").equals("current")).findFirst().orElseThrow();
        assertEquals(kid, current.getString("kid"));
        assertEquals("HS256", current.getString("alg"));
        for (JsonObject key : ring.json().getJsonArray("keys").getValuesAs(JsonObject.class)) {
            assertEquals(Set.of("kid", "alg", "state", "created_at"), key.keySet(), "never key material");
        }
        api.get("api/v1/admin/signing_keys", bearer(ORG_KEY)).assertError(401, "Invalid admin key");
        api.send(api.request(".well-known/jwks.json", null).DELETE()).assertError(405, "Method not allowed");
        api.send(api.request(".well-known/jwks.json", bearer(ADMIN_KEY)).PUT(java.net.http.HttpRequest.BodyPublishers
                .ofString("{}"))).assertError(405, "Method not allowed");
    }
}
