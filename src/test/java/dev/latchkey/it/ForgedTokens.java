package dev.latchkey.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

/**
 * Tokens an attacker could only make with the service's own signing key: the test server's
 * LATCHKEY_JWT_SECRET, so that the database rows of the table (unknown token_id, other client_id,
 * database expiry) can be reached with validly signed tokens.
 */
public final class ForgedTokens {

    private static final byte[] SECRET = Base64.getUrlDecoder().decode(System.getenv("LATCHKEY_JWT_SECRET"));

    private ForgedTokens() {
    }

    /** Signs the claims as JSON under the given kid with the service's key. */
    public static String sign(String kid, String claimsJson) {
        return sign(kid, claimsJson, SECRET);
    }

    public static String sign(String kid, String claimsJson, byte[] secret) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claimsJson);
        jws.setAlgorithmHeaderValue("HS256");
        if (kid != null) {
            jws.setKeyIdHeaderValue(kid);
        }
        jws.setKey(new HmacKey(secret));
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Claims like the service's own, as JSON. exp and iat are epoch seconds. */
    public static String claims(String clientId, String tokenId, long exp) {
        return Json.createObjectBuilder()
                .add("iss", "latchkey")
                .add("client_id", clientId)
                .add("token_id", tokenId)
                .add("jti", tokenId)
                .add("iat", System.currentTimeMillis() / 1000)
                .add("exp", exp)
                .build().toString();
    }

    public static JsonObject header(String token) {
        return part(token, 0);
    }

    public static JsonObject payload(String token) {
        return part(token, 1);
    }

    public static String kid(String token) {
        return header(token).getString("kid");
    }

    private static JsonObject part(String token, int index) {
        String json = new String(Base64.getUrlDecoder().decode(token.split("\\.")[index]), StandardCharsets.UTF_8);
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }

    public static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }

}
