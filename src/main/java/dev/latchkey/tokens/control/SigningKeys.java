package dev.latchkey.tokens.control;

import dev.latchkey.platform.http.ApiError;
import dev.latchkey.platform.cache.CacheLease;
import dev.latchkey.platform.database.ChangeLog;
import dev.latchkey.platform.config.Settings;
import dev.latchkey.platform.operations.StartupFailure;
import dev.latchkey.platform.database.StartupLock;
import dev.latchkey.tokens.entity.SigningKey;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptors;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.security.Key;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Locale;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The signing keys of this service, the one {@link JwtCodec} built on them, and the public key set built from them.
 *
 * <p>With {@code LATCHKEY_JWT_SECRET} set, the first secret of that comma-separated list signs (HS256) and the
 * others keep verifying the tokens they signed, each under its own {@code kid} (derived from the secret); they are
 * never written to the database. Rotating one: put a new secret first, keep the old one second for the longest
 * token lifetime, then drop it.
 *
 * <p>Otherwise the keys live in the table {@code signing_key}, each made for one algorithm
 * ({@code LATCHKEY_SIGNING_ALG} when it was made: ES256, EdDSA or HS256), and move through
 * {@link SigningKey.State}: a NEXT key is made ahead and published in the key set, so that a verifier's cached
 * set already holds it when a rotation makes it CURRENT; the key it replaces becomes RETIRED and verifies its
 * tokens until the longest token lifetime (plus {@link #SPREAD_MILLIS}) has passed, then EXPIRED. At start, under
 * the startup lock (nodes starting together on one database agree), the ring is brought to
 * {@code LATCHKEY_SIGNING_ALG}: a current key of another algorithm is retired and a key of the configured one
 * signs from then on. Every unexpired key keeps verifying. A {@code kid} this node does not know makes it re-read
 * the table (at most every few seconds) and the table is re-read every minute anyway, which is how a key rotated
 * on another node reaches this one. Reads never lock: the ring and the key set are immutable snapshots behind
 * volatile fields.
 *
 * <p>Private keys stay here: they are decoded into the ring, used to sign, and never put in an answer, a log
 * line or an exception text.
 */
@Singleton
@Startup
@Interceptors(StartupFailure.class)
@DependsOn("SchemaMigrations")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long RELOAD_INTERVAL_MILLIS = 5_000;
    /**
     * How much longer than the longest token lifetime a retired key keeps verifying: a node that missed a rotation
     * signs with the old key until it re-reads the table, at most a minute later.
     */
    static final long SPREAD_MILLIS = 10 * 60_000;

    @PersistenceContext
    EntityManager em;

    @Inject
    Settings settings;

    @Inject
    Clock clock;

    private volatile KeyRing ring;
    private volatile String keySet = "{\"keys\":[]}";
    private volatile List<RingEntry> entries = List.of();
    private volatile long lastReload;
    /** The keys of {@code LATCHKEY_JWT_SECRET}, the signing one first; empty when it is not set. */
    private List<Map.Entry<String, Key>> configured;
    private JwtCodec codec;

    @Inject
    StartupLock startupLock;

    @Inject
    ChangeLog changeLog;

    @Inject
    CacheLease lease;

    /** Under the startup lock: nodes starting together on an empty database generate one first key. */
    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    void load() {
        startupLock.holdForTransaction(em);
        configured = settings.jwtSecret().map(SigningKeys::configuredKeys).orElse(List.of());
        if (configured.isEmpty()) {
            align(SigningAlgorithm.named(settings.signingAlg()));
        }
        reload();
        codec = new JwtCodec(() -> ring, this::unknownKid, settings.issuer());
    }

    public JwtCodec codec() {
        return codec;
    }

    /**
     * The public keys that may have signed a live token, and the next key, as an RFC 7517 JWK Set: {@code kid},
     * {@code kty}, {@code crv}, {@code x} (and {@code y} for ES256), {@code alg}, {@code use: "sig"}. HS256 keys
     * are never in it.
     */
    public String keySet() {
        return keySet;
    }

    /**
     * One key of the ring as an operator sees it: never key material.
     *
     * @param state {@code current}, {@code next} or {@code retired} (verifies the tokens it signed)
     * @param createdAt epoch milliseconds; null for a key of {@code LATCHKEY_JWT_SECRET}
     */
    public record RingEntry(String kid, String alg, String state, Long createdAt) {
    }

    /** The keys this node signs or verifies with, oldest first (those of {@code LATCHKEY_JWT_SECRET} last). */
    public List<RingEntry> entries() {
        return entries;
    }

    /**
     * Makes the next key the signing key and makes a new next key ({@code LATCHKEY_SIGNING_ALG}); the key that
     * signed until now keeps verifying its tokens. One rotation at a time across nodes (the startup lock).
     *
     * @return the kid of the key that signs from now on
     */
    public synchronized String rotate() {
        if (!configured.isEmpty()) {
            throw new ApiError(409, "The signing keys come from LATCHKEY_JWT_SECRET: rotate by putting a new secret "
                    + "first in that comma-separated list, keeping the old one after it");
        }
        startupLock.holdForTransaction(em);
        SigningAlgorithm alg = SigningAlgorithm.named(settings.signingAlg());
        long now = clock.millis();
        List<SigningKey> keys = usable();
        SigningKey next = last(keys, SigningKey.State.NEXT);
        if (next == null || !next.alg().equals(alg.jwsName())) {
            if (next != null) {
                next.expire(now); // published, never used: LATCHKEY_SIGNING_ALG changed since it was made
            }
            next = generate(alg, SigningKey.State.NEXT);
        }
        for (SigningKey key : keys) {
            if (key.state() == SigningKey.State.CURRENT) {
                key.retire(now);
            }
        }
        next.makeCurrent();
        generate(alg, SigningKey.State.NEXT);
        changeLog.record(em, ChangeLog.Kind.SIGNING_KEY, "", next.kid());
        em.flush();
        reload();
        LOG.info("Rotated the signing key: new tokens are signed with kid " + next.kid() + " (" + next.alg() + ")");
        return next.kid();
    }

    /**
     * Expires every retired key that no unexpired token can carry any more: it stopped signing more than the
     * longest token lifetime (plus {@link #SPREAD_MILLIS}) ago.
     */
    public synchronized int retireUnused(long now, long maxDurationMillis) {
        int expired = 0;
        for (SigningKey key : usable()) {
            Long stopped = key.stoppedSigningAt();
            if (key.state() == SigningKey.State.RETIRED && stopped != null
                    && now > stopped + maxDurationMillis + SPREAD_MILLIS) {
                em.merge(key).expire(now);
                expired++;
                LOG.info("Expired signing key " + key.kid() + ": no unexpired token can use it");
            }
        }
        if (expired > 0) {
            em.flush();
            reload();
        }
        return expired;
    }

    /** Picks up keys rotated or retired by other nodes sharing the database (a cluster calls it at once). */
    @Schedule(hour = "*", minute = "*", persistent = false)
    public void refresh() {
        reload();
    }

    /** Called by the codec for a kid it does not know: re-read the table, but not more often than every 5 s. */
    private KeyRing.RingKey unknownKid(String kid) {
        lease.ensure(); // in a cluster, a rotation answered elsewhere is in the ring once the lease is held
        KeyRing.RingKey replayed = ring.byKid(kid);
        if (replayed != null) {
            return replayed;
        }
        long now = clock.millis();
        if (now - lastReload < RELOAD_INTERVAL_MILLIS) {
            return null;
        }
        synchronized (this) {
            if (now - lastReload >= RELOAD_INTERVAL_MILLIS) {
                reload();
            }
        }
        return ring.byKid(kid);
    }

    /**
     * Brings the ring to {@code alg}: a current key of another algorithm retires (its tokens stay valid) and a key
     * of {@code alg} signs; a next key of another algorithm, never used, expires; a next key of {@code alg} is made
     * when there is none. On a database of an earlier version this is where the first ES256 key comes from.
     */
    private void align(SigningAlgorithm alg) {
        long now = clock.millis();
        List<SigningKey> keys = usable();
        SigningKey current = last(keys, SigningKey.State.CURRENT);
        SigningKey next = last(keys, SigningKey.State.NEXT);
        for (SigningKey key : keys) {
            if (key.state() == SigningKey.State.CURRENT && key != current) {
                key.retire(now); // two current keys (created in the same millisecond before version 4): one signs
            }
        }
        if (next != null && !next.alg().equals(alg.jwsName())) {
            next.expire(now);
            next = null;
        }
        if (current == null || !current.alg().equals(alg.jwsName())) {
            if (current != null) {
                current.retire(now);
                LOG.info("Signing key " + current.kid() + " (" + current.alg() + ") signs no more: LATCHKEY_SIGNING_ALG is "
                        + alg.jwsName() + "; it keeps verifying the tokens it signed");
            }
            if (next == null) {
                current = generate(alg, SigningKey.State.CURRENT);
            } else {
                next.makeCurrent();
                current = next;
                next = null;
            }
            changeLog.record(em, ChangeLog.Kind.SIGNING_KEY, "", current.kid());
        }
        if (next == null) {
            generate(alg, SigningKey.State.NEXT);
        }
        em.flush();
    }

    private synchronized void reload() {
        Map<String, KeyRing.RingKey> keys = new LinkedHashMap<>();
        List<String> published = new ArrayList<>();
        String active = null;
        String next = null;
        String newest = null;
        Map<String, Long> createdAt = new java.util.HashMap<>();
        for (SigningKey key : usable()) {
            createdAt.put(key.kid(), key.createdAt());
            SigningAlgorithm alg = SigningAlgorithm.named(key.alg());
            if (alg.isPublicKey()) {
                PublicKey publicKey = alg.publicKey(Base64.getUrlDecoder().decode(key.publicKey()));
                keys.put(key.kid(), new KeyRing.RingKey(alg, publicKey,
                        alg.privateKey(Base64.getUrlDecoder().decode(key.privateKey()))));
                published.add(jwk(key.kid(), alg, publicKey));
            } else {
                keys.put(key.kid(), KeyRing.RingKey.hmac(KeyRing.hmac(Base64.getUrlDecoder().decode(key.secret()))));
            }
            if (key.state() == SigningKey.State.CURRENT) {
                active = key.kid();
            } else if (key.state() == SigningKey.State.NEXT) {
                next = key.kid();
            }
            newest = key.kid();
        }
        for (Map.Entry<String, Key> key : configured) {
            keys.put(key.getKey(), KeyRing.RingKey.hmac(key.getValue()));
        }
        if (!configured.isEmpty()) {
            active = configured.get(0).getKey();
        } else if (active == null) {
            active = newest; // never after align(); a table another node is changing is read in one transaction
        }
        ring = new KeyRing(active, next, keys);
        keySet = "{\"keys\":[" + String.join(",", published) + "]}";
        List<RingEntry> described = new ArrayList<>();
        for (Map.Entry<String, KeyRing.RingKey> key : keys.entrySet()) {
            String kid = key.getKey();
            String state = kid.equals(active) ? "current" : kid.equals(next) ? "next" : "retired";
            described.add(new RingEntry(kid, key.getValue().alg().jwsName(), state, createdAt.get(kid)));
        }
        entries = List.copyOf(described);
        lastReload = clock.millis();
    }

    /** One key of the set: the public half only ({@code PUBLIC_ONLY}), whatever key object is passed. */
    private static String jwk(String kid, SigningAlgorithm alg, PublicKey publicKey) {
        try {
            PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(publicKey);
            jwk.setKeyId(kid);
            jwk.setAlgorithm(alg.jwsName());
            jwk.setUse("sig");
            return jwk.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        } catch (JoseException e) {
            throw new IllegalStateException("a public key cannot be written as a JWK", e);
        }
    }

    private static SigningKey last(List<SigningKey> keys, SigningKey.State state) {
        SigningKey found = null;
        for (SigningKey key : keys) {
            if (key.state() == state) {
                found = key;
            }
        }
        return found;
    }

    private List<SigningKey> usable() {
        return em.createNamedQuery(SigningKey.USABLE, SigningKey.class).getResultList();
    }

    private SigningKey generate(SigningAlgorithm alg, SigningKey.State state) {
        byte[] kidBytes = new byte[12];
        RANDOM.nextBytes(kidBytes);
        String kid = base64(kidBytes);
        long now = clock.millis();
        SigningKey key;
        if (alg.isPublicKey()) {
            KeyPair pair = alg.generate();
            key = SigningKey.pair(kid, alg.jwsName(), base64(pair.getPublic().getEncoded()),
                    base64(pair.getPrivate().getEncoded()), state, now);
        } else {
            byte[] secret = new byte[KeyRing.MIN_SECRET_BYTES];
            RANDOM.nextBytes(secret);
            key = SigningKey.hmac(kid, base64(secret), state, now);
        }
        em.persist(key);
        em.flush();
        LOG.info("Generated a signing key (" + alg.jwsName() + ", kid " + kid + ", "
                + state.name().toLowerCase(Locale.ROOT) + ") and stored it in the database");
        return key;
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** {@code LATCHKEY_JWT_SECRET} as a comma-separated list of secrets; blank entries are ignored. */
    static List<Map.Entry<String, Key>> configuredKeys(String text) {
        List<Map.Entry<String, Key>> keys = new ArrayList<>();
        for (String secret : text.split(",")) {
            if (!secret.isBlank()) {
                keys.add(configuredKey(secret));
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalStateException("LATCHKEY_JWT_SECRET holds no secret");
        }
        return List.copyOf(keys);
    }

    private static Map.Entry<String, Key> configuredKey(String text) {
        byte[] secret;
        try {
            secret = Base64.getUrlDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("LATCHKEY_JWT_SECRET must be base64url");
        }
        if (secret.length < KeyRing.MIN_SECRET_BYTES) {
            throw new IllegalStateException("LATCHKEY_JWT_SECRET must decode to at least "
                    + KeyRing.MIN_SECRET_BYTES + " bytes");
        }
        String kid = "env-" + HexFormat.of().formatHex(sha256(secret)).substring(0, 16);
        return Map.entry(kid, KeyRing.hmac(secret));
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
