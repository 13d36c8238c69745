package dev.latchkey.bench;

import dev.latchkey.tokens.control.TokenRecord;
import dev.latchkey.tokens.control.TokenStates;
import dev.latchkey.tokens.control.TokenValidator;
import dev.latchkey.tokens.control.Verdict;
import dev.latchkey.tokens.control.JwtCodec;
import dev.latchkey.tokens.control.KeyRing;
import dev.latchkey.tokens.control.SigningAlgorithm;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One valid Latchkey token, checked four ways, all in one run so the ratios are comparable:
 * <ul>
 *   <li>{@code floorJdkHmac}: split, HMAC-SHA256 with the JDK, constant-time compare. No claims parsed: the
 *       least any validator must do, the floor.</li>
 *   <li>{@code jose4jNoCache}: jose4j as commonly written, a fresh {@code JwtConsumer} per call, then a
 *       database row lookup in a plain map (no token-state cache, no database either).</li>
 *   <li>{@code codecOnly}: the service's {@link JwtCodec} (shape check, one shared consumer, claims).</li>
 *   <li>{@code validator}: the service's {@link TokenValidator} end to end, with the row answered by
 *       {@link TokenStates} (a cache hit: what a client hammering the API costs). The codec remembers token
 *       texts it verified, so this repeated token skips the JWS work.</li>
 *   <li>{@code validatorUnseenTokens}: the same validator cycling through {@value #UNSEEN} distinct tokens, four
 *       times what the codec remembers, so nearly every call verifies the signature: what a token costs the
 *       first time it is presented.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ValidatorBenchmark {

    private Key key;
    private String token;
    private String credential;
    private JwtCodec codec;
    private TokenValidator validator;
    private Map<String, TokenRecord> rows;
    private ThreadLocal<Mac> macs;
    static final int UNSEEN = 200_000;
    private String[] unseen;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        KeyRing.RingKey hs256 = BenchKeys.generate(SigningAlgorithm.HS256);
        key = hs256.verifying();
        codec = BenchKeys.codec(hs256);
        long now = System.currentTimeMillis();
        String tokenId = UUID.randomUUID().toString();
        TokenRecord row = new TokenRecord(tokenId, "org-1", "client-1", now, now + 3_600_000, false);
        Map<String, TokenRecord> all = new HashMap<>();
        all.put(tokenId, row);
        unseen = new String[UNSEEN];
        for (int i = 0; i < UNSEEN; i++) {
            String id = UUID.randomUUID().toString();
            all.put(id, new TokenRecord(id, "org-1", "client-1", now, now + 3_600_000, false));
            unseen[i] = "Bearer " + codec.sign("org-1", "client-1", id, now, now + 3_600_000);
        }
        rows = all;
        token = codec.sign("org-1", "client-1", tokenId, now, now + 3_600_000);
        credential = "Bearer " + token;
        TokenStates states = new TokenStates(id -> Optional.ofNullable(rows.get(id)));
        validator = new TokenValidator(codec, states, Clock.systemUTC());
        macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
        if (!floorJdkHmac() || !jose4jNoCache() || !codecOnly().isValid() || !validator().isAccepted()
                || !validatorUnseenTokens().isAccepted()) {
            throw new IllegalStateException("a benchmark does not accept the valid token");
        }
    }

    @Benchmark
    public boolean floorJdkHmac() {
        int lastDot = token.lastIndexOf('.');
        Mac mac = macs.get();
        byte[] expected = mac.doFinal(token.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII));
        byte[] presented = Base64.getUrlDecoder().decode(token.substring(lastDot + 1));
        return MessageDigest.isEqual(expected, presented);
    }

    @Benchmark
    public boolean jose4jNoCache() {
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setExpectedIssuer(JwtCodec.ISSUER)
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.HMAC_SHA256)
                .setVerificationKey(key)
                .build();
        try {
            JwtClaims claims = consumer.processToClaims(token);
            TokenRecord row = rows.get((String) claims.getClaimValue("token_id"));
            return row != null && !row.revoked();
        } catch (InvalidJwtException e) {
            return false;
        }
    }

    @Benchmark
    public JwtCodec.Decoded codecOnly() {
        return codec.decode(token);
    }

    @Benchmark
    public Verdict validator() {
        return validator.validateCredential(credential);
    }

    @Benchmark
    public Verdict validatorUnseenTokens() {
        next = next + 1 == UNSEEN ? 0 : next + 1;
        return validator.validateCredential(unseen[next]);
    }
}
