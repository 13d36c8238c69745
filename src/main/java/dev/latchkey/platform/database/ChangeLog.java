package dev.latchkey.platform.database;

import dev.latchkey.platform.config.Settings;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * Writes a committed change that other nodes must apply into the table {@code change_log}, in the caller's
 * transaction, so the change and its log row commit together. Only in a cluster (PostgreSQL); a node that runs
 * alone writes nothing. Writers take an exclusive lock on the table first, held until they commit: sequence numbers
 * then become visible in order, and a reader that has seen number {@code n} has seen every smaller one.
 */
@ApplicationScoped
public class ChangeLog {

    /**
     * What changed: the subject is a token_id, a client_id, an org key's key_id, a signing key's kid, or (LIMITS,
     * an organization's limits per client) the org_id.
     */
    public enum Kind { TOKEN, CLIENT, ORG_KEY, SIGNING_KEY, LIMITS }

    @Inject
    Settings settings;

    /**
     * Records a change inside the caller's (JTA) transaction; the caller commits it.
     *
     * @param orgId the organization concerned, or "" for a change of the whole service (a signing key)
     */
    public void record(EntityManager em, Kind kind, String orgId, String subject) {
        if (!settings.clustered()) {
            return;
        }
        em.createNativeQuery("LOCK TABLE change_log IN EXCLUSIVE MODE").executeUpdate();
        em.createNativeQuery("INSERT INTO change_log (kind, org_id, subject, created_at) VALUES (?, ?, ?, ?)")
                .setParameter(1, kind.name())
                .setParameter(2, orgId)
                .setParameter(3, subject)
                .setParameter(4, System.currentTimeMillis())
                .executeUpdate();
    }
}
