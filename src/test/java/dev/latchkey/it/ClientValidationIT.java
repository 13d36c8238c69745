package dev.latchkey.it;

import static dev.latchkey.it.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Every row of the validation table ({@code TokenFailure}) over real HTTP, with its exact status, text and header. */
class ClientValidationIT extends BlackBoxTest {

    private static final String CLIENT_API = "api/v1/client_api";

    @Test
    void validTokenReturnsTheSession() {
        String client = Api.uniqueClient();
        JsonObject minted = api.mint(client, 600, "{\"secret\":\"org-only\"}");
        Api.Reply reply = api.clientApi(minted.getString("access_token"));
        assertEquals(200, reply.status(), reply.body());
        JsonObject session = reply.json();
        assertEquals(Set.of("client_id", "token_id", "issued_at", "expires_at", "expires_in"), session.keySet());
        assertEquals("application/json", reply.headers().firstValue("Content-Type").orElse(null));
        assertEquals(client, session.getString("client_id"));
        assertEquals(minted.getString("token_id"), session.getString("token_id"));
        assertEquals(minted.getString("expires_at"), session.getString("expires_at"));
        int expiresIn = session.getInt("expires_in");
        assertEquals(true, expiresIn > 590 && expiresIn <= 600, "expires_in " + expiresIn);
        assertEquals(false, reply.body().contains("org-only"), "metadata is never shown to the client");
        assertEquals("no-store", reply.headers().firstValue("Cache-Control").orElse(null));
    }

    @Test
    void theSessionShowsAnyClientIdExactly() {
        for (String client : List.of("quote\"back\\slash " + UUID.randomUUID(), "ünïcødé 日本語 \uD83D\uDD11 " + UUID.randomUUID(),
                "</script>{\"x\":1}\u2028" + UUID.randomUUID())) {
            Api.Reply reply = api.clientApi(api.mintToken(client, 60));
            assertEquals(200, reply.status(), reply.body());
            assertEquals(client, reply.json().getString("client_id"));
        }
    }

