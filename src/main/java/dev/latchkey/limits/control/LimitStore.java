package dev.latchkey.limits.control;

import dev.latchkey.limits.entity.ClientLimits;
import dev.latchkey.platform.database.ChangeLog;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.Optional;

/** The {@code client_limits} rows; a save is recorded in the change log, so every node reads it again. */
@Stateless
public class LimitStore {

    @PersistenceContext
    EntityManager em;

    @Inject
    ChangeLog changeLog;

    public Optional<OrgLimits> find(String orgId) {
        return Optional.ofNullable(em.find(ClientLimits.class, orgId)).map(OrgLimits::of);
    }

    /** Replaces the organization's limits (unlimited members included); committed when this returns. */
    public void save(String orgId, OrgLimits limits, long now) {
        ClientLimits row = em.find(ClientLimits.class, orgId);
        if (row == null) {
            row = new ClientLimits(orgId);
            limits.into(row, now);
            em.persist(row);
        } else {
            limits.into(row, now);
        }
        changeLog.record(em, ChangeLog.Kind.LIMITS, orgId, orgId);
    }
}
