package dev.latchkey.tokens.control;

import dev.latchkey.platform.Settings;
import dev.latchkey.tokens.entity.SigningKey;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The signing keys of this service and the one {@link JwtCodec} built on them.
 * With {@code LATCHKEY_JWT_SECRET} set, that secret signs (it is never written to the database);
 * otherwise a random key is generated on the first start and kept in the database, so that restarts
 * and other nodes on the same database agree. Keys already in the database keep validating the tokens
 * they signed. Reads never lock: the ring is an immutable snapshot behind a volatile field.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrations")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    @PersistenceContext
    EntityManager em;

    @Inject
    Settings settings;

    @Inject
    Clock clock;

    private volatile KeyRing ring;
    private JwtCodec codec;

    @PostConstruct
    void load() {
        Map<String, Key> keys = new LinkedHashMap<>();
        List<SigningKey> stored = em.createNamedQuery(SigningKey.USABLE, SigningKey.class).getResultList();
        for (SigningKey key : stored) {
            keys.put(key.kid(), KeyRing.hmac(Base64.getUrlDecoder().decode(key.secret())));
        }
        String active;
        if (settings.jwtSecret().isPresent()) {
            byte[] secret = configuredSecret(settings.jwtSecret().get());
            active = "env-" + HexFormat.of().formatHex(sha256(secret)).substring(0, 16);
            keys.put(active, KeyRing.hmac(secret));
        } else if (stored.isEmpty()) {
            byte[] secret = new byte[KeyRing.MIN_SECRET_BYTES];
            RANDOM.nextBytes(secret);
            SigningKey generated = new SigningKey(randomKid(),
                    Base64.getUrlEncoder().withoutPadding().encodeToString(secret), clock.millis());
            em.persist(generated);
            keys.put(generated.kid(), KeyRing.hmac(secret));
            active = generated.kid();
            LOG.info("Generated a signing key (kid " + active + ") and stored it in the database");
        } else {
            active = stored.get(stored.size() - 1).kid();
        }
        ring = new KeyRing(active, keys);
        codec = new JwtCodec(() -> ring);
    }

    public JwtCodec codec() {
        return codec;
    }

    private static byte[] configuredSecret(String text) {
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
        return secret;
    }

    private static String randomKid() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
