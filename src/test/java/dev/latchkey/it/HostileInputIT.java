package dev.latchkey.it;

import static dev.latchkey.it.Api.ORG_KEY;
import static dev.latchkey.it.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The threat list of SECURITY.md, case by case: each hostile request gets its exact status and JSON detail,
 * echoes nothing of what it presented, and afterwards nothing was created or revoked and the service still
 * serves the honest client.
 */
class HostileInputIT extends BlackBoxTest {

    private static final String CLIENT_API = "api/v1/client_api";
    private static final String MINT = "api/v1/generate_access_token";
    private static final String FORMAT = "Invalid token format";
    private static final String FIELDS = "Invalid token format: missing required fields";
    private static final String NOT_BEARER = "Authorization header must start with Bearer";
    private static final String DURATION = "duration_secs must be an integer between 1 and 86400";
    private static final byte[] SECRET = Base64.getUrlDecoder().decode(System.getenv("LATCHKEY_JWT_SECRET"));

    private record Case(String name, Supplier<Api.Reply> request, int status, String detail, String secret) {
    }

    @Test
    void everyHostileInputIsRefusedExactlyAndChangesNothing() {
        String victim = Api.uniqueClient();
        String honest = api.mintToken(victim, 600);
        String kid = ForgedTokens.kid(honest);
        JsonObject payload = ForgedTokens.payload(honest);
        String tokenId = payload.getString("token_id");
        String[] parts = honest.split("\\.");
        long soon = ForgedTokens.nowSeconds() + 600;
        String goodClaims = ForgedTokens.claims(victim, tokenId, soon);

        List<Case> cases = new ArrayList<>();
        // ---- the Authorization header of a client endpoint ----
        cases.add(client("no header", api, null, 401, "Authorization header is missing"));
        cases.add(client("Basic scheme", api, "Basic " + honest, 401, NOT_BEARER));
        cases.add(client("Token scheme", api, "Token " + honest, 401, NOT_BEARER));
        cases.add(client("bare Bearer", api, "Bearer", 401, NOT_BEARER));
        cases.add(client("tab after Bearer", api, "Bearer\t" + honest, 401, NOT_BEARER));
        cases.add(client("two spaces", api, "Bearer  " + honest, 401, NOT_BEARER));
        cases.add(client("token without scheme", api, honest, 401, NOT_BEARER));
        cases.add(client("org key as client token", api, bearer(ORG_KEY), 401, FORMAT));
        // ---- JWT structure ----
        cases.add(client("alg none", api, bearer(jws("{\"alg\":\"none\",\"kid\":\"" + kid + "\"}", goodClaims, null)), 401, FORMAT));
        cases.add(client("alg None", api, bearer(jws("{\"alg\":\"None\",\"kid\":\"" + kid + "\"}", goodClaims, "HmacSHA256")), 401, FORMAT));
        cases.add(client("alg NONE", api, bearer(jws("{\"alg\":\"NONE\",\"kid\":\"" + kid + "\"}", goodClaims, "HmacSHA256")), 401, FORMAT));
        cases.add(client("empty signature", api, bearer(parts[0] + "." + parts[1] + "."), 401, FORMAT));
        cases.add(client("payload altered under the signature", api,
                bearer(parts[0] + "." + b64(ForgedTokens.claims("mallory", tokenId, soon)) + "." + parts[2]), 401, FORMAT));
        cases.add(client("re-signed with another key", api,
                bearer(ForgedTokens.sign(kid, goodClaims, UUID.randomUUID().toString().repeat(2).getBytes())), 401, FORMAT));
        cases.add(client("HS384 with our key", api, bearer(jws("{\"alg\":\"HS384\",\"kid\":\"" + kid + "\"}", goodClaims, "HmacSHA384")), 401, FORMAT));
        cases.add(client("HS512 with our key", api, bearer(jws("{\"alg\":\"HS512\",\"kid\":\"" + kid + "\"}", goodClaims, "HmacSHA512")), 401, FORMAT));
        cases.add(client("RS256 header", api, bearer(jws("{\"alg\":\"RS256\",\"kid\":\"" + kid + "\"}", goodClaims, "HmacSHA256")), 401, FORMAT));
        cases.add(client("ES256 header", api, bearer(jws("{\"alg\":\"ES256\",\"kid\":\"" + kid + "\"}", goodClaims, "HmacSHA256")), 401, FORMAT));
        cases.add(client("kid path traversal", api, bearer(jws("{\"alg\":\"HS256\",\"kid\":\"../../etc/passwd\"}", goodClaims, "HmacSHA256")), 401, FORMAT));
        cases.add(client("kid SQL", api, bearer(jws("{\"alg\":\"HS256\",\"kid\":\"' OR '1'='1\"}", goodClaims, "HmacSHA256")), 401, FORMAT));
        cases.add(client("kid of 10 KB", api, bearer(jws("{\"alg\":\"HS256\",\"kid\":\"" + "k".repeat(10_000) + "\"}", goodClaims, "HmacSHA256")), 401, FORMAT));
        cases.add(client("no kid", api, bearer(jws("{\"alg\":\"HS256\"}", goodClaims, "HmacSHA256")), 401, FORMAT));
        cases.add(client("jku header and unknown kid", api, bearer(jws("{\"alg\":\"HS256\",\"kid\":\"x\",\"jku\":\"http://127.0.0.1:1/keys\"}", goodClaims, "HmacSHA256")), 401, FORMAT));
        cases.add(client("unknown crit header", api, bearer(jws("{\"alg\":\"HS256\",\"kid\":\"" + kid + "\",\"crit\":[\"exp2\"],\"exp2\":1}", goodClaims, "HmacSHA256")), 401, FORMAT));
        cases.add(client("two segments", api, bearer(parts[0] + "." + parts[1]), 401, FORMAT));
        cases.add(client("four segments", api, bearer(honest + "." + parts[2]), 401, FORMAT));
        cases.add(client("five segments like a JWE", api, bearer(honest + ".AAAA.BBBB"), 401, FORMAT));
        cases.add(client("JSON serialization", api, bearer("{\"payload\":\"" + parts[1] + "\",\"signature\":\"" + parts[2] + "\"}"), 401, FORMAT));
        cases.add(client("payload a JSON array", api, bearer(jws("{\"alg\":\"HS256\",\"kid\":\"" + kid + "\"}", "[1,2]", "HmacSHA256")), 401, FORMAT));
        cases.add(client("payload not JSON", api, bearer(jws("{\"alg\":\"HS256\",\"kid\":\"" + kid + "\"}", "hello", "HmacSHA256")), 401, FORMAT));
        cases.add(client("padded signature", api, bearer(honest + "="), 401, FORMAT));
        cases.add(client("junk after signature", api, bearer(honest + "!!"), 401, FORMAT));
        cases.add(client("token over 4 KiB", api, bearer(honest + "A".repeat(4096)), 401, FORMAT));
        // ---- claims ----
        cases.add(client("no client_id", api, bearer(signed("{\"iss\":\"latchkey\",\"token_id\":\"" + tokenId + "\",\"iat\":1,\"exp\":" + soon + "}", kid)), 401, FIELDS));
        cases.add(client("empty client_id", api, bearer(signed("{\"iss\":\"latchkey\",\"client_id\":\"\",\"token_id\":\"" + tokenId + "\",\"iat\":1,\"exp\":" + soon + "}", kid)), 401, FIELDS));
        cases.add(client("no token_id", api, bearer(signed("{\"iss\":\"latchkey\",\"client_id\":\"" + victim + "\",\"iat\":1,\"exp\":" + soon + "}", kid)), 401, FIELDS));
        cases.add(client("empty token_id", api, bearer(signed("{\"iss\":\"latchkey\",\"client_id\":\"" + victim + "\",\"token_id\":\"\",\"iat\":1,\"exp\":" + soon + "}", kid)), 401, FIELDS));
        cases.add(client("no exp", api, bearer(signed("{\"iss\":\"latchkey\",\"client_id\":\"" + victim + "\",\"token_id\":\"" + tokenId + "\",\"iat\":1}", kid)), 401, FIELDS));
        cases.add(client("exp a string", api, bearer(signed("{\"iss\":\"latchkey\",\"client_id\":\"" + victim + "\",\"token_id\":\"" + tokenId + "\",\"iat\":1,\"exp\":\"" + soon + "\"}", kid)), 401, FIELDS));
        cases.add(client("exp negative", api, bearer(signed(ForgedTokens.claims(victim, tokenId, -1), kid)), 401, "Token has expired"));
        cases.add(client("exp in the past", api, bearer(signed(ForgedTokens.claims(victim, tokenId, soon - 1200), kid)), 401, "Token has expired"));
        cases.add(client("exp absurdly large, unknown token_id", api, bearer(signed("{\"iss\":\"latchkey\",\"client_id\":\"" + victim + "\",\"token_id\":\"nope\",\"iat\":1,\"exp\":1e300}", kid)), 401, "Invalid token, token not found in database"));
        cases.add(client("exp absurdly large, real token_id", api, bearer(signed("{\"iss\":\"latchkey\",\"client_id\":\"" + victim + "\",\"token_id\":\"" + tokenId + "\",\"iat\":1,\"exp\":1e300}", kid)), 200, null));
        cases.add(client("another client's id on a real token_id", api, bearer(signed(ForgedTokens.claims("mallory", tokenId, soon), kid)), 401, "Invalid token, client_id mismatch"));
        // ---- org request bodies (each would mint for the victim) ----
        String c = "\"client_id\":\"" + victim + "\"";
        cases.add(mint("body not JSON", api, "client_id=" + victim, 400, "Request body is not valid JSON"));
        cases.add(mint("empty body", api, "", 400, "Request body is missing: send a JSON object"));
        cases.add(mint("body null", api, "null", 400, "Request body must be a JSON object"));
        cases.add(mint("body an array", api, "[{" + c + ",\"duration_secs\":60}]", 400, "Request body must be a JSON object"));
        cases.add(mint("duration 1.5", api, "{" + c + ",\"duration_secs\":1.5}", 400, DURATION));
        cases.add(mint("duration \"60\"", api, "{" + c + ",\"duration_secs\":\"60\"}", 400, DURATION));
        cases.add(mint("duration true", api, "{" + c + ",\"duration_secs\":true}", 400, DURATION));
        cases.add(mint("duration null", api, "{" + c + ",\"duration_secs\":null}", 400, "duration_secs is required"));
        cases.add(mint("duration 1e309", api, "{" + c + ",\"duration_secs\":1e309}", 400, DURATION));
        cases.add(mint("duration 0", api, "{" + c + ",\"duration_secs\":0}", 400, DURATION));
        cases.add(mint("duration negative", api, "{" + c + ",\"duration_secs\":-60}", 400, DURATION));
        cases.add(mint("duration above the maximum", api, "{" + c + ",\"duration_secs\":86401}", 400, DURATION));
        cases.add(mint("metadata an array", api, "{" + c + ",\"duration_secs\":60,\"metadata\":[]}", 400, "metadata must be a JSON object"));
        cases.add(mint("metadata too big", api, "{" + c + ",\"duration_secs\":60,\"metadata\":{\"a\":\"" + "x".repeat(17_000) + "\"}}", 400,
                "metadata must be at most 16 KiB (16384 bytes) as serialized JSON"));
        cases.add(mint("metadata nested 10,000 deep", api, "{" + c + ",\"duration_secs\":60,\"metadata\":" + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000) + "}", 400,
                "Request body is nested too deeply: at most 64 levels of objects and arrays"));
        cases.add(mint("extra field token_id", api, "{" + c + ",\"duration_secs\":60,\"token_id\":\"" + tokenId + "\"}", 400, "Unknown field: token_id"));
        cases.add(mint("extra field exp", api, "{" + c + ",\"duration_secs\":60,\"exp\":9999999999}", 400, "Unknown field: exp"));
        cases.add(mint("client_id with a newline", api, "{\"client_id\":\"" + victim + "\\n\",\"duration_secs\":60}", 400, "client_id must not contain control characters"));
        cases.add(mint("multi-megabyte body", api, "{" + c + ",\"duration_secs\":60,\"metadata\":{\"a\":\"" + "x".repeat(3_000_000) + "\"}}", 413,
                "Request body too large: at most 65536 bytes"));
        cases.add(new Case("client JWT as org key", () -> api.post(MINT, bearer(honest), "{" + c + ",\"duration_secs\":60}"), 401, "Invalid API key", honest));
        cases.add(new Case("revoke with an altered token", () -> api.post("api/v1/revoke_token", bearer(ORG_KEY),
                "{\"access_token\":\"" + parts[0] + "." + b64(ForgedTokens.claims(victim, tokenId, soon)) + "." + parts[2] + "\"}"),
                400, FORMAT, parts[2]));
        cases.add(new Case("revoke with alg none", () -> api.post("api/v1/revoke_token", bearer(ORG_KEY),
                "{\"access_token\":\"" + jws("{\"alg\":\"none\",\"kid\":\"" + kid + "\"}", goodClaims, null) + "\"}"), 400, FORMAT, null));
        cases.add(new Case("revoke_client_tokens with a control character", () -> api.post("api/v1/revoke_client_tokens",
                bearer(ORG_KEY), "{\"client_id\":\"" + victim + "\\u0007\"}"), 400, "client_id must not contain control characters", null));

