package dev.latchkey.platform.cache;

import dev.latchkey.platform.operations.Meters;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Predicate;
import org.eclipse.microprofile.metrics.Counter;

/**
 * Database rows kept in memory for a short while, and never stale on this node: once {@link #invalidate} or
 * {@link #invalidateIf} has returned (callers run them after their change committed and before answering), no
 * lookup on this node is answered from a row read before that change. Used for token rows (the validator) and
 * org API keys (the org endpoints).
 *
 * <p><b>The race.</b> A miss reads the row from the database, then stores it. A change can commit between the
 * read and the store; the invalidation may then run before the store, and a naive store would put the old row
 * back. Two things prevent it:
 * <ol>
 *   <li>an <i>epoch</i>, bumped by every invalidation; a miss notes the epoch before its database read and
 *       stores the row only if the epoch has not moved since, i.e. no invalidation finished while the row was in
 *       flight (a row read during an in-flight change is answered, never kept);</li>
 *   <li>a read-write lock that makes "check the epoch, then store" one step with respect to "bump the epoch,
 *       then remove": misses take the shared read lock (they never wait for each other), invalidations take
 *       the write lock. Either the store happened first, and the invalidation removes the entry, or the
 *       invalidation happened first, and the store sees a new epoch and keeps nothing.</li>
 * </ol>
 * Hits take no lock at all. An invalidation anywhere makes concurrent misses skip the store, which only costs
 * them a second database read later. Absent rows are never kept.
 *
 * <p><b>Bounds.</b> At most {@code maxEntries} rows (Caffeine's size eviction), and every row is read again
 * from the database once it is older than {@code freshFor}. That window bounds what a change made on another
 * node (which reaches this node's database, not its memory) and a database outage can do: a row younger than
 * the window answers from memory; an older one needs the database, whose failures propagate.
 *
 * <p>{@link #invalidateIf} scans the entries (at most {@code maxEntries}, milliseconds); changes are rare next
 * to lookups, so no second index is kept in step with eviction.
 */
public final class FreshCache<K, V> {

    private final Cache<K, V> rows;
    private final AtomicLong epoch = new AtomicLong();
    private final ReentrantReadWriteLock storing = new ReentrantReadWriteLock();
    private Counter hits = Meters.none().counter("none", "none");
    private Counter misses = hits;

    public FreshCache(int maxEntries, Duration freshFor, Ticker ticker) {
        this.rows = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfterWrite(freshFor)
                .ticker(ticker)
                .executor(Runnable::run) // maintenance on the calling thread: no pool threads in the server
                .build();
    }

    /** Counts lookups answered from memory ({@code hits}) and from the database ({@code misses}); call before use. */
    public FreshCache<K, V> metered(Counter hits, Counter misses) {
        this.hits = hits;
        this.misses = misses;
        return this;
    }

    /** The row for this key: from memory when fresh, otherwise from {@code database} (whose failures propagate). */
    public Optional<V> get(K key, Function<K, Optional<V>> database) {
        V cached = rows.getIfPresent(key);
        if (cached != null) {
            hits.inc();
            return Optional.of(cached);
        }
        misses.inc();
        long before = epoch.get();
        Optional<V> read = database.apply(key);
        read.ifPresent(row -> store(key, row, before));
        return read;
    }

    private void store(K key, V row, long epochBeforeRead) {
        ReentrantReadWriteLock.ReadLock lock = storing.readLock();
        lock.lock();
        try {
            if (epoch.get() == epochBeforeRead) {
                rows.put(key, row);
            }
        } finally {
            lock.unlock();
        }
    }

    /** After a committed change of this key's row: its next lookup on this node reads the database. */
    public void invalidate(K key) {
        invalidating(() -> rows.invalidate(key));
    }

    /** After a committed change of every row that matches. */
    public void invalidateIf(Predicate<V> changed) {
        invalidating(() -> rows.asMap().values().removeIf(changed));
    }

    private void invalidating(Runnable removal) {
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
