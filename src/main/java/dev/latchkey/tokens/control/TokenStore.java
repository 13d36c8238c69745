package dev.latchkey.tokens.control;

import dev.latchkey.platform.http.ApiError;
import dev.latchkey.platform.database.DatabaseBreakers;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import dev.latchkey.platform.database.ChangeLog;
import dev.latchkey.limits.control.ClientLock;
import dev.latchkey.limits.control.LimitHits;
import dev.latchkey.limits.control.Limits;
import dev.latchkey.limits.control.OrgLimits;
import dev.latchkey.tokens.entity.ClientToken;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The token manager: every read and write of client tokens. Each method is one transaction, so a method
 * that returned has committed. Every lookup is keyed on token_id and scoped to the calling organization.
 */
@Stateless
@CircuitBreaker(requestVolumeThreshold = DatabaseBreakers.VOLUME, failureRatio = DatabaseBreakers.FAILURE_RATIO,
        delay = DatabaseBreakers.DELAY_MILLIS, skipOn = ApiError.class)
public class TokenStore {

    @PersistenceContext
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    ChangeLog changeLog;

    @Inject
    FeedStore feed;

    @Inject
    Limits limits;

    @Inject
    ClientLock clientLock;

    @Inject
    LimitHits hits;

    /** The contract's answer to a mint over {@code max_active_tokens} with {@code refuse} (429). */
    public static final String TOO_MANY_TOKENS = "Too many active tokens for this client";
    /** The revocation reason of a token revoked by {@code max_active_tokens} with {@code revoke_oldest}. */
    public static final String LIMIT_REASON = "limit";

    /** A minted token, and the token_ids that {@code max_active_tokens} ({@code revoke_oldest}) revoked for it. */
    public record Minted(ClientToken token, List<String> revokedIds) {
    }

    /**
     * Stores a new token for a client; the row is committed when this returns. Under the organization's
     * {@code max_active_tokens} ({@code docs/limits.md}) the client's live tokens are counted under the client's lock
     * ({@link ClientLock}) in this transaction: at the limit, {@code refuse} answers 429 and stores nothing,
     * {@code revoke_oldest} revokes the oldest live tokens (reason {@value #LIMIT_REASON}) so that, with the new one,
     * the client holds exactly the limit. The caller announces those revocations ({@link Revocation}).
     *
     * @throws ApiError 429 {@value #TOO_MANY_TOKENS} under {@code refuse}
     */
    public Minted mint(String orgId, String clientId, long durationSecs, String metadataJson) {
        long now = clock.millis();
        List<String> revoked = List.of();
        OrgLimits.Cap cap = limits.of(orgId).tokens();
        if (cap != null) {
            clientLock.lock(em, orgId, clientId);
            revoked = makeRoom(orgId, clientId, cap, now);
        }
        ClientToken token = new ClientToken(UUID.randomUUID().toString(), orgId, clientId,
                now, now + durationSecs * 1000, metadataJson);
        em.persist(token);
        em.flush(); // the INSERT runs here, inside the circuit breaker, rather than at the commit after it
        return new Minted(token, revoked);
    }

    private List<String> makeRoom(String orgId, String clientId, OrgLimits.Cap cap, long now) {
        long live = em.createNamedQuery(ClientToken.COUNT_LIVE, Long.class)
                .setParameter("orgId", orgId).setParameter("clientId", clientId).setParameter("now", now)
                .getSingleResult();
        long excess = live - cap.limit() + 1;
        if (excess <= 0) {
            return List.of();
        }
        if (cap.onLimit() != OrgLimits.Action.REVOKE_OLDEST) {
            hits.hit(LimitHits.Hit.MAX_ACTIVE_TOKENS_REFUSE, orgId, clientId);
            throw new ApiError(429, TOO_MANY_TOKENS);
        }
        List<String> revoked = new ArrayList<>();
        for (ClientToken oldest : em.createNamedQuery(ClientToken.OLDEST_LIVE, ClientToken.class)
                .setParameter("orgId", orgId).setParameter("clientId", clientId).setParameter("now", now)
                .setMaxResults((int) excess).getResultList()) {
            oldest.revoke(LIMIT_REASON, now);
            changeLog.record(em, ChangeLog.Kind.TOKEN, orgId, oldest.tokenId());
            em.flush(); // the token row's lock before the feed's head row, as in revoke()
            feed.token(orgId, oldest.tokenId(), clientId, now, oldest.expiresAt()); // a revocation like any other
            revoked.add(oldest.tokenId());
        }
        hits.hit(LimitHits.Hit.MAX_ACTIVE_TOKENS_REVOKE_OLDEST, orgId, clientId);
        return revoked;
    }

