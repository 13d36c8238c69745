package dev.latchkey.gateway.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.Objects;

/**
 * An organization's API behind Latchkey: the base URL client requests are forwarded to, the optional URL their
 * WebSocket messages are POSTed to, and the secret Latchkey signs both with. The secret must be readable to sign
 * with, so it is kept as it is (unlike org keys, which are only verified and kept as hashes).
 */
@Entity
@Table(name = "upstream")
public class Upstream {

    @Id
    @Column(name = "org_id", length = 36)
    private String orgId;

    @Column(name = "url", nullable = false, length = 2048)
    private String url;

    @Column(name = "messages_url", length = 2048)
    private String messagesUrl;

    @Column(name = "signing_secret", nullable = false, length = 128)
    private String signingSecret;

    @Column(name = "updated_at", nullable = false)
    private long updatedAt;

    protected Upstream() {
    }

    public Upstream(String orgId, String url, String messagesUrl, String signingSecret, long updatedAt) {
        this.orgId = Objects.requireNonNull(orgId);
        this.signingSecret = Objects.requireNonNull(signingSecret);
        point(url, messagesUrl, updatedAt);
    }

    /** Points the organization at new URLs; the secret stays. */
    public void point(String url, String messagesUrl, long at) {
        this.url = Objects.requireNonNull(url);
        this.messagesUrl = messagesUrl;
        this.updatedAt = at;
    }

    public String orgId() {
        return orgId;
    }

    public String url() {
        return url;
    }

    /** Null when client messages are not forwarded. */
    public String messagesUrl() {
        return messagesUrl;
    }

    public String signingSecret() {
        return signingSecret;
    }

    public long updatedAt() {
        return updatedAt;
    }
}
