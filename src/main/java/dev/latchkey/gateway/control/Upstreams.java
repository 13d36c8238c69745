package dev.latchkey.gateway.control;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;

/**
 * Every organization's upstream, read from the database and kept for {@link #FRESH_FOR}: a proxied request does
 * not read the database for it. A change made on this node is seen at once ({@link #forget}); one made on another
 * node within {@link #FRESH_FOR}.
 */
@ApplicationScoped
public class Upstreams {

    /** How long a node uses an upstream row before reading it again. */
    public static final Duration FRESH_FOR = Duration.ofSeconds(5);

    @Inject
    UpstreamStore store;

    private LoadingCache<String, Optional<UpstreamTarget>> targets;

    @PostConstruct
    void init() {
        UpstreamStore rows = store;
        targets = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(FRESH_FOR)
                .build(orgId -> rows.find(orgId).map(UpstreamTarget::of));
    }

    /** The organization's upstream, if it has one. */
    public Optional<UpstreamTarget> of(String orgId) {
        return targets.get(orgId);
    }

    /** The organization's upstream changed: read it again next time. */
    public void forget(String orgId) {
        targets.invalidate(orgId);
    }
}