        List<String> failures = new ArrayList<>();
        for (Case hostile : cases) {
            try {
                Api.Reply reply = hostile.request().get();
                if (hostile.detail() == null) {
                    assertEquals(hostile.status(), reply.status(), reply.body());
                } else {
                    reply.assertError(hostile.status(), hostile.detail());
                }
                if (hostile.secret() != null && hostile.secret().length() > 8) {
                    assertTrue(!reply.body().contains(hostile.secret()), "the response echoes what was presented");
                }
            } catch (AssertionError | RuntimeException e) {
                failures.add(hostile.name() + ": " + e.getMessage());
            }
        }
        assertEquals(List.of(), failures, "cases that were not refused as expected");
        assertTrue(cases.size() >= 50, "the suite has " + cases.size() + " cases");

        // nothing was created or revoked, and the honest client is still served
        assertEquals(1, api.tokenCount(victim), "no hostile request minted a token");
        assertEquals(200, api.clientApi(honest).status(), "no hostile request revoked the token");
        assertTrue(api.post("api/v1/introspect", bearer(ORG_KEY), Json.createObjectBuilder()
                .add("access_token", honest).build().toString()).json().getBoolean("active"));
        assertEquals(200, api.clientApi(api.mintToken(Api.uniqueClient(), 60)).status(), "the service is healthy");
    }

    /**
     * What the HTTP layer refuses before the application sees it: NUL, control characters and raw non-ASCII
     * bytes in a header, and headers over 16 KiB. The answer is a bare 400: no HTML, no echo.
     */
    @Test
    void malformedHeadersAreRefusedByTheHttpLayer() throws Exception {
        String honest = api.mintToken(Api.uniqueClient(), 600);
        byte[][] headers = {
            ("Bearer " + honest.substring(0, 20) + "\u0000" + honest.substring(20)).getBytes(StandardCharsets.ISO_8859_1),
            ("Bearer \u0001\u0002" + honest).getBytes(StandardCharsets.ISO_8859_1),
            ("Bearer \u00e9\u6f22" + honest).getBytes(StandardCharsets.UTF_8),
            ("Bearer " + honest + "x".repeat(100_000)).getBytes(StandardCharsets.US_ASCII),
        };
        for (byte[] header : headers) {
            String answer = raw(base, header);
            assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
            assertTrue(!answer.contains(honest) && !answer.toLowerCase().contains("<html"), answer);
        }
        assertEquals(200, api.clientApi(honest).status(), "the service is healthy");
    }

    private static String raw(URL base, byte[] authorization) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("GET /api/v1/client_api HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nAuthorization: ")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(authorization);
            out.write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static Case client(String name, Api api, String authorization, int status, String detail) {
        return new Case(name, () -> api.get(CLIENT_API, authorization), status, detail, authorization);
    }

    private static Case mint(String name, Api api, String body, int status, String detail) {
        return new Case(name, () -> api.post(MINT, bearer(ORG_KEY), body), status, detail, null);
    }

    private static String signed(String claims, String kid) {
        return ForgedTokens.sign(kid, claims);
    }

    /** A compact JWS with any header, signed with the service's key by the named MAC (or unsigned). */
    private static String jws(String header, String payload, String mac) {
        String input = b64(header) + "." + b64(payload);
        if (mac == null) {
            return input + ".";
        }
        try {
            Mac hmac = Mac.getInstance(mac);
            hmac.init(new SecretKeySpec(SECRET, mac));
            return input + "." + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(hmac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
