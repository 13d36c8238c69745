package dev.latchkey.tokens.control;

import dev.latchkey.platform.http.ApiError;
import dev.latchkey.platform.database.DatabaseBreakers;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;

/**
 * The revocation feed in the database (tables {@code revocation_feed} and {@code revocation_feed_head}, schema
 * version 5), the single source of truth every node reads it from. An entry is written in the revocation's own
 * transaction, so a revocation that has answered is in the feed for every read that starts afterwards.
 *
 * <p>Order: each organization's entries are numbered 1, 2, 3... by its head row, which a writer increments first
 * and whose lock it holds until it commits; so entries commit in number order, and a reader that reads the head
 * and then the entries up to it never skips one that commits later with a smaller number. Lock order, for every
 * revocation: {@code change_log} (in a cluster), the token rows, then the head row.
 */
@Stateless
public class FeedStore {

    /** The detail of a 410: the cursor names entries that were deleted, or entries this feed never had. */
    public static final String CURSOR_EXPIRED = "Cursor expired: read the feed from the start";
    /** How long after its tokens expired an entry still belongs to a fresh reader's deny-list, in milliseconds. */
    public static final long CLOCK_SKEW_MILLIS = 5 * 60_000L;

    /** One read: the entries after a cursor, and the cursor to read from next. */
    public record Page(List<FeedEntry> entries, long next) {
    }

    @PersistenceContext
    EntityManager em;

    /** Appends "token revoked" in the caller's transaction (the caller has written the token row already). */
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public void token(String orgId, String tokenId, String clientId, long revokedAt, long expiresAt) {
        long seq = nextSeq(orgId);
        em.createNativeQuery("INSERT INTO revocation_feed"
                        + " (org_id, seq, kind, token_id, client_id, revoked_at, issued_before, expires_at)"
                        + " VALUES (?, ?, 'TOKEN', ?, ?, ?, NULL, ?)")
                .setParameter(1, orgId).setParameter(2, seq).setParameter(3, tokenId).setParameter(4, clientId)
                .setParameter(5, revokedAt).setParameter(6, expiresAt)
                .executeUpdate();
    }

    /**
     * Appends "every token of this client revoked" in the caller's transaction, after the caller revoked them at
     * {@code revokedAt}. {@code issued_before} is the start of the second after the newest revoked token was
     * issued: a verifier compares it with the JWT's {@code iat} (whole seconds, rounded down), so every revoked token
     * is before it, and a token minted later is not, unless it was minted within that same second.
     */
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public void client(String orgId, String clientId, long revokedAt) {
        Object[] revoked = (Object[]) em.createNativeQuery("SELECT MAX(issued_at), MAX(expires_at) FROM client_token"
                        + " WHERE org_id = ? AND client_id = ? AND revoked_at = ?")
                .setParameter(1, orgId).setParameter(2, clientId).setParameter(3, revokedAt)
                .getSingleResult();
        long newestIssued = revoked[0] == null ? revokedAt : ((Number) revoked[0]).longValue();
        long lastExpiry = revoked[1] == null ? revokedAt : ((Number) revoked[1]).longValue();
        long issuedBefore = (Math.floorDiv(newestIssued, 1000) + 1) * 1000;
        long seq = nextSeq(orgId);
        em.createNativeQuery("INSERT INTO revocation_feed" // NULL written out: PostgreSQL refuses an untyped null
                        + " (org_id, seq, kind, token_id, client_id, revoked_at, issued_before, expires_at)"
                        + " VALUES (?, ?, 'CLIENT', NULL, ?, ?, ?, ?)")
                .setParameter(1, orgId).setParameter(2, seq).setParameter(3, clientId).setParameter(4, revokedAt)
                .setParameter(5, issuedBefore).setParameter(6, Math.max(lastExpiry, revokedAt))
                .executeUpdate();
    }

