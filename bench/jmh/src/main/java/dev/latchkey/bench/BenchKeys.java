package dev.latchkey.bench;

import dev.latchkey.tokens.control.JwtCodec;
import dev.latchkey.tokens.control.KeyRing;
import dev.latchkey.tokens.control.SigningAlgorithm;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Map;

/** The benchmarks' signing keys: one fresh key and a codec whose ring holds only that key, as the server's would. */
final class BenchKeys {

    private BenchKeys() {
    }

    /**
     * A fresh key: a random 32-byte secret for HS256, a P-256 pair for ES256, an Ed25519 pair for EdDSA.
     *
     * @throws IllegalStateException when the JDK lacks the algorithm
     */
    static KeyRing.RingKey generate(SigningAlgorithm algorithm) {
        if (algorithm == SigningAlgorithm.HS256) {
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            return KeyRing.RingKey.hmac(KeyRing.hmac(secret));
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm == SigningAlgorithm.ES256 ? "EC" : "Ed25519");
            if (algorithm == SigningAlgorithm.ES256) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            }
            KeyPair pair = generator.generateKeyPair();
            return new KeyRing.RingKey(algorithm, pair.getPublic(), pair.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " keys cannot be made on this JDK", e);
        }
    }

    /** A codec signing and verifying with {@code key} alone, under the kid {@code k1}. */
    static JwtCodec codec(KeyRing.RingKey key) {
        KeyRing ring = new KeyRing("k1", null, Map.of("k1", key));
        return new JwtCodec(() -> ring);
    }
}
