package dev.latchkey.orgs.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.util.Objects;

/** An org API key, kept only as the SHA-256 of its text. */
@Entity
@Table(name = "api_key")
@NamedQuery(name = ApiKey.BY_HASH, query = "SELECT k FROM ApiKey k WHERE k.keyHash = :keyHash")
@NamedQuery(name = ApiKey.BY_ORG, query = "SELECT k FROM ApiKey k WHERE k.orgId = :orgId ORDER BY k.createdAt, k.keyId")
@NamedQuery(name = ApiKey.ACTIVE_BY_ORG,
        query = "SELECT k FROM ApiKey k WHERE k.orgId = :orgId AND k.revokedAt IS NULL")
public class ApiKey {

    public static final String BY_HASH = "ApiKey.byHash";
    public static final String ACTIVE_BY_ORG = "ApiKey.activeByOrg";
    public static final String BY_ORG = "ApiKey.byOrg";

    @Id
    @Column(name = "key_id", length = 36)
    private String keyId;

    @Column(name = "org_id", nullable = false, length = 36)
    private String orgId;

    /** lowercase hex SHA-256 of the whole key text */
    @Column(name = "key_hash", nullable = false, length = 64)
    private String keyHash;

    @Column(name = "key_prefix", nullable = false, length = 16)
    private String keyPrefix;

    @Column(name = "created_at", nullable = false)
    private long createdAt;

    @Column(name = "last_used_at")
    private Long lastUsedAt;

    @Column(name = "revoked_at")
    private Long revokedAt;

    protected ApiKey() {
    }

    public ApiKey(String keyId, String orgId, String keyHash, String keyPrefix, long createdAt) {
        this.keyId = Objects.requireNonNull(keyId);
        this.orgId = Objects.requireNonNull(orgId);
        this.keyHash = Objects.requireNonNull(keyHash);
        this.keyPrefix = Objects.requireNonNull(keyPrefix);
        this.createdAt = createdAt;
    }

    public void revoke(long at) {
        if (revokedAt == null) {
            revokedAt = at;
        }
    }

    /** Records use, at most once a minute so that authentication is not a write on every request. */
    public void markUsed(long at) {
        if (lastUsedAt == null || at - lastUsedAt >= 60_000) {
            lastUsedAt = at;
        }
    }

    public boolean isRevoked() {
        return revokedAt != null;
    }

    public String keyId() {
        return keyId;
    }

    public String orgId() {
        return orgId;
    }

    public String keyHash() {
        return keyHash;
    }

    public String keyPrefix() {
        return keyPrefix;
    }

    public long createdAt() {
        return createdAt;
    }

    public Long lastUsedAt() {
        return lastUsedAt;
    }

    public Long revokedAt() {
        return revokedAt;
    }
}
