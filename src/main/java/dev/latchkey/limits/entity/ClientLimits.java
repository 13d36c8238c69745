package dev.latchkey.limits.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.Objects;

/**
 * An organization's limits per client, as the admin set them; a null column is "unlimited". The actions are the
 * contract's words ({@code refuse}, {@code revoke_oldest}, {@code close_oldest}).
 */
@Entity
@Table(name = "client_limits")
public class ClientLimits {

    @Id
    @Column(name = "org_id", length = 36)
    private String orgId;

    @Column(name = "max_active_tokens")
    private Integer maxActiveTokens;

    @Column(name = "tokens_on_limit", length = 16)
    private String tokensOnLimit;

    @Column(name = "max_sockets")
    private Integer maxSockets;

    @Column(name = "sockets_on_limit", length = 16)
    private String socketsOnLimit;

    @Column(name = "rate_per_second")
    private Integer ratePerSecond;

    @Column(name = "rate_burst")
    private Integer rateBurst;

    @Column(name = "updated_at", nullable = false)
    private long updatedAt;

    protected ClientLimits() {
    }

    public ClientLimits(String orgId) {
        this.orgId = Objects.requireNonNull(orgId);
    }

    /** Replaces every limit at once (a {@code PUT}); nulls remove a limit. */
    public void set(Integer maxActiveTokens, String tokensOnLimit, Integer maxSockets, String socketsOnLimit,
                    Integer ratePerSecond, Integer rateBurst, long at) {
        if ((maxActiveTokens == null) != (tokensOnLimit == null) || (maxSockets == null) != (socketsOnLimit == null)
                || (ratePerSecond == null) != (rateBurst == null)) {
            throw new IllegalArgumentException("a limit and its action (or a rate and its burst) come together");
        }
        this.maxActiveTokens = maxActiveTokens;
        this.tokensOnLimit = tokensOnLimit;
        this.maxSockets = maxSockets;
        this.socketsOnLimit = socketsOnLimit;
        this.ratePerSecond = ratePerSecond;
        this.rateBurst = rateBurst;
        this.updatedAt = at;
    }

    public String orgId() {
        return orgId;
    }

    public Integer maxActiveTokens() {
        return maxActiveTokens;
    }

    public String tokensOnLimit() {
        return tokensOnLimit;
    }

    public Integer maxSockets() {
        return maxSockets;
    }

    public String socketsOnLimit() {
        return socketsOnLimit;
    }

    public Integer ratePerSecond() {
        return ratePerSecond;
    }

    public Integer rateBurst() {
        return rateBurst;
    }

    public long updatedAt() {
        return updatedAt;
    }
}
