package dev.latchkey.tokens.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.util.Objects;

/**
 * A generated signing key, named by the {@code kid} header of the tokens it signs: an HMAC-SHA256 secret, or an
 * ES256 or EdDSA key pair. Its algorithm is fixed when it is made. A key moves through {@link State} in order.
 */
@Entity
@Table(name = "signing_key")
@NamedQuery(name = SigningKey.USABLE, query = "SELECT k FROM SigningKey k WHERE k.retiredAt IS NULL ORDER BY k.createdAt")
public class SigningKey {

    public static final String USABLE = "SigningKey.usable";

    /** Where a key is in its life; only {@code EXPIRED} keys verify nothing. */
    public enum State {
        /** Published in the key set ahead of time; signs after the next rotation. */
        NEXT,
        /** Signs new tokens. */
        CURRENT,
        /** Signs no more; verifies the tokens it signed until the last of them has expired. */
        RETIRED,
        /** No token it signed is still alive: it verifies nothing. */
        EXPIRED
    }

    @Id
    @Column(name = "kid", length = 64)
    private String kid;

    /** {@code HS256}, {@code ES256} or {@code EdDSA}. */
    @Column(name = "alg", nullable = false, length = 16)
    private String alg;

    /** HS256 only: base64url, unpadded. */
    @Column(name = "secret", length = 128)
    private String secret;

    /** ES256 and EdDSA: the X.509 SubjectPublicKeyInfo, base64url, unpadded. */
    @Column(name = "public_key", length = 512)
    private String publicKey;

    /** ES256 and EdDSA: the PKCS#8 private key, base64url, unpadded. Never leaves the server. */
    @Column(name = "private_key", length = 512)
    private String privateKey;

    @Enumerated(EnumType.STRING)
    @Column(name = "state", nullable = false, length = 16)
    private State state;

    @Column(name = "created_at", nullable = false)
    private long createdAt;

    @Column(name = "stopped_signing_at")
    private Long stoppedSigningAt;

    /** When the key stopped verifying (EXPIRED); the column's name is older than the states. */
    @Column(name = "retired_at")
    private Long retiredAt;

    protected SigningKey() {
    }

    private SigningKey(String kid, String alg, String secret, String publicKey, String privateKey, State state,
                       long createdAt) {
        this.kid = Objects.requireNonNull(kid);
        this.alg = Objects.requireNonNull(alg);
        this.secret = secret;
        this.publicKey = publicKey;
        this.privateKey = privateKey;
        this.state = Objects.requireNonNull(state);
        this.createdAt = createdAt;
    }

    /** An HS256 key. */
    public static SigningKey hmac(String kid, String secret, State state, long createdAt) {
        return new SigningKey(kid, "HS256", Objects.requireNonNull(secret), null, null, state, createdAt);
    }

    /** An ES256 or EdDSA key pair, both halves base64url of their standard encodings (X.509, PKCS#8). */
    public static SigningKey pair(String kid, String alg, String publicKey, String privateKey, State state,
                                  long createdAt) {
        return new SigningKey(kid, alg, null, Objects.requireNonNull(publicKey), Objects.requireNonNull(privateKey),
                state, createdAt);
    }

    /** The next key becomes the signing one. */
    public void makeCurrent() {
        state = State.CURRENT;
    }

    /** Stops signing at {@code at}; keeps verifying what it signed. */
    public void retire(long at) {
        if (state == State.CURRENT || state == State.NEXT) {
            state = State.RETIRED;
            stoppedSigningAt = at;
        }
    }

    /** Stops verifying: no token it signed is alive any more (or, for a NEXT key, it never signed one). */
    public void expire(long at) {
        if (retiredAt == null) {
            state = State.EXPIRED;
            retiredAt = at;
        }
    }

    public String kid() {
        return kid;
    }

    public String alg() {
        return alg;
    }

    public String secret() {
        return secret;
    }

    public String publicKey() {
        return publicKey;
    }

    public String privateKey() {
        return privateKey;
    }

    public State state() {
        return state;
    }

    public long createdAt() {
        return createdAt;
    }

    /** When it stopped signing; null while it is NEXT or CURRENT. */
    public Long stoppedSigningAt() {
        return stoppedSigningAt;
    }
}
