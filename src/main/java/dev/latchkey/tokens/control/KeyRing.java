package dev.latchkey.tokens.control;

import java.security.Key;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jose4j.keys.HmacKey;

/**
 * The signing keys this service knows, by {@code kid}, in the order they were made: the one that signs new tokens
 * ({@code activeKid}), the one the next rotation makes current ({@code nextKid}, null when there is none), and
 * older ones that still verify.
 */
public record KeyRing(String activeKid, String nextKid, Map<String, RingKey> keys) {

    /** HMAC-SHA256 needs at least 256 bits of key. */
    public static final int MIN_SECRET_BYTES = 32;

    /**
     * One key: the only algorithm its tokens may name, the key that verifies them and the key that signs (the same
     * secret for HS256; the public and the private half of a pair otherwise).
     */
    public record RingKey(SigningAlgorithm alg, Key verifying, Key signing) {

        /** ES256 and EdDSA keys are held as the signature provider's own objects ({@link SignatureProvider}). */
        public RingKey {
            Objects.requireNonNull(alg);
            verifying = alg.forSignatures(Objects.requireNonNull(verifying));
            signing = alg.forSignatures(Objects.requireNonNull(signing));
        }

        public static RingKey hmac(Key secret) {
            return new RingKey(SigningAlgorithm.HS256, secret, secret);
        }
    }

    public KeyRing {
        keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
        if (!keys.containsKey(Objects.requireNonNull(activeKid))) {
            throw new IllegalArgumentException("the active key must be in the ring");
        }
        if (nextKid != null && !keys.containsKey(nextKid)) {
            throw new IllegalArgumentException("the next key must be in the ring");
        }
    }

    /** A ring of HS256 secrets and no next key (as {@code LATCHKEY_JWT_SECRET} gives them). */
    public KeyRing(String activeKid, Map<String, Key> secrets) {
        this(activeKid, null, hmacKeys(secrets));
    }

    private static Map<String, RingKey> hmacKeys(Map<String, Key> secrets) {
        Map<String, RingKey> keys = new LinkedHashMap<>();
        secrets.forEach((kid, secret) -> keys.put(kid, RingKey.hmac(secret)));
        return keys;
    }

    public static Key hmac(byte[] secret) {
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("an HMAC-SHA256 secret needs at least " + MIN_SECRET_BYTES + " bytes");
        }
        return new HmacKey(secret);
    }

    public RingKey active() {
        return keys.get(activeKid);
    }

    /** The key for a {@code kid}, or null: only our own table can select a key. */
    public RingKey byKid(String kid) {
        return kid == null ? null : keys.get(kid);
    }
}
