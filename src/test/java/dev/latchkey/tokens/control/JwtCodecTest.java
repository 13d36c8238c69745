package dev.latchkey.tokens.control;

import static dev.latchkey.testing.Jwts.b64;
import static dev.latchkey.testing.Jwts.claims;
import static dev.latchkey.testing.Jwts.forge;
import static dev.latchkey.testing.Jwts.hs256;
import static dev.latchkey.testing.Jwts.replaceSegment;
import static dev.latchkey.testing.Jwts.segment;
import static dev.latchkey.testing.Jwts.unsigned;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latchkey.tokens.control.JwtCodec.Decoded;
import dev.latchkey.tokens.control.JwtCodec.Outcome;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.security.Key;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link TokenFailure#INVALID_FORMAT} and {@link TokenFailure#MISSING_FIELDS} as the codec decides them, and the tokens it writes. */
class JwtCodecTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long NOW_MILLIS = 1_900_000_000_000L;
    private static final long NOW_SECONDS = NOW_MILLIS / 1000;
    private static final String KID = "k1";

    private Key key;
    private JwtCodec cut;

    private static Key randomKey() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return KeyRing.hmac(secret);
    }

    @BeforeEach
    void setUp() {
        key = randomKey();
        KeyRing ring = new KeyRing(KID, Map.of(KID, key));
        cut = new JwtCodec(() -> ring);
    }

    private String validClaims() {
        return claims("client-1", "tok-1", NOW_SECONDS, NOW_SECONDS + 60);
    }

    private String validToken() {
        return cut.sign("org-1", "client-1", "tok-1", NOW_MILLIS, NOW_MILLIS + 60_000);
    }

    private void assertBadFormat(String token) {
        Decoded decoded = cut.decode(token);
        assertAll(
                () -> assertEquals(Outcome.BAD_FORMAT, decoded.outcome()),
                () -> assertNull(decoded.clientId()),
                () -> assertNull(decoded.tokenId()));
    }

    private void assertMissingFields(String payload) {
        Decoded decoded = cut.decode(hs256(KID, payload, key));
        assertAll(
                () -> assertEquals(Outcome.MISSING_FIELDS, decoded.outcome()),
                () -> assertNull(decoded.clientId()),
                () -> assertNull(decoded.tokenId()));
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    /** The signature segment with its last character changed so that a lenient decoder reads the same bytes. */
    private static String withStrayBitsInLastChar(String segment) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char last = segment.charAt(segment.length() - 1);
        int sextet = alphabet.indexOf(last);
        int unusedBits = switch (segment.length() % 4) {
            case 2 -> 0x0F;
            case 3 -> 0x03;
            default -> throw new IllegalArgumentException("segment has no unused bits");
        };
        assertEquals(0, sextet & unusedBits, "a canonical segment has zero unused bits");
        return segment.substring(0, segment.length() - 1) + alphabet.charAt(sextet | 1);
    }

    // --- writing and reading back ---------------------------------------------------------------

    @Test
    void signedTokenDecodesToItsClaims() {
        Decoded decoded = cut.decode(cut.sign("org-1", "client-1", "tok-1", NOW_MILLIS, NOW_MILLIS + 60_000));

        assertAll(
                () -> assertEquals(Outcome.VALID, decoded.outcome()),
                () -> assertTrue(decoded.isValid()),
                () -> assertEquals("client-1", decoded.clientId()),
                () -> assertEquals("tok-1", decoded.tokenId()),
                () -> assertEquals(NOW_SECONDS + 60, decoded.expSeconds()));
    }

    @Test
    void expiryIsRoundedUpToTheNextWholeSecond() {
        Decoded decoded = cut.decode(cut.sign("org-1", "c", "t", NOW_MILLIS, NOW_MILLIS + 1_001));

        assertEquals(NOW_SECONDS + 2, decoded.expSeconds());
    }

    @Test
    void decodedTokenIsExpiredFromItsExpInstantOn() {
        Decoded decoded = cut.decode(cut.sign("org-1", "c", "t", NOW_MILLIS, NOW_MILLIS + 60_000));

        assertAll(
                () -> assertEquals(false, decoded.isExpiredAt(NOW_MILLIS + 59_999)),
                () -> assertEquals(true, decoded.isExpiredAt(NOW_MILLIS + 60_000)),
                () -> assertEquals(true, decoded.isExpiredAt(NOW_MILLIS + 60_001)));
    }

    @Test
    void signedTokenCarriesHs256TheActiveKidAndOnlyTheDocumentedClaims() {
        String token = validToken();

        JsonObject header = json(segment(token, 0));
        JsonObject payload = json(segment(token, 1));
        assertAll(
                () -> assertEquals("HS256", header.getString("alg")),
                () -> assertEquals(KID, header.getString("kid")),
                () -> assertEquals(Set.of("iss", "client_id", "token_id", "jti", "org_id", "iat", "exp"), payload.keySet()),
                () -> assertEquals("org-1", payload.getString("org_id")),
                () -> assertEquals(JwtCodec.ISSUER, payload.getString("iss")),
                () -> assertEquals("tok-1", payload.getString("jti")),
                () -> assertEquals(NOW_SECONDS, payload.getJsonNumber("iat").longValueExact()),
                () -> assertEquals(NOW_SECONDS + 60, payload.getJsonNumber("exp").longValueExact()));
    }

    @Test
    void signUsesTheActiveKidOfATwoKeyRing() {
        Key older = randomKey();
        Key newer = randomKey();
        KeyRing ring = new KeyRing("k2", Map.of("k1", older, "k2", newer));
        JwtCodec rotated = new JwtCodec(() -> ring);

        String token = rotated.sign("org-1", "client-1", "tok-1", NOW_MILLIS, NOW_MILLIS + 60_000);

        assertAll(
                () -> assertEquals("k2", json(segment(token, 0)).getString("kid")),
                () -> assertEquals(Outcome.VALID, rotated.decode(token).outcome()));
    }

    @Test
    void tokenSignedByAnOlderKeyInTheRingStillDecodes() {
        Key older = randomKey();
        Key newer = randomKey();
        String oldToken = new JwtCodec(() -> new KeyRing("k1", Map.of("k1", older)))
                .sign("org-1", "client-1", "tok-1", NOW_MILLIS, NOW_MILLIS + 60_000);
        JwtCodec rotated = new JwtCodec(() -> new KeyRing("k2", Map.of("k1", older, "k2", newer)));

        Decoded decoded = rotated.decode(oldToken);

        assertAll(
                () -> assertEquals(Outcome.VALID, decoded.outcome()),
                () -> assertEquals("client-1", decoded.clientId()),
                () -> assertEquals("tok-1", decoded.tokenId()));
    }

    @Test
    void tokenSignedWithTheRightKeyUnderTheOldKidFailsOnceTheOldKidIsDropped() {
        Key older = randomKey();
        String oldToken = new JwtCodec(() -> new KeyRing("k1", Map.of("k1", older)))
                .sign("org-1", "client-1", "tok-1", NOW_MILLIS, NOW_MILLIS + 60_000);
        JwtCodec rotated = new JwtCodec(() -> new KeyRing("k2", Map.of("k2", randomKey())));

        assertEquals(Outcome.BAD_FORMAT, rotated.decode(oldToken).outcome());
    }

    /** A ring of one key pair of {@code alg} under kid "pk", signing; and the HS256 key {@code KID} beside it. */
    private KeyRing pairRing(SigningAlgorithm alg, java.security.KeyPair pair) {
        Map<String, KeyRing.RingKey> keys = new java.util.LinkedHashMap<>();
        keys.put(KID, KeyRing.RingKey.hmac(key));
        keys.put("pk", new KeyRing.RingKey(alg, pair.getPublic(), pair.getPrivate()));
        return new KeyRing("pk", null, keys);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ES256", "EdDSA"})
    void aKeyPairSignsUnderItsOwnAlgAndVerifiesWhatItSigned(String name) {
        SigningAlgorithm alg = SigningAlgorithm.named(name);
        KeyRing ring = pairRing(alg, alg.generate());
        JwtCodec codec = new JwtCodec(() -> ring);

        String token = codec.sign("org-1", "client-1", "tok-1", NOW_MILLIS, NOW_MILLIS + 60_000);

        assertAll(
                () -> assertEquals(name, json(segment(token, 0)).getString("alg")),
                () -> assertEquals("pk", json(segment(token, 0)).getString("kid")),
                () -> assertEquals(Outcome.VALID, codec.decode(token).outcome()),
                () -> assertEquals(Outcome.VALID, codec.decode(hs256(KID, validClaims(), key)).outcome(),
                        "the HS256 key beside it keeps verifying its own tokens"));
    }

    /**
     * The signatures come from Bouncy Castle ({@link SignatureProvider}) but are the standard ones: the JDK's own
     * provider verifies them with the key as the key set publishes it. Registering Bouncy Castle changed no default:
     * an algorithm asked for without a provider still comes from the JDK.
     */
    @ParameterizedTest
    @ValueSource(strings = {"ES256", "EdDSA"})
    void theJdkAloneVerifiesWhatLatchkeySigned(String name) throws Exception {
        SigningAlgorithm alg = SigningAlgorithm.named(name);
        java.security.KeyPair pair = alg.generate();
        JwtCodec codec = new JwtCodec(() -> pairRing(alg, pair));

        String token = codec.sign("org-1", "client-1", "tok-1", NOW_MILLIS, NOW_MILLIS + 60_000);

        byte[] signature = java.util.Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1));
        java.security.Signature jdk;
        if (alg == SigningAlgorithm.ES256) {
            jdk = java.security.Signature.getInstance("SHA256withECDSAinP1363Format", "SunEC");
        } else {
            jdk = java.security.Signature.getInstance("Ed25519", "SunEC");
        }
        jdk.initVerify(pair.getPublic());
        jdk.update(token.substring(0, token.lastIndexOf('.')).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        java.security.Provider[] providers = java.security.Security.getProviders();
        assertAll(
                () -> assertTrue(jdk.verify(signature), "the JDK verifies the signature"),
                () -> assertEquals(SignatureProvider.NAME, providers[providers.length - 1].getName(),
                        "Bouncy Castle comes last"),
                () -> assertEquals("SunEC", java.security.Signature.getInstance("SHA256withECDSA").getProvider().getName()),
                () -> assertTrue(codec.decode(token).isValid()));
    }

    /**
     * Algorithm confusion (Tim McLean's 2015 report; CVE-2015-9235 in node-jsonwebtoken, CVE-2016-10555 in
     * jwt-simple): a token whose header says HS256, under the kid of a public key, MACed with that public key's
     * bytes as the secret. The key's own algorithm decides, never the header. Likewise an ES256 header under an
     * EdDSA key's kid, and an asymmetric alg under the HS256 key's kid.
     */
    @ParameterizedTest
    @ValueSource(strings = {"ES256", "EdDSA"})
    void aHeaderNamingAnotherAlgThanTheKeysIsRefused(String name) {
        SigningAlgorithm alg = SigningAlgorithm.named(name);
        java.security.KeyPair pair = alg.generate();
        JwtCodec codec = new JwtCodec(() -> pairRing(alg, pair));
        String claims = validClaims();

        String confused = hs256("pk", claims, new org.jose4j.keys.HmacKey(pair.getPublic().getEncoded()));
        java.security.KeyPair other = (alg == SigningAlgorithm.ES256 ? SigningAlgorithm.EdDSA : SigningAlgorithm.ES256)
                .generate();
        String otherAlg = forge("{\"alg\":\"" + (alg == SigningAlgorithm.ES256 ? "EdDSA" : "ES256")
                + "\",\"kid\":\"pk\",\"typ\":\"JWT\"}", claims, other.getPrivate());
        String asymmetricOverHmac = forge("{\"alg\":\"" + name + "\",\"kid\":\"" + KID + "\",\"typ\":\"JWT\"}",
                claims, pair.getPrivate());

        assertAll(
                () -> assertEquals(Outcome.BAD_FORMAT, codec.decode(confused).outcome()),
                () -> assertEquals(Outcome.BAD_FORMAT, codec.decode(otherAlg).outcome()),
                () -> assertEquals(Outcome.BAD_FORMAT, codec.decode(asymmetricOverHmac).outcome()));
    }

    @Test
    void anAssertionNamesTheRequestAndNeverPassesAsAClientToken() {
        KeyRing ring = pairRing(SigningAlgorithm.ES256, SigningAlgorithm.ES256.generate());
        JwtCodec codec = new JwtCodec(() -> ring);
        ClientPrincipal client = new ClientPrincipal("org-1", "client-1", "tok-1", NOW_MILLIS, NOW_MILLIS + 600_000);

        String assertion = codec.assertion(client, "GET", "/orders/7", NOW_MILLIS);

        JsonObject payload = json(segment(assertion, 1));
        assertAll(
                () -> assertEquals(JwtCodec.ASSERTION_TYPE, json(segment(assertion, 0)).getString("typ")),
                () -> assertEquals(Set.of("iss", "client_id", "token_id", "org_id", "method", "path", "iat", "exp"),
                        payload.keySet()),
                () -> assertEquals("/orders/7", payload.getString("path")),
                () -> assertEquals(NOW_SECONDS + 60, payload.getJsonNumber("exp").longValueExact()),
                () -> assertEquals(Outcome.BAD_FORMAT, codec.decode(assertion).outcome()),
                () -> assertNull(cut.assertion(client, "GET", "/orders/7", NOW_MILLIS),
                        "an HS256 key signs no assertion: nobody outside could verify it"));
    }

    @Test
    void anAssertionIsReusedForTheSameRequestOnlyAndForAShortPartOfItsLife() {
        KeyRing first = pairRing(SigningAlgorithm.ES256, SigningAlgorithm.ES256.generate());
        AtomicReference<KeyRing> ring = new AtomicReference<>(first);
        JwtCodec codec = new JwtCodec(ring::get);
        ClientPrincipal client = new ClientPrincipal("org-1", "client-1", "tok-1", NOW_MILLIS, NOW_MILLIS + 600_000);
        ClientPrincipal otherToken = new ClientPrincipal("org-1", "client-1", "tok-2", NOW_MILLIS, NOW_MILLIS + 600_000);
        String reuseEnds = String.valueOf(JwtCodec.ASSERTION_REUSE_SECONDS);

        String assertion = codec.assertion(client, "GET", "/orders/7", NOW_MILLIS);

        long lastReuse = NOW_MILLIS + JwtCodec.ASSERTION_REUSE_SECONDS * 1000 - 1;
        assertAll(
                () -> assertEquals(assertion, codec.assertion(client, "GET", "/orders/7", lastReuse)),
                () -> assertNotEquals(assertion, codec.assertion(otherToken, "GET", "/orders/7", NOW_MILLIS)),
                () -> assertNotEquals(assertion, codec.assertion(client, "POST", "/orders/7", NOW_MILLIS)),
                () -> assertNotEquals(assertion, codec.assertion(client, "GET", "/orders/8", NOW_MILLIS)),
                () -> assertNotEquals(assertion, codec.assertion(client, "GET", "/orders/7", lastReuse + 1),
                        "signed anew " + reuseEnds + " s later"),
                () -> assertNotEquals(assertion, codec.assertion(client, "GET", "/orders/7", NOW_MILLIS - 1000),
                        "never one from the future"));

        String fresh = codec.assertion(client, "GET", "/orders/9", NOW_MILLIS);
        java.security.KeyPair next = SigningAlgorithm.ES256.generate();
        ring.set(new KeyRing("pk2", null, Map.of("pk2",
                new KeyRing.RingKey(SigningAlgorithm.ES256, next.getPublic(), next.getPrivate()))));
        assertNotEquals(fresh, codec.assertion(client, "GET", "/orders/9", NOW_MILLIS), "the key changed");
    }

    @Test
    void forgedTokenWithOurKeyAndKidIsValid() {
        // guards the forging helper: the hostile tokens below differ from this one in one respect only
        Decoded decoded = cut.decode(hs256(KID, validClaims(), key));

        assertEquals(Outcome.VALID, decoded.outcome());
    }

    @Test
    void aRememberedTokenVouchesForItsExactTextOnly() {
        AtomicReference<KeyRing> ring = new AtomicReference<>(new KeyRing(KID, Map.of(KID, key)));
        JwtCodec remembering = new JwtCodec(ring::get);
        String token = remembering.sign("org-1", "client-1", "tok-1", NOW_MILLIS, NOW_MILLIS + 60_000);
        assertEquals(Outcome.VALID, remembering.decode(token).outcome());
        // the key is gone from the ring: only a reading from memory can still find the token valid
        ring.set(new KeyRing("other", Map.of("other", randomKey())));
        assertEquals(Outcome.VALID, remembering.decode(token).outcome(), "the second reading comes from memory");
        char last = token.charAt(token.length() - 1);
        String oneApart = token.substring(0, token.length() - 1) + (last == 'A' ? 'Q' : 'A');
        assertEquals(Outcome.BAD_FORMAT, remembering.decode(oneApart).outcome(),
                "a text one character apart is verified again, and fails without the key");
        String sameEnd = (token.charAt(0) == 'e' ? 'f' : 'e') + token.substring(1);
        assertEquals(Outcome.BAD_FORMAT, remembering.decode(sameEnd).outcome(),
                "a text apart at its start only (same end, same bucket) is verified again, and fails too");

        String signature = token.split("\\.")[2];
        for (String variant : new String[] {token + "=", token + " ", " " + token,
                replaceSegment(token, 2, withStrayBitsInLastChar(signature))}) {
            assertBadFormat(variant);
        }
        assertEquals(Outcome.BAD_FORMAT, cut.decode(null).outcome());
    }

    // --- INVALID_FORMAT: shape --------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"=", "==", " ", "!!", "\n", "."})
    void anythingAppendedToTheSignatureIsBadFormat(String suffix) {
        assertBadFormat(validToken() + suffix);
    }

    @Test
    void leadingSpaceIsBadFormat() {
        assertBadFormat(" " + validToken());
    }

    @Test
    void strayBitsInTheLastSignatureCharacterAreBadFormat() {
        String token = validToken();
        String signature = token.split("\\.")[2];
        String altered = replaceSegment(token, 2, withStrayBitsInLastChar(signature));
        assertNotEquals(token, altered);

        assertBadFormat(altered);
    }

    @Test
    void strayBitsInTheLastPayloadCharacterAreBadFormat() {
        // the payload {"iss":...} is chosen so that its encoding has unused bits (length not a multiple of 3)
        String payload = validClaims() + (validClaims().length() % 3 == 0 ? " " : "");
        String token = hs256(KID, payload, key);
        String encoded = token.split("\\.")[1];
        assertEquals(Outcome.VALID, cut.decode(token).outcome());

        assertBadFormat(replaceSegment(token, 1, withStrayBitsInLastChar(encoded)));
    }

    @Test
    void standardBase64AlphabetIsBadFormat() {
        // '+' and '/' belong to standard base64, not base64url
        String token = validToken();
        String signature = token.split("\\.")[2];
        assertBadFormat(replaceSegment(token, 2, "+/" + signature.substring(2)));
    }

    @Test
    void impossibleSegmentLengthIsBadFormat() {
        String token = validToken();
        String signature = token.split("\\.")[2]; // 43 characters for 32 bytes
        assertBadFormat(replaceSegment(token, 2, signature + "AA")); // 45: length % 4 == 1
    }

    @Test
    void twoSegmentsAreBadFormat() {
        String token = validToken();
        assertBadFormat(token.substring(0, token.lastIndexOf('.')));
    }

    @Test
    void fourSegmentsAreBadFormat() {
        assertBadFormat(validToken() + ".AAAA");
    }

    @Test
    void fiveSegmentsLikeAJweAreBadFormat() {
        String header = b64("{\"alg\":\"dir\",\"enc\":\"A128GCM\",\"kid\":\"k1\"}");
        assertBadFormat(header + ".." + "AAAAAAAAAAAAAAAA" + "." + "AAAA" + "." + "AAAAAAAAAAAAAAAAAAAAAA");
        assertBadFormat(header + ".AAAA.AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA");
    }

    @Test
    void emptySignatureIsBadFormat() {
        String token = validToken();
        assertBadFormat(token.substring(0, token.lastIndexOf('.') + 1));
    }

    @Test
    void emptyHeaderOrPayloadIsBadFormat() {
        String token = validToken();
        assertAll(
                () -> assertBadFormat(replaceSegment(token, 0, "")),
                () -> assertBadFormat(replaceSegment(token, 1, "")));
    }

    @Test
    void nullAndEmptyTextAreBadFormat() {
        assertAll(
                () -> assertBadFormat(null),
                () -> assertBadFormat(""),
                () -> assertBadFormat(".."),
                () -> assertBadFormat("not a token"));
    }

    @Test
    void tokenLongerThan4096CharactersIsBadFormat() {
        String token = tokenOfLength(JwtCodec.MAX_TOKEN_LENGTH + 1);

        assertBadFormat(token);
    }

    @Test
    void validTokenOfExactly4096CharactersDecodes() {
        String token = tokenOfLength(JwtCodec.MAX_TOKEN_LENGTH);

        assertEquals(Outcome.VALID, cut.decode(token).outcome());
    }

    /** A correctly signed token of exactly {@code length} characters, grown by an extra claim and header spaces. */
    private String tokenOfLength(int length) {
        int signatureLength = 43; // 32 bytes of HMAC-SHA256, unpadded base64url
        for (int spaces = 0; spaces < 4; spaces++) {
            String header = "{\"alg\":\"HS256\",\"kid\":\"k1\"" + " ".repeat(spaces) + "}";
            for (int pad = 0; pad < length; pad++) {
                String payload = "{\"pad\":\"" + "x".repeat(pad) + "\"," + validClaims().substring(1);
                int total = b64(header).length() + 1 + b64(payload).length() + 1 + signatureLength;
                if (total == length) {
                    String token = forge(header, payload, key);
                    assertEquals(length, token.length());
                    return token;
                }
                if (total > length) {
                    break;
                }
            }
        }
        throw new IllegalStateException("no token of length " + length);
    }

    // --- INVALID_FORMAT: algorithm, kid, signature, issuer ------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"none", "None", "NONE", "nOnE"})
    void algNoneWithEmptySignatureIsBadFormat(String alg) {
        assertBadFormat(unsigned("{\"alg\":\"" + alg + "\",\"kid\":\"k1\",\"typ\":\"JWT\"}", validClaims()));
    }

    @Test
    void algNoneWithSomeSignatureIsBadFormat() {
        String token = unsigned("{\"alg\":\"none\",\"kid\":\"k1\"}", validClaims()) + validToken().split("\\.")[2];
        assertBadFormat(token);
    }

    @ParameterizedTest
    @ValueSource(strings = {"HS384", "HS512"})
    void otherHmacAlgorithmsWithTheRightKeyAreBadFormat(String alg) {
        String token = forge("{\"alg\":\"" + alg + "\",\"kid\":\"k1\",\"typ\":\"JWT\"}", validClaims(), key);

        assertBadFormat(token);
    }

    @Test
    void missingAlgIsBadFormat() {
        assertBadFormat(b64("{\"kid\":\"k1\"}") + "." + b64(validClaims()) + "." + validToken().split("\\.")[2]);
    }

    @Test
    void tokenSignedWithAnotherKeyIsBadFormat() {
        assertBadFormat(hs256(KID, validClaims(), randomKey()));
    }

    @Test
    void unknownKidIsBadFormat() {
        assertBadFormat(hs256("k2", validClaims(), key));
    }

    @Test
    void kidDiffersOnlyInCaseIsBadFormat() {
        assertBadFormat(hs256("K1", validClaims(), key));
    }

    @Test
    void missingKidIsBadFormat() {
        assertBadFormat(hs256(null, validClaims(), key));
    }

    @Test
    void nullKidIsBadFormat() {
        assertBadFormat(forge("{\"alg\":\"HS256\",\"kid\":null}", validClaims(), key));
    }

    @Test
    void kidThatIsNotAStringIsBadFormat() {
        assertAll(
                () -> assertBadFormat(forge("{\"alg\":\"HS256\",\"kid\":1}", validClaims(), key)),
                () -> assertBadFormat(forge("{\"alg\":\"HS256\",\"kid\":[\"k1\"]}", validClaims(), key)),
                () -> assertBadFormat(forge("{\"alg\":\"HS256\",\"kid\":{\"k1\":1}}", validClaims(), key)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "../../etc/passwd", "k1' OR '1'='1", "'; DROP TABLE signing_key; --", ""})
    void hostileKidIsBadFormat(String kid) {
        assertBadFormat(hs256(kid, validClaims(), key));
    }

    @Test
    void tenKilobyteKidIsBadFormat() {
        assertBadFormat(hs256("k".repeat(10 * 1024), validClaims(), key));
    }

    @Test
    void embeddedJwkHeaderDoesNotChooseTheKey() {
        Key attacker = randomKey();
        String jwk = "{\"kty\":\"oct\",\"k\":\"" + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(attacker.getEncoded()) + "\"}";
        assertBadFormat(forge("{\"alg\":\"HS256\",\"kid\":\"k1\",\"jwk\":" + jwk + "}", validClaims(), attacker));
    }

    @Test
    void headerThatIsNotAJsonObjectIsBadFormat() {
        String rest = "." + b64(validClaims()) + "." + validToken().split("\\.")[2];
        assertAll(
                () -> assertBadFormat(b64("[\"HS256\"]") + rest),
                () -> assertBadFormat(b64("HS256") + rest),
                () -> assertBadFormat(b64("null") + rest));
    }

    @Test
    void payloadAlteredUnderTheOriginalSignatureIsBadFormat() {
        String token = validToken();
        String altered = claims("client-2", "tok-1", NOW_SECONDS, NOW_SECONDS + 60);

        assertBadFormat(replaceSegment(token, 1, b64(altered)));
    }

    @Test
    void headerAlteredUnderTheOriginalSignatureIsBadFormat() {
        String token = validToken();
        String header = "{\"alg\":\"HS256\",\"kid\":\"k1\"}";

        assertBadFormat(replaceSegment(token, 0, b64(header)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1,2,3]", "[]", "not json", "\"a string\"", "42", "null", "{\"client_id\":"})
    void signedPayloadThatIsNotAJsonObjectIsBadFormat(String payload) {
        assertBadFormat(hs256(KID, payload, key));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"someone-else\"", "\"Latchkey\"", "\"latchkey \"", "null", "1", "[\"latchkey\"]"})
    void wrongIssuerIsBadFormat(String issuer) {
        String payload = validClaims().replace("\"iss\":\"latchkey\"", "\"iss\":" + issuer);

        assertBadFormat(hs256(KID, payload, key));
    }

    @Test
    void missingIssuerIsBadFormat() {
        String payload = validClaims().replace("\"iss\":\"latchkey\",", "");

        assertBadFormat(hs256(KID, payload, key));
    }

    @Test
    void issuerCheckComesBeforeRequiredFields() {
        assertBadFormat(hs256(KID, "{\"iss\":\"other\"}", key));
    }

    // --- MISSING_FIELDS: required claims -------------------------------------------------------------

    @Test
    void missingClientIdIsMissingFields() {
        assertMissingFields("{\"iss\":\"latchkey\",\"token_id\":\"tok-1\",\"iat\":1,\"exp\":" + (NOW_SECONDS + 60) + "}");
    }

    @Test
    void emptyClientIdIsMissingFields() {
        assertMissingFields(claims("", "tok-1", NOW_SECONDS, NOW_SECONDS + 60));
    }

    @Test
    void missingTokenIdIsMissingFields() {
        assertMissingFields("{\"iss\":\"latchkey\",\"client_id\":\"c\",\"iat\":1,\"exp\":" + (NOW_SECONDS + 60) + "}");
    }

    @Test
    void emptyTokenIdIsMissingFields() {
        assertMissingFields(claims("client-1", "", NOW_SECONDS, NOW_SECONDS + 60));
    }

    @ParameterizedTest
    @ValueSource(strings = {"42", "true", "null", "[\"c\"]", "{\"id\":\"c\"}"})
    void clientIdThatIsNotAStringIsMissingFields(String clientId) {
        assertMissingFields(validClaims().replace("\"client_id\":\"client-1\"", "\"client_id\":" + clientId));
    }

    @ParameterizedTest
    @ValueSource(strings = {"42", "true", "null", "[\"t\"]"})
    void tokenIdThatIsNotAStringIsMissingFields(String tokenId) {
        assertMissingFields(validClaims().replace("\"token_id\":\"tok-1\"", "\"token_id\":" + tokenId));
    }

    @Test
    void missingExpIsMissingFields() {
        assertMissingFields("{\"iss\":\"latchkey\",\"client_id\":\"c\",\"token_id\":\"t\",\"iat\":1}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"1900000060\"", "true", "null", "[1900000060]"})
    void expThatIsNotANumberIsMissingFields(String exp) {
        assertMissingFields(validClaims().replace("\"exp\":" + (NOW_SECONDS + 60), "\"exp\":" + exp));
    }

    @Test
    void missingIatIsMissingFields() {
        assertMissingFields("{\"iss\":\"latchkey\",\"client_id\":\"c\",\"token_id\":\"t\",\"exp\":"
                + (NOW_SECONDS + 60) + "}");
    }

    @Test
    void fractionalExpIsANumber() {
        String payload = validClaims().replace("\"exp\":" + (NOW_SECONDS + 60), "\"exp\":" + (NOW_SECONDS + 60) + ".5");

        Decoded decoded = cut.decode(hs256(KID, payload, key));

        assertAll(
                () -> assertEquals(Outcome.VALID, decoded.outcome()),
                () -> assertEquals(NOW_SECONDS + 60.5, decoded.expSeconds()));
    }

    @Test
    void claimsOfAForgedValidTokenAreReadFromThePayload() {
        Decoded decoded = cut.decode(hs256(KID, claims("client-9", "tok-9", NOW_SECONDS, NOW_SECONDS + 5), key));

        assertAll(
                () -> assertEquals(Outcome.VALID, decoded.outcome()),
                () -> assertEquals("client-9", decoded.clientId()),
                () -> assertEquals("tok-9", decoded.tokenId()),
                () -> assertEquals(NOW_SECONDS + 5, decoded.expSeconds()));
    }
}
