package dev.latchkey.orgs.control;

import dev.latchkey.platform.http.ApiError;
import dev.latchkey.platform.database.DatabaseBreakers;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import dev.latchkey.orgs.entity.ApiKey;
import dev.latchkey.orgs.entity.Organization;
import dev.latchkey.platform.database.ChangeLog;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Organizations and their API keys in the database. */
@Stateless
@CircuitBreaker(requestVolumeThreshold = DatabaseBreakers.VOLUME, failureRatio = DatabaseBreakers.FAILURE_RATIO,
        delay = DatabaseBreakers.DELAY_MILLIS, skipOn = ApiError.class)
public class Organizations {

    @PersistenceContext
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    ChangeLog changeLog;

    /** The organization holding the key with this hash, if the key exists and is not revoked (see {@link OrgKeys}). */
    public Optional<OrgPrincipal> authenticateHash(String hash) {
        List<ApiKey> found = em.createNamedQuery(ApiKey.BY_HASH, ApiKey.class)
                .setParameter("keyHash", hash)
                .getResultList();
        for (ApiKey key : found) {
            if (ApiKeys.sameHash(key.keyHash(), hash) && !key.isRevoked()) {
                key.markUsed(clock.millis());
                return Optional.of(new OrgPrincipal(key.orgId(), key.keyId()));
            }
        }
        return Optional.empty();
    }

    /** Every organization, oldest first. */
    public List<Organization> all() {
        return em.createNamedQuery(Organization.ALL, Organization.class).getResultList();
    }

    public long count() {
        return em.createNamedQuery(Organization.COUNT, Long.class).getSingleResult();
    }

    public Optional<Organization> byName(String name) {
        return em.createNamedQuery(Organization.BY_NAME, Organization.class)
                .setParameter("name", name)
                .getResultStream()
                .findFirst();
    }

    public Organization create(String name) {
        Organization org = new Organization(UUID.randomUUID().toString(), name, clock.millis());
        em.persist(org);
        em.flush(); // keys reference the organization: its row goes first
        return org;
    }

    public record Created(Organization org, ApiKey key) {
    }

    /** A new organization and its first key, in one transaction. */
    public Created createWithKey(String name, String keyText) {
        Organization org = create(name);
        return new Created(org, addKey(org.orgId(), keyText));
    }

    /** Adds a key to an organization; the caller has the key text, the database only its hash. */
    public ApiKey addKey(String orgId, String keyText) {
        ApiKey key = new ApiKey(UUID.randomUUID().toString(), orgId, ApiKeys.hash(keyText),
                ApiKeys.prefix(keyText), clock.millis());
        em.persist(key);
        return key;
    }

    public Optional<ApiKey> keyByText(String keyText) {
        return em.createNamedQuery(ApiKey.BY_HASH, ApiKey.class)
                .setParameter("keyHash", ApiKeys.hash(keyText))
                .getResultStream()
                .findFirst();
    }

    public Optional<Organization> find(String orgId) {
        return Optional.ofNullable(em.find(Organization.class, orgId));
    }

    /** Every key of an organization, oldest first, revoked ones included. */
    public List<ApiKey> keys(String orgId) {
        return em.createNamedQuery(ApiKey.BY_ORG, ApiKey.class).setParameter("orgId", orgId).getResultList();
    }

    /** Revokes an org key at once; false if there is no such key. Revoking again succeeds. */
    public boolean revokeKey(String keyId) {
        ApiKey key = em.find(ApiKey.class, keyId);
        if (key == null) {
            return false;
        }
        key.revoke(clock.millis());
        changeLog.record(em, ChangeLog.Kind.ORG_KEY, key.orgId(), keyId);
        return true;
    }

    public List<ApiKey> activeKeys(String orgId) {
        return em.createNamedQuery(ApiKey.ACTIVE_BY_ORG, ApiKey.class).setParameter("orgId", orgId).getResultList();
    }

    public long now() {
        return clock.millis();
    }
}
