package dev.latchkey.gateway.control;

import dev.latchkey.gateway.entity.Upstream;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.Optional;

/** The {@code upstream} rows. */
@Stateless
public class UpstreamStore {

    @PersistenceContext
    EntityManager em;

    /** The result of pointing an organization at an upstream; {@code newSecret} is set only when one was made. */
    public record Saved(Upstream upstream, String newSecret) {
    }

    public Optional<Upstream> find(String orgId) {
        return Optional.ofNullable(em.find(Upstream.class, orgId));
    }

    /** Sets the URLs; an organization without a row gets one with a new signing secret. */
    public Saved save(String orgId, String url, String messagesUrl, long now) {
        Upstream existing = em.find(Upstream.class, orgId);
        if (existing != null) {
            existing.point(url, messagesUrl, now);
            return new Saved(existing, null);
        }
        String secret = Signing.newSecret();
        Upstream created = new Upstream(orgId, url, messagesUrl, secret, now);
        em.persist(created);
        return new Saved(created, secret);
    }

    /** @return whether there was an upstream to remove */
    public boolean delete(String orgId) {
        Upstream existing = em.find(Upstream.class, orgId);
        if (existing == null) {
            return false;
        }
        em.remove(existing);
        return true;
    }
}
