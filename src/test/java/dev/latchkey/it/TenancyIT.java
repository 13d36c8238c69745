package dev.latchkey.it;

import static dev.latchkey.it.Api.ORG_KEY;
import static dev.latchkey.it.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two organizations: each org endpoint tried with the other org's tokens and client ids. */
class TenancyIT extends BlackBoxTest {

    String otherKey;

    @BeforeEach
    void twoOrgs() {
        otherKey = api.createOrg().getString("api_key");
    }

    @Test
    void anotherOrgCannotRevokeIntrospectOrListMyTokens() {
        String client = Api.uniqueClient();
        String token = api.mintToken(client, 120);
        String body = Json.createObjectBuilder().add("access_token", token).build().toString();

        api.post("api/v1/revoke_token", bearer(otherKey), body).assertError(404, "Token not found");
        assertEquals(200, api.clientApi(token).status(), "still valid after the other org's attempt");

        Api.Reply introspected = api.post("api/v1/introspect", bearer(otherKey), body);
        assertEquals(200, introspected.status());
        assertEquals(Json.createObjectBuilder().add("active", false).build(), introspected.json());

        Api.Reply revokedAll = api.post("api/v1/revoke_client_tokens", bearer(otherKey),
                "{\"client_id\":\"" + client + "\"}");
        assertEquals(0, revokedAll.json().getInt("revoked_count"));
        assertEquals(200, api.clientApi(token).status());

        Api.Reply listed = api.get("api/v1/client_tokens?client_id=" + Api.encode(client), bearer(otherKey));
        assertEquals(0, listed.json().getJsonArray("tokens").size());
        assertEquals(1, api.tokenCount(client));
    }

    @Test
    void theSameClientIdInTwoOrgsNamesTwoClients() {
        String client = Api.uniqueClient();
        String mine = api.mintToken(client, 120);
        Api.Reply theirsMinted = api.post("api/v1/generate_access_token", bearer(otherKey),
                "{\"client_id\":\"" + client + "\",\"duration_secs\":120}");
        assertEquals(200, theirsMinted.status());
        String theirs = theirsMinted.json().getString("access_token");

        Api.Reply revoked = api.post("api/v1/revoke_client_tokens", bearer(ORG_KEY),
                "{\"client_id\":\"" + client + "\"}");
        assertEquals(1, revoked.json().getInt("revoked_count"), "only my org's client");
        api.clientApi(mine).assertError(401, "Token has been revoked");
        assertEquals(200, api.clientApi(theirs).status());

        JsonObject session = api.clientApi(theirs).json();
        assertEquals(client, session.getString("client_id"));
        assertEquals(1, api.get("api/v1/client_tokens?client_id=" + Api.encode(client), bearer(otherKey))
                .json().getJsonArray("tokens").size());
        Api.Reply introspectMine = api.post("api/v1/introspect", bearer(otherKey),
                Json.createObjectBuilder().add("access_token", theirs).build().toString());
        assertEquals(true, introspectMine.json().getBoolean("active"), "an org sees its own token");
    }

    @Test
    void anotherOrgCannotPushToMyClient() {
        String client = Api.uniqueClient();
        String token = api.mintToken(client, 120);
        try (LiveSocket socket = LiveSocket.open(base, token)) {
            assertEquals("session", socket.next().getString("type"));
            Api.Reply theirs = api.post("api/v1/client_messages", bearer(otherKey),
                    "{\"client_id\":\"" + client + "\",\"data\":\"not for you\"}");
            assertEquals(200, theirs.status(), theirs.body());
            assertEquals(0, theirs.json().getInt("delivered"));
            Api.Reply mine = api.post("api/v1/client_messages", bearer(ORG_KEY),
                    "{\"client_id\":\"" + client + "\",\"data\":\"hello\"}");
            assertEquals(1, mine.json().getInt("delivered"));
            JsonObject pushed = socket.next();
            assertEquals("message", pushed.getString("type"));
            assertEquals("hello", pushed.getString("data"), "only my org's message arrived");
        }
    }
}