    /**
     * The organization's entries after {@code after}, in order, at most {@code limit}. Without a cursor
     * ({@code after} null): the entries whose tokens have not expired {@value #CLOCK_SKEW_MILLIS} ms before
     * {@code now}, a fresh verifier's deny-list. {@link Page#next()} is the last entry's cursor when the page is full,
     * else the feed's newest position (so nothing committed after this read is ever skipped).
     *
     * @throws ApiError 410 {@value #CURSOR_EXPIRED} when {@code after} is before what is kept or past the newest entry
     */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    @CircuitBreaker(requestVolumeThreshold = DatabaseBreakers.VOLUME, failureRatio = DatabaseBreakers.FAILURE_RATIO,
            delay = DatabaseBreakers.DELAY_MILLIS, skipOn = ApiError.class)
    public Page read(String orgId, Long after, long now, int limit) {
        long[] head = head(orgId);
        long last = head[0];
        if (after != null && (after < head[1] || after > last)) {
            throw new ApiError(410, CURSOR_EXPIRED);
        }
        List<?> rows = em.createNativeQuery("SELECT seq, token_id, client_id, revoked_at, issued_before, expires_at"
                        + " FROM revocation_feed WHERE org_id = ? AND seq > ? AND seq <= ? AND expires_at > ?"
                        + " ORDER BY seq")
                .setParameter(1, orgId)
                .setParameter(2, after == null ? 0 : after)
                .setParameter(3, last)
                .setParameter(4, after == null ? now - CLOCK_SKEW_MILLIS : Long.MIN_VALUE)
                .setMaxResults(limit)
                .getResultList();
        List<FeedEntry> entries = new ArrayList<>(rows.size());
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            entries.add(new FeedEntry(number(r[0]), (String) r[1], (String) r[2], number(r[3]),
                    r[4] == null ? null : number(r[4]), number(r[5])));
        }
        long next = entries.size() == limit ? entries.get(limit - 1).seq() : last;
        return new Page(entries, next);
    }

    /** The newest position of each of these organizations' feeds (0: nothing yet). */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Map<String, Long> newest(Collection<String> orgIds) {
        Map<String, Long> newest = new HashMap<>();
        if (orgIds.isEmpty()) {
            return newest;
        }
        List<?> rows = em.createNativeQuery("SELECT org_id, last_seq FROM revocation_feed_head")
                .getResultList();
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            if (orgIds.contains((String) r[0])) {
                newest.put((String) r[0], number(r[1]));
            }
        }
        return newest;
    }

    /** The organizations that have a feed. */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<String> orgs() {
        List<?> rows = em.createNativeQuery("SELECT org_id FROM revocation_feed_head").getResultList();
        return rows.stream().map(String.class::cast).toList();
    }

    /**
     * Deletes, in its own transaction, up to {@code batchSize} of the oldest entries of one organization, as long as
     * every one of them expired before {@code cutoff} (only a prefix of the feed is deleted, so "kept" is simply
     * "after pruned_through"); returns how many positions the feed's start moved.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public int prune(String orgId, long cutoff, int batchSize) {
        long[] head = head(orgId);
        Object firstKept = em.createNativeQuery("SELECT MIN(seq) FROM revocation_feed"
                        + " WHERE org_id = ? AND seq <= ? AND expires_at >= ?")
                .setParameter(1, orgId).setParameter(2, head[0]).setParameter(3, cutoff)
                .getSingleResult();
        long through = Math.min(firstKept == null ? head[0] : number(firstKept) - 1, head[1] + batchSize);
        if (through <= head[1]) {
            return 0;
        }
        em.createNativeQuery("DELETE FROM revocation_feed WHERE org_id = ? AND seq <= ?")
                .setParameter(1, orgId).setParameter(2, through).executeUpdate();
        em.createNativeQuery("UPDATE revocation_feed_head SET pruned_through = ?"
                        + " WHERE org_id = ? AND pruned_through < ?")
                .setParameter(1, through).setParameter(2, orgId).setParameter(3, through).executeUpdate();
        return (int) (through - head[1]);
    }

    /** {last_seq, pruned_through} of the organization's feed; {0, 0} when it has none yet. */
    private long[] head(String orgId) {
        List<?> rows = em.createNativeQuery("SELECT last_seq, pruned_through FROM revocation_feed_head WHERE org_id = ?")
                .setParameter(1, orgId).getResultList();
        if (rows.isEmpty()) {
            return new long[] {0, 0};
        }
        Object[] r = (Object[]) rows.get(0);
        return new long[] {number(r[0]), number(r[1])};
    }

    /**
     * The organization's next entry number, with its head row locked until the caller commits. The first entry of
     * an organization creates the row under a lock on the organization's row, so two first revocations at once
     * cannot both insert it.
     */
    private long nextSeq(String orgId) {
        if (incrementHead(orgId) == 0) {
            em.createNativeQuery("SELECT org_id FROM organization WHERE org_id = ? FOR UPDATE")
                    .setParameter(1, orgId).getResultList();
            if (incrementHead(orgId) == 0) {
                em.createNativeQuery("INSERT INTO revocation_feed_head (org_id, last_seq, pruned_through)"
                        + " VALUES (?, 1, 0)").setParameter(1, orgId).executeUpdate();
            }
        }
        return head(orgId)[0];
    }

    private int incrementHead(String orgId) {
        return em.createNativeQuery("UPDATE revocation_feed_head SET last_seq = last_seq + 1 WHERE org_id = ?")
                .setParameter(1, orgId).executeUpdate();
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }
}
