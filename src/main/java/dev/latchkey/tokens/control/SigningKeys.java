package dev.latchkey.tokens.control;

import dev.latchkey.platform.ApiError;
import dev.latchkey.platform.CacheLease;
import dev.latchkey.platform.ChangeLog;
import dev.latchkey.platform.Settings;
import dev.latchkey.platform.StartupFailure;
import dev.latchkey.platform.StartupLock;
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
 * The signing keys of this service and the one {@link JwtCodec} built on them.
 *
 * <p>With {@code LATCHKEY_JWT_SECRET} set, the first secret of that comma-separated list signs and the others keep
 * verifying the tokens they signed, each under its own {@code kid} (derived from the secret); they are never written
 * to the database. Rotating one: put a new secret first, keep the old one second for the longest token lifetime,
 * then drop it. Otherwise
 * the newest generated key in the database signs, and a first one is generated on the first start, so that
 * restarts and other nodes on the same database agree. Every unretired key in the database keeps validating
 * the tokens it signed. A {@code kid} this node does not know makes it re-read the table (at most every few
 * seconds) and the table is re-read every minute anyway, which is how a key rotated on another node reaches
 * this one. Reads never lock: the ring is an
 * immutable snapshot behind a volatile field.
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

    @PersistenceContext
    EntityManager em;

    @Inject
    Settings settings;

    @Inject
    Clock clock;

    private volatile KeyRing ring;
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
        if (configured.isEmpty() && usable().isEmpty()) {
            generate();
        }
        reload();
        codec = new JwtCodec(() -> ring, this::unknownKid);
    }

    public JwtCodec codec() {
        return codec;
    }

    /** Makes a new generated key the signing key; older keys keep validating until retired. */
    public synchronized String rotate() {
        if (!configured.isEmpty()) {
            throw new ApiError(409, "The signing keys come from LATCHKEY_JWT_SECRET: rotate by putting a new secret "
                    + "first in that comma-separated list, keeping the old one after it");
        }
        String kid = generate();
        changeLog.record(em, ChangeLog.Kind.SIGNING_KEY, "", kid);
        reload();
        LOG.info("Rotated the signing key: new tokens are signed with kid " + kid);
        return kid;
    }

    /**
     * Retires every generated key that no unexpired token can carry any more: a key stopped signing when its
     * successor was created, and no token lives longer than the longest duration allowed.
     */
    public synchronized int retireUnused(long now, long maxDurationMillis) {
        List<SigningKey> keys = usable();
        int retired = 0;
        for (int i = 0; i < keys.size() - 1; i++) {
            long stoppedSigning = keys.get(i + 1).createdAt();
            if (now > stoppedSigning + maxDurationMillis) {
                em.merge(keys.get(i)).retire(now);
                retired++;
                LOG.info("Retired signing key " + keys.get(i).kid() + ": no unexpired token can use it");
            }
        }
        if (retired > 0) {
            reload();
        }
        return retired;
    }

    /** Picks up keys rotated or retired by other nodes sharing the database (a cluster calls it at once). */
    @Schedule(hour = "*", minute = "*", persistent = false)
    public void refresh() {
        reload();
    }

    /** Called by the codec for a kid it does not know: re-read the table, but not more often than every 5 s. */
    private Key unknownKid(String kid) {
        lease.ensure(); // in a cluster, a rotation answered elsewhere is in the ring once the lease is held
        Key replayed = ring.byKid(kid);
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

    private synchronized void reload() {
        Map<String, Key> keys = new LinkedHashMap<>();
        String active = null;
        for (SigningKey key : usable()) {
            keys.put(key.kid(), KeyRing.hmac(Base64.getUrlDecoder().decode(key.secret())));
            active = key.kid();
        }
        for (Map.Entry<String, Key> key : configured) {
            keys.put(key.getKey(), key.getValue());
        }
        if (!configured.isEmpty()) {
            active = configured.get(0).getKey();
        }
        ring = new KeyRing(active, keys);
        lastReload = clock.millis();
    }

    private List<SigningKey> usable() {
        return em.createNamedQuery(SigningKey.USABLE, SigningKey.class).getResultList();
    }

    private String generate() {
        byte[] secret = new byte[KeyRing.MIN_SECRET_BYTES];
        RANDOM.nextBytes(secret);
        byte[] kid = new byte[12];
        RANDOM.nextBytes(kid);
        SigningKey key = new SigningKey(Base64.getUrlEncoder().withoutPadding().encodeToString(kid),
                Base64.getUrlEncoder().withoutPadding().encodeToString(secret), clock.millis());
        em.persist(key);
        em.flush();
        LOG.info("Generated a signing key (kid " + key.kid() + ") and stored it in the database");
        return key.kid();
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
