package dev.latchkey.tokens.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.util.Objects;

/** A generated HMAC-SHA256 key, named by the {@code kid} header of the tokens it signs. */
@Entity
@Table(name = "signing_key")
@NamedQuery(name = SigningKey.USABLE, query = "SELECT k FROM SigningKey k WHERE k.retiredAt IS NULL ORDER BY k.createdAt")
public class SigningKey {

    public static final String USABLE = "SigningKey.usable";

    @Id
    @Column(name = "kid", length = 64)
    private String kid;

    /** base64url, unpadded */
    @Column(name = "secret", nullable = false, length = 128)
    private String secret;

    @Column(name = "created_at", nullable = false)
    private long createdAt;

    @Column(name = "retired_at")
    private Long retiredAt;

    protected SigningKey() {
    }

    public SigningKey(String kid, String secret, long createdAt) {
        this.kid = Objects.requireNonNull(kid);
        this.secret = Objects.requireNonNull(secret);
        this.createdAt = createdAt;
    }

    /** Retires the key: it no longer validates anything. */
    public void retire(long at) {
        if (retiredAt == null) {
            retiredAt = at;
        }
    }

    public String kid() {
        return kid;
    }

    public String secret() {
        return secret;
    }

    public long createdAt() {
        return createdAt;
    }
}
