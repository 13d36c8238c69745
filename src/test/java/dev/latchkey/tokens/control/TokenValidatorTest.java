package dev.latchkey.tokens.control;

import static dev.latchkey.testing.Jwts.claims;
import static dev.latchkey.testing.Jwts.hs256;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.Key;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The validation table ({@link TokenFailure}), row by row, in order. */
class TokenValidatorTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long NOW = Instant.parse("2030-03-01T12:00:00Z").toEpochMilli();
    private static final long NOW_SECONDS = NOW / 1000;
    private static final String KID = "k1";
    private static final String ORG = "org-1";
    private static final String CLIENT = "client-1";

    private Key key;
    private JwtCodec codec;
    private Map<String, TokenRecord> rows;
    private TokenValidator cut;

    @BeforeEach
    void setUp() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        key = KeyRing.hmac(secret);
        KeyRing ring = new KeyRing(KID, Map.of(KID, key));
        codec = new JwtCodec(() -> ring);
        rows = new HashMap<>();
        cut = new TokenValidator(codec, tokenId -> Optional.ofNullable(rows.get(tokenId)),
                Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
    }

    /** Stores a row and returns the token the service would have issued for it. */
    private String issue(String tokenId, long issuedAt, long expiresAt, boolean revoked) {
        rows.put(tokenId, new TokenRecord(tokenId, ORG, CLIENT, issuedAt, expiresAt, revoked));
        return codec.sign("org-1", CLIENT, tokenId, issuedAt, expiresAt);
    }

    private String issueGood(String tokenId) {
        return issue(tokenId, NOW - 10_000, NOW + 60_000, false);
    }

    private static void assertRejected(TokenFailure expected, Verdict verdict) {
        assertAll(
                () -> assertEquals(expected, verdict.failure()),
                () -> assertNull(verdict.principal()),
                () -> assertFalse(verdict.isAccepted()));
    }

    // --- the table's texts ----------------------------------------------------------------------

    /**
     * The enum lists one constant per row of the contract's table, in the table's order (so that its metrics and
     * docs read like the table). This proves the list, not the order the checks run in: that is
     * {@code ClientValidationIT.checksRunInTheTableOrder}, against the running service.
     */
    @Test
    void theEnumListsOneConstantPerTableRowInTheTablesOrder() {
        assertArrayEquals(new TokenFailure[] {
            TokenFailure.MISSING_CREDENTIAL,
            TokenFailure.NOT_BEARER,
            TokenFailure.INVALID_FORMAT,
            TokenFailure.MISSING_FIELDS,
            TokenFailure.JWT_EXPIRED,
            TokenFailure.NOT_IN_DATABASE,
            TokenFailure.REVOKED,
            TokenFailure.DATABASE_EXPIRED,
            TokenFailure.CLIENT_MISMATCH,
            TokenFailure.INTERNAL_ERROR
        }, TokenFailure.values());
    }

    @Test
    void everyFailureHasTheContractStatusAndDetail() {
        assertAll(
                () -> assertFailure(TokenFailure.MISSING_CREDENTIAL, 401, "Authorization header is missing"),
                () -> assertFailure(TokenFailure.NOT_BEARER, 401, "Authorization header must start with Bearer"),
                () -> assertFailure(TokenFailure.INVALID_FORMAT, 401, "Invalid token format"),
                () -> assertFailure(TokenFailure.MISSING_FIELDS, 401, "Invalid token format: missing required fields"),
                () -> assertFailure(TokenFailure.JWT_EXPIRED, 401, "Token has expired"),
                () -> assertFailure(TokenFailure.NOT_IN_DATABASE, 401, "Invalid token, token not found in database"),
                () -> assertFailure(TokenFailure.REVOKED, 401, "Token has been revoked"),
                () -> assertFailure(TokenFailure.DATABASE_EXPIRED, 401, "Token has expired"),
                () -> assertFailure(TokenFailure.CLIENT_MISMATCH, 401, "Invalid token, client_id mismatch"),
                () -> assertFailure(TokenFailure.INTERNAL_ERROR, 500, "Internal server error during token validation"));
    }

    private static void assertFailure(TokenFailure failure, int status, String detail) {
        assertEquals(status, failure.status(), failure.name() + " status");
        assertEquals(detail, failure.detail(), failure.name() + " detail");
    }

    // --- every TokenFailure, in order ---------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"", "  "})
    void row1MissingCredential(String credential) {
        assertRejected(TokenFailure.MISSING_CREDENTIAL, cut.validateCredential(credential));
    }

    @Test
    void row1NullCredential() {
        assertRejected(TokenFailure.MISSING_CREDENTIAL, cut.validateCredential(null));
    }

    @Test
    void row2NotBearer() {
        String token = issueGood("tok-1");
        assertAll(
                () -> assertRejected(TokenFailure.NOT_BEARER, cut.validateCredential("Basic " + token)),
                () -> assertRejected(TokenFailure.NOT_BEARER, cut.validateCredential("Bearer  " + token)),
                () -> assertRejected(TokenFailure.NOT_BEARER, cut.validateCredential(token)),
                () -> assertRejected(TokenFailure.NOT_BEARER, cut.validateCredential("Bearer")));
    }

    @Test
    void row3InvalidFormat() {
        String token = issueGood("tok-1");
        assertAll(
                () -> assertRejected(TokenFailure.INVALID_FORMAT, cut.validateCredential("Bearer not-a-jwt")),
                () -> assertRejected(TokenFailure.INVALID_FORMAT, cut.validateCredential("Bearer " + token + "=")),
                () -> assertRejected(TokenFailure.INVALID_FORMAT, cut.validateCredential("Bearer " + token + " ")),
                () -> assertRejected(TokenFailure.INVALID_FORMAT,
                        cut.validateCredential("Bearer " + hs256("k2", claims(CLIENT, "tok-1", NOW_SECONDS,
                                NOW_SECONDS + 60), key))));
    }

    @Test
    void row3TokenSignedWithAnotherKeyForARealRow() {
        issueGood("tok-1");
        byte[] other = new byte[32];
        RANDOM.nextBytes(other);
        String forged = hs256(KID, claims(CLIENT, "tok-1", NOW_SECONDS, NOW_SECONDS + 60), KeyRing.hmac(other));

        assertRejected(TokenFailure.INVALID_FORMAT, cut.validateCredential("Bearer " + forged));
    }

    @Test
    void row4MissingFields() {
        issueGood("tok-1");
        String noClient = hs256(KID, "{\"iss\":\"latchkey\",\"token_id\":\"tok-1\",\"iat\":" + NOW_SECONDS
                + ",\"exp\":" + (NOW_SECONDS + 60) + "}", key);

        assertRejected(TokenFailure.MISSING_FIELDS, cut.validateCredential("Bearer " + noClient));
    }

    @Test
    void row4ComesBeforeExpiry() {
        String expiredWithoutClient = hs256(KID, "{\"iss\":\"latchkey\",\"token_id\":\"tok-1\",\"iat\":1,\"exp\":2}", key);

        assertRejected(TokenFailure.MISSING_FIELDS, cut.validateCredential("Bearer " + expiredWithoutClient));
    }

    @Test
    void row5JwtExpired() {
        String token = issue("tok-1", NOW - 120_000, NOW - 60_000, false);

        Verdict verdict = cut.validateCredential("Bearer " + token);

        assertRejected(TokenFailure.JWT_EXPIRED, verdict);
        assertEquals("Token has expired", verdict.failure().detail());
        assertEquals(401, verdict.failure().status());
    }

    @Test
    void row5JwtExpiredAtExactlyItsExpInstant() {
        // the row's own expiry lies in the future, so only the JWT exp can decide
        rows.put("tok-1", new TokenRecord("tok-1", ORG, CLIENT, NOW - 60_000, NOW + 60_000, false));
        String token = hs256(KID, claims(CLIENT, "tok-1", NOW_SECONDS - 60, NOW_SECONDS), key);

        assertRejected(TokenFailure.JWT_EXPIRED, cut.validateCredential("Bearer " + token));
    }

    @Test
    void row5JwtOneSecondBeforeExpiryIsNotExpired() {
        rows.put("tok-1", new TokenRecord("tok-1", ORG, CLIENT, NOW - 60_000, NOW + 60_000, false));
        String token = hs256(KID, claims(CLIENT, "tok-1", NOW_SECONDS - 60, NOW_SECONDS + 1), key);

        assertTrue(cut.validateCredential("Bearer " + token).isAccepted());
    }

    @Test
    void row5ExpiryIsCheckedBeforeTheDatabase() {
        String expiredUnknown = codec.sign("org-1", CLIENT, "no-such-token", NOW - 120_000, NOW - 60_000);

        assertRejected(TokenFailure.JWT_EXPIRED, cut.validateCredential("Bearer " + expiredUnknown));
    }

    @Test
    void row5ExpiredTokenNeverReachesTheLookup() {
        TokenValidator failingLookup = new TokenValidator(codec, tokenId -> {
            throw new IllegalStateException("database down");
        }, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
        String expired = codec.sign("org-1", CLIENT, "tok-1", NOW - 120_000, NOW - 60_000);

        assertRejected(TokenFailure.JWT_EXPIRED, failingLookup.validateCredential("Bearer " + expired));
    }

    @Test
    void row6ForgedTokenWithUnknownTokenId() {
        issueGood("tok-1");
        String forged = hs256(KID, claims(CLIENT, "tok-unknown", NOW_SECONDS, NOW_SECONDS + 60), key);

        assertRejected(TokenFailure.NOT_IN_DATABASE, cut.validateCredential("Bearer " + forged));
    }

    @Test
    void row7Revoked() {
        String token = issue("tok-1", NOW - 10_000, NOW + 60_000, true);

        assertRejected(TokenFailure.REVOKED, cut.validateCredential("Bearer " + token));
    }

    @Test
    void row7RevokedComesBeforeDatabaseExpiry() {
        rows.put("tok-1", new TokenRecord("tok-1", ORG, CLIENT, NOW - 120_000, NOW - 60_000, true));
        String token = codec.sign("org-1", CLIENT, "tok-1", NOW - 120_000, NOW + 60_000);

        assertRejected(TokenFailure.REVOKED, cut.validateCredential("Bearer " + token));
    }

    @Test
    void row7RevokedComesBeforeClientMismatch() {
        rows.put("tok-1", new TokenRecord("tok-1", ORG, "other-client", NOW - 10_000, NOW + 60_000, true));
        String token = codec.sign("org-1", CLIENT, "tok-1", NOW - 10_000, NOW + 60_000);

        assertRejected(TokenFailure.REVOKED, cut.validateCredential("Bearer " + token));
    }

    @Test
    void row8DatabaseExpiredWhileJwtExpIsNot() {
        rows.put("tok-1", new TokenRecord("tok-1", ORG, CLIENT, NOW - 120_000, NOW - 1, false));
        String token = codec.sign("org-1", CLIENT, "tok-1", NOW - 120_000, NOW + 60_000);

        Verdict verdict = cut.validateCredential("Bearer " + token);

        assertRejected(TokenFailure.DATABASE_EXPIRED, verdict);
        assertEquals("Token has expired", verdict.failure().detail());
    }

    @Test
    void row8DatabaseExpiredAtExactlyItsExpiresAt() {
        rows.put("tok-1", new TokenRecord("tok-1", ORG, CLIENT, NOW - 120_000, NOW, false));
        String token = codec.sign("org-1", CLIENT, "tok-1", NOW - 120_000, NOW + 60_000);

        assertRejected(TokenFailure.DATABASE_EXPIRED, cut.validateCredential("Bearer " + token));
    }

    @Test
    void row8DatabaseExpiryComesBeforeClientMismatch() {
        rows.put("tok-1", new TokenRecord("tok-1", ORG, "other-client", NOW - 120_000, NOW - 1, false));
        String token = codec.sign("org-1", CLIENT, "tok-1", NOW - 120_000, NOW + 60_000);

        assertRejected(TokenFailure.DATABASE_EXPIRED, cut.validateCredential("Bearer " + token));
    }

    @Test
    void row9ForgedTokenWithARealTokenIdAndAnotherClientId() {
        issueGood("tok-1");
        String forged = hs256(KID, claims("client-2", "tok-1", NOW_SECONDS, NOW_SECONDS + 60), key);

        assertRejected(TokenFailure.CLIENT_MISMATCH, cut.validateCredential("Bearer " + forged));
    }

    @Test
    void row9ClientIdComparisonIsExact() {
        issueGood("tok-1");
        String forged = hs256(KID, claims("CLIENT-1", "tok-1", NOW_SECONDS, NOW_SECONDS + 60), key);

        assertRejected(TokenFailure.CLIENT_MISMATCH, cut.validateCredential("Bearer " + forged));
    }

    @Test
    void lookupFailureIsInternalError() {
        TokenValidator failingLookup = new TokenValidator(codec, tokenId -> {
            throw new IllegalStateException("database down");
        }, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
        String token = codec.sign("org-1", CLIENT, "tok-1", NOW - 10_000, NOW + 60_000);

        Verdict verdict = failingLookup.validateCredential("Bearer " + token);

        assertRejected(TokenFailure.INTERNAL_ERROR, verdict);
        assertEquals(500, verdict.failure().status());
        assertEquals("Internal server error during token validation", verdict.failure().detail());
    }

    // --- acceptance -----------------------------------------------------------------------------

    @Test
    void goodTokenIsAcceptedWithTheRowsPrincipal() {
        long issuedAt = NOW - 10_123;
        long expiresAt = NOW + 59_877;
        rows.put("tok-1", new TokenRecord("tok-1", ORG, CLIENT, issuedAt, expiresAt, false));
        String token = codec.sign("org-1", CLIENT, "tok-1", issuedAt, expiresAt);

        Verdict verdict = cut.validateCredential("Bearer " + token);

        assertAll(
                () -> assertTrue(verdict.isAccepted()),
                () -> assertNull(verdict.failure()),
                () -> assertEquals(new ClientPrincipal(ORG, CLIENT, "tok-1", issuedAt, expiresAt), verdict.principal()),
                () -> assertEquals(ORG, verdict.principal().orgId()),
                () -> assertEquals(CLIENT, verdict.principal().clientId()),
                () -> assertEquals("tok-1", verdict.principal().tokenId()),
                () -> assertEquals(issuedAt, verdict.principal().issuedAt()),
                () -> assertEquals(expiresAt, verdict.principal().expiresAt()),
                () -> assertEquals(CLIENT, verdict.principal().getName()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bearer ", "BEARER ", "bEaReR "})
    void mixedCaseSchemeIsAccepted(String scheme) {
        String token = issueGood("tok-1");

        Verdict verdict = cut.validateCredential(scheme + token);

        assertAll(
                () -> assertTrue(verdict.isAccepted()),
                () -> assertEquals("tok-1", verdict.principal().tokenId()));
    }

    @Test
    void bareTokenIsValidatedFromRow3On() {
        String token = issueGood("tok-1");

        assertAll(
                () -> assertTrue(cut.validateToken(token).isAccepted()),
                () -> assertRejected(TokenFailure.INVALID_FORMAT, cut.validateToken("Bearer " + token)),
                () -> assertRejected(TokenFailure.INVALID_FORMAT, cut.validateToken("")),
                () -> assertRejected(TokenFailure.INVALID_FORMAT, cut.validateToken(null)));
    }

    @Test
    void lookupIsByTheTokensTokenId() {
        issueGood("tok-1");
        issue("tok-2", NOW - 10_000, NOW + 60_000, true);
        String token = codec.sign("org-1", CLIENT, "tok-1", NOW - 10_000, NOW + 60_000);

        assertEquals("tok-1", cut.validateCredential("Bearer " + token).principal().tokenId());
    }
}
