package dev.latchkey.tokens.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.util.Objects;

/** One minted client token: who it is for, how long it lives, whether it was revoked. */
@Entity
@Table(name = "client_token")
@NamedQuery(name = ClientToken.PAGE_BY_CLIENT, query = "SELECT t FROM ClientToken t"
        + " WHERE t.orgId = :orgId AND t.clientId = :clientId"
        + " AND (t.issuedAt < :issuedAt OR (t.issuedAt = :issuedAt AND t.tokenId < :tokenId))"
        + " ORDER BY t.issuedAt DESC, t.tokenId DESC")
@NamedQuery(name = ClientToken.PAGE_BY_ORG, query = "SELECT t FROM ClientToken t"
        + " WHERE t.orgId = :orgId"
        + " AND (t.issuedAt < :issuedAt OR (t.issuedAt = :issuedAt AND t.tokenId < :tokenId))"
        + " ORDER BY t.issuedAt DESC, t.tokenId DESC")
@NamedQuery(name = ClientToken.REVOKE_CLIENT, query = "UPDATE ClientToken t"
        + " SET t.revokedAt = :now, t.revocationReason = :reason"
        + " WHERE t.orgId = :orgId AND t.clientId = :clientId AND t.revokedAt IS NULL AND t.expiresAt > :now")
@NamedQuery(name = ClientToken.EXPIRED_BEFORE, query = "SELECT t.tokenId FROM ClientToken t"
        + " WHERE t.expiresAt < :cutoff ORDER BY t.expiresAt")
@NamedQuery(name = ClientToken.DELETE_IDS, query = "DELETE FROM ClientToken t WHERE t.tokenId IN :ids")
@NamedQuery(name = ClientToken.COUNT_LIVE, query = "SELECT COUNT(t) FROM ClientToken t"
        + " WHERE t.orgId = :orgId AND t.clientId = :clientId AND t.revokedAt IS NULL AND t.expiresAt > :now")
@NamedQuery(name = ClientToken.OLDEST_LIVE, query = "SELECT t FROM ClientToken t"
        + " WHERE t.orgId = :orgId AND t.clientId = :clientId AND t.revokedAt IS NULL AND t.expiresAt > :now"
        + " ORDER BY t.issuedAt, t.tokenId")
public class ClientToken {

    public static final String PAGE_BY_CLIENT = "ClientToken.pageByClient";
    public static final String PAGE_BY_ORG = "ClientToken.pageByOrg";
    public static final String REVOKE_CLIENT = "ClientToken.revokeClient";
    public static final String EXPIRED_BEFORE = "ClientToken.expiredBefore";
    public static final String DELETE_IDS = "ClientToken.deleteIds";
    public static final String COUNT_LIVE = "ClientToken.countLive";
    public static final String OLDEST_LIVE = "ClientToken.oldestLive";

    @Id
    @Column(name = "token_id", length = 36)
    private String tokenId;

    @Column(name = "org_id", nullable = false, length = 36)
    private String orgId;

    @Column(name = "client_id", nullable = false, length = 255)
    private String clientId;

    @Column(name = "issued_at", nullable = false)
    private long issuedAt;

    @Column(name = "expires_at", nullable = false)
    private long expiresAt;

    @Column(name = "revoked_at")
    private Long revokedAt;

    @Column(name = "revocation_reason", length = 1024)
    private String revocationReason;

    @Column(name = "metadata", nullable = false, length = 16384)
    private String metadata;

    protected ClientToken() {
    }

    public ClientToken(String tokenId, String orgId, String clientId, long issuedAt, long expiresAt, String metadata) {
        if (expiresAt <= issuedAt) {
            throw new IllegalArgumentException("a token must expire after it is issued");
        }
        this.tokenId = Objects.requireNonNull(tokenId);
        this.orgId = Objects.requireNonNull(orgId);
        this.clientId = Objects.requireNonNull(clientId);
        this.issuedAt = issuedAt;
        this.expiresAt = expiresAt;
        this.metadata = Objects.requireNonNull(metadata);
    }

    /** Revokes the token; revoking again keeps the first time and reason. */
    public void revoke(String reason, long at) {
        if (revokedAt == null) {
            revokedAt = at;
            revocationReason = reason;
        }
    }

    public boolean isRevoked() {
        return revokedAt != null;
    }

    public String tokenId() {
        return tokenId;
    }

    public String orgId() {
        return orgId;
    }

    public String clientId() {
        return clientId;
    }

    public long issuedAt() {
        return issuedAt;
    }

    public long expiresAt() {
        return expiresAt;
    }

    public Long revokedAt() {
        return revokedAt;
    }

    public String revocationReason() {
        return revocationReason;
    }

    public String metadata() {
        return metadata;
    }
}
