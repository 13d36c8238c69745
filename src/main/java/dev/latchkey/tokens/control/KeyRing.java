package dev.latchkey.tokens.control;

import java.security.Key;
import java.util.Map;
import java.util.Objects;
import org.jose4j.keys.HmacKey;

/** The signing keys this service knows, by {@code kid}, and the one that signs new tokens. */
public record KeyRing(String activeKid, Map<String, Key> keys) {

    /** HMAC-SHA256 needs at least 256 bits of key. */
    public static final int MIN_SECRET_BYTES = 32;

    public KeyRing {
        keys = Map.copyOf(keys);
        if (!keys.containsKey(Objects.requireNonNull(activeKid))) {
            throw new IllegalArgumentException("the active key must be in the ring");
        }
    }

    public static Key hmac(byte[] secret) {
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("an HMAC-SHA256 secret needs at least " + MIN_SECRET_BYTES + " bytes");
        }
        return new HmacKey(secret);
    }

    public Key active() {
        return keys.get(activeKid);
    }

    /** The key for a {@code kid}, or null: only our own table can select a key. */
    public Key byKid(String kid) {
        return kid == null ? null : keys.get(kid);
    }
}
