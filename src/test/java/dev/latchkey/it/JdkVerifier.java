package dev.latchkey.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Verifies a Latchkey JWT offline with nothing but the JDK's own crypto ({@code java.security}) and the published
 * JWK Set, the way {@code docs/verifying.md} tells a service to: the key by {@code kid}, the algorithm fixed by the
 * key (never taken from the token), the signature, {@code iss}, {@code exp}. No JOSE library: the test proves the
 * published set is enough.
 */
final class JdkVerifier {

    /** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): the raw 32-byte key follows it. */
    private static final byte[] ED25519_X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private JdkVerifier() {
    }

    /** The token's claims when it verifies; a {@link SignatureException} naming the reason otherwise. */
    static JsonObject verify(String token, JsonObject keySet, String issuer, long nowSeconds)
            throws GeneralSecurityException {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new SignatureException("not a compact JWS");
        }
        JsonObject header = json(parts[0]);
        JsonObject jwk = byKid(keySet, header.getString("kid", null));
        if (jwk == null) {
            throw new SignatureException("unknown kid");
        }
        String alg = jwk.getString("alg");
        if (!alg.equals(header.getString("alg", null))) {
            throw new SignatureException("alg is not the key's");
        }
        Signature signature = Signature.getInstance(alg.equals("ES256") ? "SHA256withECDSAinP1363Format" : "Ed25519");
        signature.initVerify(publicKey(jwk));
        signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        if (!signature.verify(Base64.getUrlDecoder().decode(parts[2]))) {
            throw new SignatureException("bad signature");
        }
        JsonObject claims = json(parts[1]);
        if (!issuer.equals(claims.getString("iss", null))) {
            throw new SignatureException("wrong issuer");
        }
        if (claims.getJsonNumber("exp").longValue() <= nowSeconds) {
            throw new SignatureException("expired");
        }
        return claims;
    }

    static JsonObject byKid(JsonObject keySet, String kid) {
        for (JsonValue key : keySet.getJsonArray("keys")) {
            if (key.asJsonObject().getString("kid").equals(kid)) {
                return key.asJsonObject();
            }
        }
        return null;
    }

    /** A P-256 key from {@code x} and {@code y}, or an Ed25519 key from {@code x}; anything else is refused. */
    static PublicKey publicKey(JsonObject jwk) throws GeneralSecurityException {
        Base64.Decoder b64 = Base64.getUrlDecoder();
        if (jwk.getString("kty").equals("EC") && jwk.getString("crv").equals("P-256")) {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            ECPoint point = new ECPoint(new BigInteger(1, b64.decode(jwk.getString("x"))),
                    new BigInteger(1, b64.decode(jwk.getString("y"))));
            return KeyFactory.getInstance("EC").generatePublic(
                    new ECPublicKeySpec(point, parameters.getParameterSpec(ECParameterSpec.class)));
        }
        if (jwk.getString("kty").equals("OKP") && jwk.getString("crv").equals("Ed25519")) {
            byte[] raw = b64.decode(jwk.getString("x"));
            byte[] der = new byte[ED25519_X509_PREFIX.length + raw.length];
            System.arraycopy(ED25519_X509_PREFIX, 0, der, 0, ED25519_X509_PREFIX.length);
            System.arraycopy(raw, 0, der, ED25519_X509_PREFIX.length, raw.length);
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        }
        throw new SignatureException("unsupported key type");
    }

    private static JsonObject json(String segment) {
        String text = new String(Base64.getUrlDecoder().decode(segment), StandardCharsets.UTF_8);
        return Json.createReader(new StringReader(text)).readObject();
    }
}