    /** The validator's view of a token, read without a transaction of its own. */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Optional<TokenRecord> find(String tokenId) {
        return Optional.ofNullable(em.find(ClientToken.class, tokenId))
                .map(t -> new TokenRecord(t.tokenId(), t.orgId(), t.clientId(), t.issuedAt(), t.expiresAt(),
                        t.isRevoked()));
    }

    /** The organization's own token with this id. */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Optional<ClientToken> findOwned(String orgId, String tokenId) {
        return Optional.ofNullable(em.find(ClientToken.class, tokenId)).filter(t -> t.orgId().equals(orgId));
    }

    /**
     * Revokes one of the organization's tokens; false when it has no such token. Revoking again succeeds. The first
     * revocation of a token also enters the organization's revocation feed, in the same transaction.
     */
    public boolean revoke(String orgId, String tokenId, String reason) {
        ClientToken token = em.find(ClientToken.class, tokenId);
        if (token == null || !token.orgId().equals(orgId)) {
            return false;
        }
        boolean first = !token.isRevoked();
        token.revoke(reason, clock.millis());
        changeLog.record(em, ChangeLog.Kind.TOKEN, orgId, tokenId);
        if (first) {
            em.flush(); // the token row's lock before the feed's head row: the lock order FeedStore describes
            feed.token(orgId, tokenId, token.clientId(), token.revokedAt(), token.expiresAt());
        }
        return true;
    }

    /**
     * Revokes every live (unrevoked, unexpired) token of one client of the organization; returns how many. When there
     * were any, the revocation enters the organization's revocation feed, in the same transaction.
     */
    public int revokeClient(String orgId, String clientId, String reason) {
        changeLog.record(em, ChangeLog.Kind.CLIENT, orgId, clientId);
        long now = clock.millis();
        int revoked = em.createNamedQuery(ClientToken.REVOKE_CLIENT)
                .setParameter("now", now)
                .setParameter("reason", reason)
                .setParameter("orgId", orgId)
                .setParameter("clientId", clientId)
                .executeUpdate();
        if (revoked > 0) {
            feed.client(orgId, clientId, now);
        }
        return revoked;
    }

    /** Deletes up to {@code batchSize} tokens that expired before the cutoff; returns how many. */
    public int purgeBatch(long cutoff, int batchSize) {
        List<String> ids = em.createNamedQuery(ClientToken.EXPIRED_BEFORE, String.class)
                .setParameter("cutoff", cutoff)
                .setMaxResults(batchSize)
                .getResultList();
        if (ids.isEmpty()) {
            return 0;
        }
        return em.createNamedQuery(ClientToken.DELETE_IDS).setParameter("ids", ids).executeUpdate();
    }

    /**
     * One page of a client's tokens, or of every client's when {@code clientId} is null, newest first, strictly
     * after the (issuedAt, tokenId) position.
     */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<ClientToken> page(String orgId, String clientId, long afterIssuedAt, String afterTokenId, int limit) {
        TypedQuery<ClientToken> query = clientId == null
                ? em.createNamedQuery(ClientToken.PAGE_BY_ORG, ClientToken.class)
                : em.createNamedQuery(ClientToken.PAGE_BY_CLIENT, ClientToken.class).setParameter("clientId", clientId);
        return query
                .setParameter("orgId", orgId)
                .setParameter("issuedAt", afterIssuedAt)
                .setParameter("tokenId", afterTokenId)
                .setMaxResults(limit)
                .getResultList();
    }
}
