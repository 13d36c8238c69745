package dev.latchkey.limits.control;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.latchkey.orgs.control.Organizations;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Every organization's limits as this node knows them, read from the database once and kept until they change:
 * a change made here is seen at once ({@link #forget}), one made on another node when this node replays the change
 * log (the cluster feature calls {@link #forget}; at most the cache lease's second later). The {@code default}
 * organization without a row of its own has the {@code LATCHKEY_LIMIT_*} variables' limits ({@link DefaultLimits}).
 */
@ApplicationScoped
public class Limits {

    private static final Logger LOG = Logger.getLogger(Limits.class.getName());
    private static final String DEFAULT_ORG = "default";

    @Inject
    LimitStore store;

    @Inject
    Organizations organizations;

    @Inject
    DefaultLimits defaults;

    private LoadingCache<String, OrgLimits> limits;
    private volatile OrgLimits fromEnvironment;

    @PostConstruct
    void init() {
        fromEnvironment = defaults.read();
        LimitStore rows = store;
        limits = Caffeine.newBuilder().maximumSize(100_000).build(orgId -> rows.find(orgId).orElseGet(() ->
                isDefault(orgId) ? fromEnvironment : OrgLimits.NONE));
        if (!fromEnvironment.isEmpty()) {
            LOG.info(() -> "The default organization's limits from LATCHKEY_LIMIT_ variables: " + fromEnvironment.toJson().build());
        }
    }

    /**
     * The organization's limits; {@link OrgLimits#NONE} when it has none. When they cannot be read (the database is
     * down and this node has not read them yet), none: a limit never turns a working request into a failure.
     */
    public OrgLimits of(String orgId) {
        try {
            return limits.get(orgId);
        } catch (RuntimeException e) {
            LOG.warning(() -> "Could not read the limits of organization " + orgId + "; none applied: " + e.getMessage());
            return OrgLimits.NONE;
        }
    }

    /** The limits stored for the organization (read from the database), or the environment's for {@code default}. */
    public OrgLimits read(String orgId) {
        return store.find(orgId).orElseGet(() -> isDefault(orgId) ? fromEnvironment : OrgLimits.NONE);
    }

    /** The organization's limits changed: read them again next time. */
    public void forget(String orgId) {
        limits.invalidate(orgId);
    }

    private boolean isDefault(String orgId) {
        return !fromEnvironment.isEmpty() && organizations.find(orgId)
                .map(org -> DEFAULT_ORG.equals(org.name())).orElse(false);
    }

    /** Only for the boundary's answer: the organization exists. */
    public Optional<String> existing(String orgId) {
        return organizations.find(orgId).map(org -> org.orgId());
    }
}
