package dev.latchkey.it;

import dev.latchkey.tokens.entity.ClientToken;
import dev.latchkey.tokens.entity.SigningKey;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.UUID;

/** Test-only, deployed with HousekeepingIT: writes rows with times in the past, which the API cannot. */
@Stateless
public class ExpiredRows {

    @PersistenceContext
    EntityManager em;

    public String token(String orgId, String clientId, long issuedAt, long expiresAt, boolean revoked) {
        ClientToken token = new ClientToken(UUID.randomUUID().toString(), orgId, clientId, issuedAt, expiresAt, "{}");
        if (revoked) {
            token.revoke("test", issuedAt);
        }
        em.persist(token);
        return token.tokenId();
    }

    /** An HS256 key that signed from {@code createdAt} until {@code stoppedSigningAt}, and now only verifies. */
    public String retiredSigningKey(long createdAt, long stoppedSigningAt) {
        SigningKey key = SigningKey.hmac("test-" + UUID.randomUUID(), "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldC0",
                SigningKey.State.CURRENT, createdAt);
        key.retire(stoppedSigningAt);
        em.persist(key);
        return key.kid();
    }

    public boolean exists(String tokenId) {
        return em.find(ClientToken.class, tokenId) != null;
    }

    public boolean retired(String kid) {
        return !em.createNamedQuery(SigningKey.USABLE, SigningKey.class).getResultList().stream()
                .anyMatch(key -> key.kid().equals(kid));
    }

    /** Any organization id: tokens reference one. */
    public String someOrg() {
        return em.createQuery("SELECT o.orgId FROM Organization o", String.class).setMaxResults(1).getSingleResult();
    }
}
