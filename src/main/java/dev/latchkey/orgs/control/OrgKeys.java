package dev.latchkey.orgs.control;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.latchkey.platform.cache.CacheLease;
import dev.latchkey.platform.cache.FreshCache;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Org API key checks without a database read per request: the organization of each key hash is kept for
 * {@link CacheLease#freshFor()} ({@link FreshCache}), and a key revoked here is forgotten before the revocation
 * answers, so the very
 * next request with it is refused on this node; in a cluster, other nodes forget it before the revocation is
 * answered ({@link CacheLease}). Only the SHA-256 of a key is held, never its text; unknown keys are not remembered.
 * The database read that a refresh costs also keeps {@code last_used_at} current (at minute precision).
 */
@ApplicationScoped
public class OrgKeys {

    static final int MAX_ENTRIES = 10_000;

    @Inject
    Organizations organizations;

    private FreshCache<String, OrgPrincipal> byHash;

    @Inject
    CacheLease lease;

    @PostConstruct
    void init() {
        byHash = new FreshCache<>(MAX_ENTRIES, lease.freshFor(), Ticker.systemTicker());
    }

    /** The organization holding this key, if the key exists and is not revoked. */
    public Optional<OrgPrincipal> authenticate(String presentedKey) {
        lease.ensure();
        return byHash.get(ApiKeys.hash(presentedKey), organizations::authenticateHash);
    }

    /** Revokes an org key (committed when this returns) and forgets it here; false if there is no such key. */
    public boolean revoke(String keyId) {
        boolean found = organizations.revokeKey(keyId);
        forget(keyId);
        return found;
    }

    /** A key revoked (here or on another node): its next use on this node reads the database. */
    public void forget(String keyId) {
        byHash.invalidateIf(principal -> principal.keyId().equals(keyId));
    }
}
