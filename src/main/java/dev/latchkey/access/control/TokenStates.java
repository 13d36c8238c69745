package dev.latchkey.access.control;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The validator's token rows, kept in memory so that a client hammering the API does not cost a database read
 * per request, and never stale on this node: once {@link #forgetToken} or {@link #forgetClient} has returned
 * (they run after the revocation committed and before its 200 is sent), no request on this node is answered
 * from a row read before that revocation.
 *
 * <p><b>The race.</b> A miss reads the row from the database, then stores it. A revocation can commit between
 * the read and the store; the invalidation may then run before the store, and a naive store would put the old
 * "not revoked" row back for good. Two things prevent it:
 * <ol>
 *   <li>an <i>epoch</i>, bumped by every invalidation; a miss notes the epoch before its database read and
 *       stores the row only if the epoch has not moved since, i.e. no revocation finished its invalidation
 *       while the row was in flight (a row read during an in-flight revocation is answered, never kept);</li>
 *   <li>a read-write lock that makes "check the epoch, then store" one step with respect to "bump the epoch,
 *       then remove": misses take the shared read lock (they never wait for each other), invalidations take
 *       the write lock. Either the store happened first, and the invalidation removes the entry, or the
 *       invalidation happened first, and the store sees a new epoch and keeps nothing.</li>
 * </ol>
 * Hits take no lock at all. A revocation anywhere makes concurrent misses skip the store, which only costs
 * them a second database read later. Revoked rows are kept (revocation is final); absent rows are not.
 *
 * <p><b>Bounds.</b> At most {@code maxEntries} rows (Caffeine's size eviction), and every row is read again
 * from the database once it is older than {@code freshFor}. That window bounds what another node's revocation
 * (which does not reach this node's memory yet, only its database) and a database outage can do: a row
 * younger than the window answers from memory; an older one needs the database, and a database failure is the
 * contract's 500. A row revoked on this node is never answered as valid, outage or not.
 *
 * <p>A whole-client invalidation scans the entries (at most {@code maxEntries}, milliseconds); revocations are
 * rare next to validations, so no second index is kept in step with eviction.
 */
public final class TokenStates implements TokenLookup {

    /** The default freshness window: how long a row may answer from memory before the database is asked again. */
    public static final Duration FRESH_FOR = Duration.ofSeconds(1);
    /** The default bound on entries: a few hundred bytes each (three ids and the cache entry), tens of MB at most. */
    public static final int MAX_ENTRIES = 100_000;

    private final TokenLookup database;
    private final Cache<String, TokenRecord> rows;
    private final AtomicLong epoch = new AtomicLong();
    private final ReentrantReadWriteLock storing = new ReentrantReadWriteLock();

    public TokenStates(TokenLookup database) {
        this(database, MAX_ENTRIES, FRESH_FOR, Ticker.systemTicker());
    }

    public TokenStates(TokenLookup database, int maxEntries, Duration freshFor, Ticker ticker) {
        this.database = database;
        this.rows = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfterWrite(freshFor)
                .ticker(ticker)
                .executor(Runnable::run) // maintenance on the calling thread: no pool threads in the server
                .build();
    }

    /** The row of this token: from memory when fresh, otherwise from the database (whose failures propagate). */
    @Override
    public Optional<TokenRecord> find(String tokenId) {
        TokenRecord cached = rows.getIfPresent(tokenId);
        if (cached != null) {
            return Optional.of(cached);
        }
        long before = epoch.get();
        Optional<TokenRecord> read = database.find(tokenId);
        read.ifPresent(row -> store(row, before));
        return read;
    }

    private void store(TokenRecord row, long epochBeforeRead) {
        ReentrantReadWriteLock.ReadLock lock = storing.readLock();
        lock.lock();
        try {
            if (epoch.get() == epochBeforeRead) {
                rows.put(row.tokenId(), row);
            }
        } finally {
            lock.unlock();
        }
    }

    /** After a committed revocation of one token: its next validation on this node reads the database. */
    public void forgetToken(String tokenId) {
        invalidate(() -> rows.invalidate(tokenId));
    }

    /** After a committed revocation of every token of one client of one organization. */
    public void forgetClient(String orgId, String clientId) {
        invalidate(() -> rows.asMap().values()
                .removeIf(row -> row.clientId().equals(clientId) && row.orgId().equals(orgId)));
    }

    private void invalidate(Runnable removal) {
        ReentrantReadWriteLock.WriteLock lock = storing.writeLock();
        lock.lock();
        try {
            epoch.incrementAndGet();
            removal.run();
        } finally {
            lock.unlock();
        }
    }

    /** How many rows are held (an estimate), for benchmarks and tests. */
    public long size() {
        rows.cleanUp();
        return rows.estimatedSize();
    }
}