    @Test
    void concurrentClientsEachSeeTheirOwnSessionAndRejectedOnesNone() throws Exception {
        List<String> clients = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            clients.add(Api.uniqueClient());
            tokens.add(api.mintToken(clients.get(i), 600));
        }
        ExecutorService pool = Executors.newFixedThreadPool(9);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                runs.add(pool.submit(() -> {
                    for (int round = 0; round < 60; round++) {
                        Api.Reply reply = api.clientApi(tokens.get(n));
                        assertEquals(200, reply.status(), reply.body());
                        assertEquals(clients.get(n), reply.json().getString("client_id"));
                    }
                    return null;
                }));
            }
            runs.add(pool.submit(() -> {
                for (int round = 0; round < 60; round++) {
                    api.get(CLIENT_API, "Bearer " + tokens.get(0) + "x").assertError(401, "Invalid token format");
                }
                return null;
            }));
            for (Future<?> run : runs) {
                run.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void schemeIsCaseInsensitive() {
        String token = api.mintToken(Api.uniqueClient(), 60);
        assertEquals(200, api.get(CLIENT_API, "bearer " + token).status());
        assertEquals(200, api.get(CLIENT_API, "BEARER " + token).status());
        assertEquals(200, api.get(CLIENT_API, "BeArEr " + token).status());
    }

    @Test
    void row1MissingHeader() {
        api.get(CLIENT_API, null).assertError(401, "Authorization header is missing");
        api.get(CLIENT_API, "").assertError(401, "Authorization header is missing");
    }

    @Test
    void row2NotBearer() {
        String token = api.mintToken(Api.uniqueClient(), 60);
        for (String header : new String[] {"Basic dXNlcjpwYXNz", "Token " + token, "Bearer", token, "Bearer  " + token}) {
            api.get(CLIENT_API, header).assertError(401, "Authorization header must start with Bearer");
        }
    }

    @Test
    void row3InvalidFormat() {
        String token = api.mintToken(Api.uniqueClient(), 60);
        String[] parts = token.split("\\.");
        byte[] otherKey = UUID.randomUUID().toString().repeat(2).getBytes();
        String[] bad = {
            "garbage",
            token + "=",
            token + "==",
            parts[0] + "." + parts[1],
            token + "." + parts[2],
            parts[0] + "." + parts[1] + ".",
            parts[0] + ".eyJjbGllbnRfaWQiOiJtYWxsb3J5In0." + parts[2],
            ForgedTokens.sign(ForgedTokens.kid(token), ForgedTokens.payload(token).toString(), otherKey),
            ForgedTokens.sign("no-such-kid", ForgedTokens.payload(token).toString()),
            Api.ORG_KEY,
            "x".repeat(5000),
        };
        for (String candidate : bad) {
            api.get(CLIENT_API, bearer(candidate)).assertError(401, "Invalid token format");
        }
    }

    @Test
    void row4MissingRequiredFields() {
        String kid = ForgedTokens.kid(api.mintToken(Api.uniqueClient(), 60));
        long exp = ForgedTokens.nowSeconds() + 600;
        String[] claims = {
            "{\"iss\":\"latchkey\",\"token_id\":\"t\",\"iat\":1,\"exp\":" + exp + "}",
            "{\"iss\":\"latchkey\",\"client_id\":\"c\",\"iat\":1,\"exp\":" + exp + "}",
            "{\"iss\":\"latchkey\",\"client_id\":\"\",\"token_id\":\"t\",\"iat\":1,\"exp\":" + exp + "}",
            "{\"iss\":\"latchkey\",\"client_id\":\"c\",\"token_id\":\"t\",\"iat\":1}",
            "{\"iss\":\"latchkey\",\"client_id\":\"c\",\"token_id\":\"t\",\"iat\":1,\"exp\":\"" + exp + "\"}",
        };
        for (String claim : claims) {
            api.get(CLIENT_API, bearer(ForgedTokens.sign(kid, claim))).assertError(401,
                    "Invalid token format: missing required fields");
        }
    }

    @Test
    void row5JwtExpired() {
        String token = api.mintToken(Api.uniqueClient(), 60);
        JsonObject payload = ForgedTokens.payload(token);
        String expired = ForgedTokens.sign(ForgedTokens.kid(token), ForgedTokens.claims(
                payload.getString("client_id"), payload.getString("token_id"), ForgedTokens.nowSeconds() - 5));
        api.get(CLIENT_API, bearer(expired)).assertError(401, "Token has expired");
    }

    @Test
    void row5ShortTokenExpiresForReal() throws InterruptedException {
        String token = api.mintToken(Api.uniqueClient(), 1);
        assertEquals(200, api.clientApi(token).status());
        Thread.sleep(2100);
        api.clientApi(token).assertError(401, "Token has expired");
    }

    @Test
    void row6UnknownTokenId() {
        String token = api.mintToken(Api.uniqueClient(), 60);
        String forged = ForgedTokens.sign(ForgedTokens.kid(token), ForgedTokens.claims(
                ForgedTokens.payload(token).getString("client_id"), UUID.randomUUID().toString(),
                ForgedTokens.nowSeconds() + 600));
        api.get(CLIENT_API, bearer(forged)).assertError(401, "Invalid token, token not found in database");
    }

    @Test
    void row7Revoked() {
        String token = api.mintToken(Api.uniqueClient(), 60);
        assertEquals(200, api.revoke(token).status());
        api.clientApi(token).assertError(401, "Token has been revoked");
    }

    @Test
    void row8DatabaseExpiryWinsOverALaterJwtExp() throws InterruptedException {
        String token = api.mintToken(Api.uniqueClient(), 1);
        JsonObject payload = ForgedTokens.payload(token);
        String longer = ForgedTokens.sign(ForgedTokens.kid(token), ForgedTokens.claims(
                payload.getString("client_id"), payload.getString("token_id"), ForgedTokens.nowSeconds() + 600));
        assertEquals(200, api.clientApi(longer).status(), "the forged token is otherwise valid");
        Thread.sleep(1500);
        api.clientApi(longer).assertError(401, "Token has expired");
    }

    @Test
    void row9ClientMismatch() {
        String token = api.mintToken(Api.uniqueClient(), 60);
        String forged = ForgedTokens.sign(ForgedTokens.kid(token), ForgedTokens.claims(
                "someone-else", ForgedTokens.payload(token).getString("token_id"), ForgedTokens.nowSeconds() + 600));
        api.get(CLIENT_API, bearer(forged)).assertError(401, "Invalid token, client_id mismatch");
    }

    @Test
    void checksRunInTheTableOrder() {
        String token = api.mintToken(Api.uniqueClient(), 60);
        String kid = ForgedTokens.kid(token);
        // revoked (REVOKED) and another client (CLIENT_MISMATCH): the revocation decides
        String tokenId = ForgedTokens.payload(token).getString("token_id");
        api.revoke(token);
        String otherClient = ForgedTokens.sign(kid, ForgedTokens.claims("other", tokenId, ForgedTokens.nowSeconds() + 600));
        api.get(CLIENT_API, bearer(otherClient)).assertError(401, "Token has been revoked");
        // JWT expired (JWT_EXPIRED) and unknown (NOT_IN_DATABASE): the expiry decides, before the database is asked
        String expiredUnknown = ForgedTokens.sign(kid, ForgedTokens.claims("c", UUID.randomUUID().toString(),
                ForgedTokens.nowSeconds() - 5));
        api.get(CLIENT_API, bearer(expiredUnknown)).assertError(401, "Token has expired");
    }

    @Test
    void everyPathUnderClientApiIsGuarded() {
        api.get(CLIENT_API + "/anything/below", null).assertError(401, "Authorization header is missing");
        api.get(CLIENT_API + "/", null).assertError(401, "Authorization header is missing");
        String token = api.mintToken(Api.uniqueClient(), 60);
        api.get(CLIENT_API + "/anything/below", bearer(token)).assertError(404, "Not found");
    }

    @Test
    void everySpellingOfTheClientApiPathIsGuarded() {
        for (String path : List.of("api/v1//client_api", "api/v1/client_api;v=1", "api/v1/client_api;v=1/below",
                "api/v1/%63lient_api", "api/v1/client%5Fapi/below", "api/v1/;v=1/client_api")) {
            api.get(path, null).assertError(401, "Authorization header is missing");
        }
        api.get("api/v1/client_apix", null).assertError(404, "Not found");
    }

    @Test
    void orgKeyIsNotAClientCredentialAndJwtIsNotAnOrgKey() {
        api.get(CLIENT_API, bearer(Api.ORG_KEY)).assertError(401, "Invalid token format");
        String token = api.mintToken(Api.uniqueClient(), 60);
        api.get("api/v1/client_tokens?client_id=x", bearer(token)).assertError(401, "Invalid API key");
    }
}
