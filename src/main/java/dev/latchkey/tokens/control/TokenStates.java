package dev.latchkey.tokens.control;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.latchkey.platform.cache.CacheLease;
import dev.latchkey.platform.cache.FreshCache;
import java.time.Duration;
import java.util.Optional;

/**
 * The validator's token rows, kept in memory so that a client hammering the API does not cost a database read
 * per request, and never stale on this node: once {@link #forgetToken} or {@link #forgetClient} has returned
 * (they run after the revocation committed and before its 200 is sent), no request on this node is answered
 * from a row read before that revocation ({@link FreshCache} explains how the read/revoke race is closed).
 * Revoked rows are kept (revocation is final); absent rows are not.
 *
 * <p>The freshness window ({@link CacheLease#freshFor()}) bounds what a database outage can do: a row younger than
 * the window answers from memory; an older one needs the database, and a database failure is {@link TokenFailure#INTERNAL_ERROR}.
 * Another node's revocations reach this memory through the cluster's change log, under the {@link CacheLease}.
 * A row revoked on this node is never answered as valid, outage or not.
 */
public final class TokenStates implements TokenLookup {

    /** The freshness window of a node that runs alone: how long a row may answer from memory. */
    public static final Duration FRESH_FOR = CacheLease.FRESH_ALONE;
    /** The default bound on entries: a few hundred bytes each (three ids and the cache entry), tens of MB at most. */
    public static final int MAX_ENTRIES = 100_000;

    private final TokenLookup database;
    private final FreshCache<String, TokenRecord> rows;

    public TokenStates(TokenLookup database) {
        this(database, MAX_ENTRIES, FRESH_FOR, Ticker.systemTicker());
    }

    public TokenStates(TokenLookup database, int maxEntries, Duration freshFor, Ticker ticker) {
        this.database = database;
        this.rows = new FreshCache<>(maxEntries, freshFor, ticker);
    }

    /** The row of this token: from memory when fresh, otherwise from the database (whose failures propagate). */
    /** Counts this cache's hits and misses; call once, before the first lookup. */
    public TokenStates metered(org.eclipse.microprofile.metrics.Counter hits,
                               org.eclipse.microprofile.metrics.Counter misses) {
        rows.metered(hits, misses);
        return this;
    }

    @Override
    public Optional<TokenRecord> find(String tokenId) {
        return rows.get(tokenId, database::find);
    }

    /** After a committed revocation of one token: its next validation on this node reads the database. */
    public void forgetToken(String tokenId) {
        rows.invalidate(tokenId);
    }

    /** After a committed revocation of every token of one client of one organization. */
    public void forgetClient(String orgId, String clientId) {
        rows.invalidateIf(row -> row.clientId().equals(clientId) && row.orgId().equals(orgId));
    }

    /** How many rows are held (an estimate), for benchmarks and tests. */
    public long size() {
        return rows.size();
    }
}
