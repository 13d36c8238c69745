package dev.latchkey.tokens.control;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.lang.JoseException;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * Writes and reads Latchkey's client JWTs: signed with the current key of the ring (HS256, ES256 or EdDSA) under
 * its {@code kid} header, claims {@code iss}, {@code client_id}, {@code token_id} (also {@code jti}),
 * {@code org_id}, {@code iat}, {@code exp}. Nothing else goes in; the metadata stays in the database. It also
 * writes the upstream assertions ({@link #assertion}), which it never accepts as client tokens.
 *
 * <p>Reading is strict. The text must be exactly as issued (three canonical, unpadded base64url segments,
 * at most 4 KiB) before jose4j sees it, because jose4j decodes base64 leniently; the key is chosen by {@code kid}
 * from our own key ring and nowhere else, and the {@code alg} header must be the one that key was made for
 * (RFC 8725, section 3.1: an HS256 header over a public key's {@code kid} is the algorithm confusion of
 * CVE-2015-9235 and CVE-2016-10555). {@code org_id} is not required: tokens issued before it existed stay
 * valid, and the database row names the organization anyway. One {@link JwtConsumer} is built and shared: it is
 * thread-safe. Exception texts of jose4j contain the token and are never passed on.
 */
public final class JwtCodec {

    /** The default of {@code LATCHKEY_ISSUER}. */
    public static final String ISSUER = "latchkey";
    /** The {@code typ} header of an upstream assertion (explicit typing, RFC 8725, section 3.11). */
    public static final String ASSERTION_TYPE = "latchkey-assertion+jwt";
    /** How long an upstream assertion lives, in seconds. */
    public static final long ASSERTION_SECONDS = 60;
    /**
     * For how many seconds of its {@value #ASSERTION_SECONDS} an assertion is handed out again for the same token,
     * method and path (and signing key), instead of signing a new one: an ES256 or EdDSA signature costs more than
     * the rest of a proxied request together ({@code docs/performance.md}).
     */
    public static final long ASSERTION_REUSE_SECONDS = 10;
    /** Assertions kept for reuse at most (a few hundred bytes each). */
    static final int MAX_REUSED_ASSERTIONS = 10_000;
    public static final int MAX_TOKEN_LENGTH = 4096;

    /** Verified tokens remembered, so that a client presenting the same token again skips the JWS work. */
    static final int MAX_REMEMBERED = 50_000;

    private final Supplier<KeyRing> keys;
    private final String issuer;
    private final JwtConsumer consumer;
    /**
     * Exact token text → what reading it found, for tokens that read VALID only. The key is the whole text, so
     * a hit means these very bytes passed the shape check and the signature before; anything else, even one
     * character apart, takes the full path. Expiry is not decided here: the validator checks {@code exp}
     * against the clock on every request. In memory only, bounded, and forgotten after ten minutes.
     */
    private final Cache<TokenText, Decoded> verified = Caffeine.newBuilder()
            .maximumSize(MAX_REMEMBERED)
            .expireAfterWrite(Duration.ofMinutes(10))
            .executor(Runnable::run)
            .build();

    /**
     * Assertions signed in the last {@value #ASSERTION_REUSE_SECONDS} seconds, by everything they say but the time:
     * a second request of the same token to the same method and path gets the same assertion (its {@code iat} at
     * most that much older, so it has at least 50 of its 60 seconds left). Never across tokens, clients,
     * organizations, methods, paths or signing keys: all of them are the key or checked against the entry. A revoked
     * token never reaches signing (the validator refuses it first), so nothing here outlives a revocation. Bounded;
     * entries go after twice the reuse time whatever the clock passed in says.
     */
    private final Cache<AssertionKey, SignedAssertion> assertions = Caffeine.newBuilder()
            .maximumSize(MAX_REUSED_ASSERTIONS)
            .expireAfterWrite(Duration.ofSeconds(2 * ASSERTION_REUSE_SECONDS))
            .executor(Runnable::run)
            .build();

    private record AssertionKey(String tokenId, String clientId, String orgId, String method, String path) {
    }

    private record SignedAssertion(String kid, long issuedAtSeconds, String text) {
    }

    /** A codec over a fixed or changing key ring that knows every kid it will ever see. */
    public JwtCodec(Supplier<KeyRing> keys) {
        this(keys, kid -> null, ISSUER);
    }

    /**
     * @param unknownKid asked for a kid the ring lacks (it may refresh the ring); null means unknown
     * @param issuer the {@code iss} written and required ({@code LATCHKEY_ISSUER})
     */
    public JwtCodec(Supplier<KeyRing> keys, Function<String, KeyRing.RingKey> unknownKid, String issuer) {
        this.keys = keys;
        this.issuer = issuer;
        this.consumer = new JwtConsumerBuilder()
                .setSkipAllValidators() // claims are checked below, in the table's order
                .setJwsProviderContext(SignatureProvider.context())
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.HMAC_SHA256,
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, AlgorithmIdentifiers.EDDSA)
                .setVerificationKeyResolver((jws, nesting) -> {
                    String kid = jws.getKeyIdHeaderValue();
                    KeyRing.RingKey key = keys.get().byKid(kid);
                    if (key == null && kid != null) {
                        key = unknownKid.apply(kid);
                    }
                    if (key == null) {
                        throw new UnresolvableKeyException("unknown kid");
                    }
                    if (!key.alg().jwsName().equals(jws.getAlgorithmHeaderValue())) {
                        throw new UnresolvableKeyException("alg is not the one the key was made for");
                    }
                    Object type = jws.getHeaders().getObjectHeaderValue("typ");
                    if (type != null && !"JWT".equals(type)) {
                        throw new UnresolvableKeyException("not a client token");
                    }
                    return key.verifying();
                })
                .build();
    }

    /** What reading a token found: the claims, or how the token failed. */
    public enum Outcome { VALID, BAD_FORMAT, MISSING_FIELDS }

    /** A read token. {@code expSeconds} is the JWT {@code exp}; claims are null unless VALID. */
    public record Decoded(Outcome outcome, String clientId, String tokenId, double expSeconds) {

        static final Decoded BAD_FORMAT = new Decoded(Outcome.BAD_FORMAT, null, null, 0);
        static final Decoded MISSING_FIELDS = new Decoded(Outcome.MISSING_FIELDS, null, null, 0);

        public boolean isValid() {
            return outcome == Outcome.VALID;
        }

        public boolean isExpiredAt(long epochMillis) {
            return epochMillis >= expSeconds * 1000;
        }
    }

    /** A client token, signed with the ring's current key; times in epoch milliseconds, written as seconds. */
    public String sign(String orgId, String clientId, String tokenId, long issuedAtMillis, long expiresAtMillis) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setClaim("client_id", clientId);
        claims.setClaim("token_id", tokenId);
        claims.setJwtId(tokenId);
        claims.setClaim("org_id", orgId);
        claims.setIssuedAt(NumericDate.fromSeconds(Math.floorDiv(issuedAtMillis, 1000)));
        claims.setExpirationTime(NumericDate.fromSeconds(Math.floorDiv(expiresAtMillis + 999, 1000)));
        return signed(keys.get(), claims, "JWT");
    }

    /**
     * The {@code X-Latchkey-Assertion} of one forwarded request: {@code iss}, {@code client_id}, {@code token_id},
     * {@code org_id}, {@code method}, {@code path} (path and query as sent upstream), {@code iat} and {@code exp}
     * ({@value #ASSERTION_SECONDS} s later), under the {@code typ} {@value #ASSERTION_TYPE} so it can never pass
     * as a client token. Null while the current key is HS256: nobody outside Latchkey could verify it. One signed
     * less than {@value #ASSERTION_REUSE_SECONDS} seconds ago for the same token, method and path with the same key
     * is returned again (the reuse above).
     */
    public String assertion(ClientPrincipal client, String method, String path, long nowMillis) {
        KeyRing ring = keys.get();
        if (!ring.active().alg().isPublicKey()) {
            return null;
        }
        long now = Math.floorDiv(nowMillis, 1000);
        AssertionKey reuseKey = new AssertionKey(client.tokenId(), client.clientId(), client.orgId(), method, path);
        SignedAssertion known = assertions.getIfPresent(reuseKey);
        if (known != null && known.kid().equals(ring.activeKid()) && now >= known.issuedAtSeconds()
                && now - known.issuedAtSeconds() < ASSERTION_REUSE_SECONDS) {
            return known.text();
        }
        String text = signAssertion(ring, client, method, path, now);
        assertions.put(reuseKey, new SignedAssertion(ring.activeKid(), now, text));
        return text;
    }

    private String signAssertion(KeyRing ring, ClientPrincipal client, String method, String path, long now) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setClaim("client_id", client.clientId());
        claims.setClaim("token_id", client.tokenId());
        claims.setClaim("org_id", client.orgId());
        claims.setClaim("method", method);
        claims.setClaim("path", path);
        claims.setIssuedAt(NumericDate.fromSeconds(now));
        claims.setExpirationTime(NumericDate.fromSeconds(now + ASSERTION_SECONDS));
        return signed(ring, claims, ASSERTION_TYPE);
    }

    private static String signed(KeyRing ring, JwtClaims claims, String type) {
        KeyRing.RingKey key = ring.active();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(key.alg().jwsName());
        jws.setKeyIdHeaderValue(ring.activeKid());
        jws.setHeader("typ", type);
        jws.setKey(key.signing());
        jws.setProviderContext(SignatureProvider.context());
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("signing a token failed"); // no cause: it may name the key
        }
    }

    /** Decides {@link TokenFailure#INVALID_FORMAT} (shape, algorithm, kid, signature, issuer), then {@link TokenFailure#MISSING_FIELDS}. */
    public Decoded decode(String token) {
        if (token == null) {
            return Decoded.BAD_FORMAT;
        }
        TokenText text = new TokenText(token);
        Decoded known = verified.getIfPresent(text);
        if (known != null) {
            return known;
        }
        Decoded decoded = verify(token);
        if (decoded.isValid()) {
            verified.put(text, decoded);
        }
        return decoded;
    }

    /**
     * A token text as the key of remembered verifications: equal exactly when the texts are equal, but hashed over
     * its last {@value #HASHED_CHARS} characters only. A text arrives as a new string with every request, so
     * {@link String#hashCode} would read all of its 400-odd characters every time (about 0.3 µs, measured); the
     * end of a token we signed is its signature, evenly spread. Texts ending alike (anyone can send those) only share a
     * bucket, and only tokens that verified are ever stored.
     */
    record TokenText(String text) {

        static final int HASHED_CHARS = 32;

        @Override
        public int hashCode() {
            int hash = 0;
            for (int i = Math.max(0, text.length() - HASHED_CHARS); i < text.length(); i++) {
                hash = 31 * hash + text.charAt(i);
            }
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof TokenText that && text.equals(that.text);
        }
    }

    private Decoded verify(String token) {
        if (!hasCanonicalShape(token)) {
            return Decoded.BAD_FORMAT;
        }
        JwtClaims claims;
        try {
            claims = consumer.processToClaims(token);
        } catch (InvalidJwtException e) {
            return Decoded.BAD_FORMAT;
        }
        if (!issuer.equals(claims.getClaimValue("iss"))) {
            return Decoded.BAD_FORMAT;
        }
        Object clientId = claims.getClaimValue("client_id");
        Object tokenId = claims.getClaimValue("token_id");
        Object exp = claims.getClaimValue("exp");
        if (!(clientId instanceof String client) || client.isEmpty()
                || !(tokenId instanceof String id) || id.isEmpty()
                || !(exp instanceof Number expiry) || !(claims.getClaimValue("iat") instanceof Number)) {
            return Decoded.MISSING_FIELDS;
        }
        return new Decoded(Outcome.VALID, client, id, expiry.doubleValue());
    }

    /**
     * Exactly three non-empty segments of {@code [A-Za-z0-9_-]}, each canonical unpadded base64url
     * (no impossible length, no stray bits in the last character), at most {@link #MAX_TOKEN_LENGTH} long.
     */
    static boolean hasCanonicalShape(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return false;
        }
        int segments = 0;
        int start = 0;
        for (int i = 0; i <= token.length(); i++) {
            if (i == token.length() || token.charAt(i) == '.') {
                if (++segments > 3 || !isCanonicalSegment(token, start, i)) {
                    return false;
                }
                start = i + 1;
            } else if (sextet(token.charAt(i)) < 0) {
                return false;
            }
        }
        return segments == 3;
    }

    private static boolean isCanonicalSegment(String token, int start, int end) {
        int length = end - start;
        if (length == 0) {
            return false;
        }
        int last = sextet(token.charAt(end - 1));
        return switch (length % 4) {
            case 1 -> false;
            case 2 -> (last & 0x0F) == 0;
            case 3 -> (last & 0x03) == 0;
            default -> true;
        };
    }

    /** The value of each base64url character, -1 for any other ASCII character: one array read per character. */
    private static final byte[] SEXTETS = new byte[128];

    static {
        Arrays.fill(SEXTETS, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < alphabet.length(); i++) {
            SEXTETS[alphabet.charAt(i)] = (byte) i;
        }
    }

    private static int sextet(char c) {
        return c < 128 ? SEXTETS[c] : -1;
    }
}
