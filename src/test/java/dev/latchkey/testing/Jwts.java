package dev.latchkey.testing;

import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.util.Base64;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

/**
 * Forges JWTs for tests: any header, any payload text, signed with any key and any HMAC algorithm the
 * header names. Nothing here checks what it is given, so tests can build exactly the hostile token they need.
 */
public final class Jwts {

    private Jwts() {
    }

    /** Signs {@code payload} under {@code headerJson} (its {@code alg} picks the algorithm) with {@code key}. */
    public static String forge(String headerJson, String payload, Key key) {
        JsonWebSignature jws = new JsonWebSignature();
        try {
            jws.getHeaders().setFullHeaderAsJsonString(headerJson);
        } catch (JoseException e) {
            throw new IllegalArgumentException("header is not a JSON object: " + headerJson, e);
        }
        jws.setPayload(payload);
        jws.setKey(key);
        jws.setDoKeyValidation(false);
        jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("forging a token failed", e);
        }
    }

    /** An HS256 token with the given {@code kid} (omitted when null) over {@code payload}. */
    public static String hs256(String kid, String payload, Key key) {
        String header = kid == null
                ? "{\"alg\":\"HS256\",\"typ\":\"JWT\"}"
                : "{\"alg\":\"HS256\",\"kid\":" + jsonString(kid) + ",\"typ\":\"JWT\"}";
        return forge(header, payload, key);
    }

    /** {@code header.payload.} with an empty signature, as an {@code alg: none} token looks. */
    public static String unsigned(String headerJson, String payload) {
        return b64(headerJson) + "." + b64(payload) + ".";
    }

    /** Claims as Latchkey issues them, with the given values (exp and iat in epoch seconds). */
    public static String claims(String clientId, String tokenId, long iatSeconds, long expSeconds) {
        return "{\"iss\":\"latchkey\",\"client_id\":" + jsonString(clientId) + ",\"token_id\":" + jsonString(tokenId)
                + ",\"jti\":" + jsonString(tokenId) + ",\"iat\":" + iatSeconds + ",\"exp\":" + expSeconds + "}";
    }

    /** Unpadded base64url of the UTF-8 bytes of {@code text}. */
    public static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The decoded text of segment {@code index} (0 header, 1 payload) of a compact token. */
    public static String segment(String token, int index) {
        return new String(Base64.getUrlDecoder().decode(token.split("\\.", -1)[index]), StandardCharsets.UTF_8);
    }

    /** Replaces segment {@code index} of a compact token with {@code replacement} (already encoded). */
    public static String replaceSegment(String token, int index, String replacement) {
        String[] parts = token.split("\\.", -1);
        parts[index] = replacement;
        return String.join(".", parts);
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped. */
    public static String jsonString(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
