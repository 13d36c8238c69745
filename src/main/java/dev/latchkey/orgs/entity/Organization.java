package dev.latchkey.orgs.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.util.Objects;

/** A tenant: its tokens, clients and keys are invisible to every other organization. */
@Entity
@Table(name = "organization")
@NamedQuery(name = Organization.BY_NAME, query = "SELECT o FROM Organization o WHERE o.name = :name")
@NamedQuery(name = Organization.ALL, query = "SELECT o FROM Organization o ORDER BY o.createdAt, o.orgId")
@NamedQuery(name = Organization.COUNT, query = "SELECT COUNT(o) FROM Organization o")
public class Organization {

    public static final String BY_NAME = "Organization.byName";
    public static final String COUNT = "Organization.count";
    public static final String ALL = "Organization.all";

    @Id
    @Column(name = "org_id", length = 36)
    private String orgId;

    @Column(name = "name", nullable = false, length = 255)
    private String name;

    @Column(name = "created_at", nullable = false)
    private long createdAt;

    protected Organization() {
    }

    public Organization(String orgId, String name, long createdAt) {
        this.orgId = Objects.requireNonNull(orgId);
        this.name = Objects.requireNonNull(name);
        this.createdAt = createdAt;
    }

    public String orgId() {
        return orgId;
    }

    public String name() {
        return name;
    }

    public long createdAt() {
        return createdAt;
    }
}
