package dev.latchkey.tokens.control;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Key;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import org.jose4j.jws.AlgorithmIdentifiers;

/**
 * The JWS algorithms Latchkey signs with ({@code LATCHKEY_SIGNING_ALG}), by their RFC 7518 / RFC 8037 names. A key
 * is made for one of them and verifies only tokens whose {@code alg} header names that one (RFC 8725, section 3.1).
 */
public enum SigningAlgorithm {
    /** HMAC with SHA-256 (RFC 7518, 3.2): a shared secret, never published. */
    HS256(AlgorithmIdentifiers.HMAC_SHA256, null),
    /** ECDSA on P-256 with SHA-256 (RFC 7518, 3.4). */
    ES256(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, "EC"),
    /** Ed25519 (RFC 8037, 3.1). */
    EdDSA(AlgorithmIdentifiers.EDDSA, "Ed25519");

    private final String jwsName;
    private final String keyFactory;

    SigningAlgorithm(String jwsName, String keyFactory) {
        this.jwsName = jwsName;
        this.keyFactory = keyFactory;
    }

    /** The name in a token's {@code alg} header and in the key set. */
    public String jwsName() {
        return jwsName;
    }

    /** Whether the key has a public half that may be published; HS256 keys have none. */
    public boolean isPublicKey() {
        return keyFactory != null;
    }

    /** The algorithm of an exact name ({@code HS256}, {@code ES256}, {@code EdDSA}), as in RFC 7518: case counts. */
    public static SigningAlgorithm named(String name) {
        for (SigningAlgorithm alg : values()) {
            if (alg.jwsName.equals(name)) {
                return alg;
            }
        }
        throw new IllegalArgumentException("not one of HS256, ES256, EdDSA");
    }

    /** A new key pair (ES256 and EdDSA). */
    KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(keyFactory);
            if (this == ES256) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(jwsName + " key generation is part of every Java 17 runtime", e);
        }
    }

    /** The public key of its X.509 SubjectPublicKeyInfo encoding. */
    PublicKey publicKey(byte[] x509) {
        try {
            return KeyFactory.getInstance(keyFactory).generatePublic(new X509EncodedKeySpec(x509));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a stored " + jwsName + " public key does not decode", e);
        }
    }

    /**
     * The same key as Bouncy Castle's own object ({@link SignatureProvider}), which its signatures use without
     * converting the key on every call. HS256 secrets, and an Ed25519 key jose4j would refuse (one without the
     * JDK's {@code EdECKey} interfaces, should a server load Bouncy Castle without its Java 15 classes), stay as
     * they are: Bouncy Castle converts those itself. The exception never carries the key.
     */
    Key forSignatures(Key key) {
        if (!isPublicKey()) {
            return key;
        }
        try {
            KeyFactory factory = KeyFactory.getInstance(keyFactory, SignatureProvider.get());
            Key own = key instanceof PrivateKey
                    ? factory.generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()))
                    : factory.generatePublic(new X509EncodedKeySpec(key.getEncoded()));
            boolean joseTakes = this != EdDSA || own instanceof EdECPrivateKey || own instanceof EdECPublicKey;
            return joseTakes ? own : key;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a " + jwsName + " key does not convert for signing");
        }
    }

    /** The private key of its PKCS#8 encoding. The exception never carries the key. */
    PrivateKey privateKey(byte[] pkcs8) {
        try {
            return KeyFactory.getInstance(keyFactory).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a stored " + jwsName + " private key does not decode");
        }
    }
}
