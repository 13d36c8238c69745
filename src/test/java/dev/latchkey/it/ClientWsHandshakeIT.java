package dev.latchkey.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.JsonObject;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The {@code /client_ws} handshake: every refusal is an HTTP answer before the upgrade, with the table's
 * status and exact JSON body; both credential paths and the Origin rule. The test server runs with
 * {@code LATCHKEY_ALLOWED_ORIGINS=http://app.example} (see the failsafe configuration).
 */
class ClientWsHandshakeIT extends BlackBoxTest {

    private static final String ALLOWED_ORIGIN = "http://app.example";

    private URI withClientKey(String rawValue) {
        return URI.create(LiveSocket.uri(base, null) + "?client_key=" + rawValue);
    }

    private static Map<String, String> authorization(String value) {
        return Map.of("Authorization", value);
    }

    @Test
    void clientKeyOpensTheSession() {
        String client = Api.uniqueClient();
        JsonObject minted = api.mint(client, 600, null);
        try (LiveSocket socket = LiveSocket.open(base, minted.getString("access_token"))) {
            JsonObject session = socket.next("session");
            assertEquals(client, session.getString("client_id"));
            assertEquals(minted.getString("token_id"), session.getString("token_id"));
        }
    }

    @Test
    void authorizationHeaderOpensTheSession() {
        String client = Api.uniqueClient();
        JsonObject minted = api.mint(client, 600, null);
        try (LiveSocket socket = LiveSocket.open(LiveSocket.uri(base, null),
                authorization("Bearer " + minted.getString("access_token")))) {
            JsonObject session = socket.next("session");
            assertEquals(minted.getString("token_id"), session.getString("token_id"));
        }
    }

    @Test
    void missingCredential() {
        LiveSocket.refused(LiveSocket.uri(base, null), Map.of())
                .assertError(401, "Authorization header is missing");
        LiveSocket.refused(withClientKey(""), Map.of())
                .assertError(401, "Authorization header is missing");
    }

    @Test
    void notBearer() {
        String token = api.mintToken(Api.uniqueClient(), 60);
        for (String credential : new String[] {"Basic dXNlcjpwYXNz", "Token " + token, "Bearer", token, "Bearer  " + token}) {
            // no Authorization header was sent, so the refusal names the parameter and shows its format (issue 34)
            LiveSocket.refused(withClientKey(LiveSocket.clientKey(credential)), Map.of())
                    .assertError(401, "client_key must start with Bearer: client_key=Bearer%20<JWT>");
        }
        LiveSocket.refused(LiveSocket.uri(base, null), authorization("Basic dXNlcjpwYXNz"))
                .assertError(401, "Authorization header must start with Bearer");
    }

    @Test
    void badFormat() {
        String token = api.mintToken(Api.uniqueClient(), 60);
        for (String bad : new String[] {"garbage", token + "=", token.substring(0, token.lastIndexOf('.')), Api.ORG_KEY}) {
            LiveSocket.refused(LiveSocket.uri(base, bad), Map.of()).assertError(401, "Invalid token format");
        }
        LiveSocket.refused(LiveSocket.uri(base, null), authorization("Bearer garbage"))
                .assertError(401, "Invalid token format");
    }

    @Test
    void revoked() {
        String token = api.mintToken(Api.uniqueClient(), 60);
        assertEquals(200, api.revoke(token).status());
        LiveSocket.refused(LiveSocket.uri(base, token), Map.of()).assertError(401, "Token has been revoked");
        LiveSocket.refused(LiveSocket.uri(base, null), authorization("Bearer " + token))
                .assertError(401, "Token has been revoked");
    }

    @Test
    void expired() {
        String token = api.mintToken(Api.uniqueClient(), 60);
        JsonObject payload = ForgedTokens.payload(token);
        String expired = ForgedTokens.sign(ForgedTokens.kid(token), ForgedTokens.claims(
                payload.getString("client_id"), payload.getString("token_id"), ForgedTokens.nowSeconds() - 5));
        LiveSocket.refused(LiveSocket.uri(base, expired), Map.of()).assertError(401, "Token has expired");
    }

    @Test
    void unknownToken() {
        String token = api.mintToken(Api.uniqueClient(), 60);
        String unknown = ForgedTokens.sign(ForgedTokens.kid(token), ForgedTokens.claims(
                ForgedTokens.payload(token).getString("client_id"), UUID.randomUUID().toString(),
                ForgedTokens.nowSeconds() + 600));
        LiveSocket.refused(LiveSocket.uri(base, unknown), Map.of())
                .assertError(401, "Invalid token, token not found in database");
    }

    @Test
    void clientMismatch() {
        String token = api.mintToken(Api.uniqueClient(), 60);
        String forged = ForgedTokens.sign(ForgedTokens.kid(token), ForgedTokens.claims(
                "someone-else", ForgedTokens.payload(token).getString("token_id"), ForgedTokens.nowSeconds() + 600));
        LiveSocket.refused(LiveSocket.uri(base, forged), Map.of())
                .assertError(401, "Invalid token, client_id mismatch");
    }

    @Test
    void aClientKeyAndADifferentHeaderAreTwoCredentials() {
        String token = api.mintToken(Api.uniqueClient(), 60);
        LiveSocket.refused(LiveSocket.uri(base, "garbage"), authorization("Bearer " + token))
                .assertError(400, "More than one credential: send exactly one");
    }

    @Test
    void disallowedOriginIsRefused() {
        String token = api.mintToken(Api.uniqueClient(), 60);
        LiveSocket.refused(LiveSocket.uri(base, token), Map.of("Origin", "http://evil.example"))
                .assertError(403, "Origin not allowed");
        LiveSocket.refused(LiveSocket.uri(base, token), Map.of("Origin", "null"))
                .assertError(403, "Origin not allowed");
        // the origin is checked first: a page from another origin learns nothing about a token
        LiveSocket.refused(LiveSocket.uri(base, "garbage"), Map.of("Origin", "http://evil.example"))
                .assertError(403, "Origin not allowed");
    }

    @Test
    void allowedOriginAndNoOriginAreAccepted() {
        String token = api.mintToken(Api.uniqueClient(), 600);
        try (LiveSocket fromPage = LiveSocket.open(LiveSocket.uri(base, token), Map.of("Origin", ALLOWED_ORIGIN));
             LiveSocket noOrigin = LiveSocket.open(LiveSocket.uri(base, token), Map.of())) {
            fromPage.next("session");
            noOrigin.next("session");
        }
    }

    @Test
    void plainRequestsToThePathAreGuardedToo() {
        api.get(LiveSocket.PATH, null).assertError(401, "Authorization header is missing");
        String token = api.mintToken(Api.uniqueClient(), 60);
        api.get(LiveSocket.PATH, Api.bearer(token))
                .assertError(426, "Not a WebSocket handshake: send GET with Upgrade: websocket and Connection: Upgrade");
    }
}
