package dev.latchkey.limits.control;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.latchkey.platform.operations.Meters;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Locale;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.Counter;

/**
 * Every limit hit: counted on {@code /metrics} as {@code latchkey_limit_hits_total{limit, action}} (no client_id
 * label), and logged at INFO at most once per client, limit and minute (the client_id and organization, never a
 * token).
 */
@ApplicationScoped
public class LimitHits {

    /** Which limit was hit, and what it did. */
    public enum Hit {
        MAX_ACTIVE_TOKENS_REFUSE("max_active_tokens", "refuse"),
        MAX_ACTIVE_TOKENS_REVOKE_OLDEST("max_active_tokens", "revoke_oldest"),
        MAX_SOCKETS_REFUSE("max_sockets", "refuse"),
        MAX_SOCKETS_CLOSE_OLDEST("max_sockets", "close_oldest"),
        RATE_REST("rate", "rest"),
        RATE_PROXY("rate", "proxy"),
        RATE_FORWARD_AUTH("rate", "forward_auth"),
        RATE_SOCKET("rate", "socket");

        final String limit;
        final String action;

        Hit(String limit, String action) {
            this.limit = limit;
            this.action = action;
        }
    }

    /** How often one client's hits of one limit are logged at most. */
    static final Duration LOG_EVERY = Duration.ofMinutes(1);

    private static final Logger LOG = Logger.getLogger(LimitHits.class.getName());

    @Inject
    Meters meters;

    private final Counter[] counters = new Counter[Hit.values().length];
    private final Cache<String, Boolean> logged = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(LOG_EVERY).build();

    @PostConstruct
    void register() {
        Meters source = meters != null ? meters : Meters.none();
        for (Hit hit : Hit.values()) {
            counters[hit.ordinal()] = source.counter("latchkey_limit_hits",
                    "Requests that met a limit per client, by limit and action (or surface, for the rate)",
                    "limit", hit.limit, "action", hit.action);
        }
    }

    /** Hits that count and log nothing, for code running outside the container. */
    public static LimitHits none() {
        LimitHits none = new LimitHits();
        none.register();
        return none;
    }

    /** Counts one hit, and logs it unless this client's hits of this limit were logged within the last minute. */
    public void hit(Hit hit, String orgId, String clientId) {
        counters[hit.ordinal()].inc();
        String key = hit.limit + '\u0000' + orgId + '\u0000' + clientId;
        if (logged.asMap().putIfAbsent(key, Boolean.TRUE) == null) {
            LOG.info(() -> "Client " + clientId + " of org " + orgId + " reached its " + hit.limit + " limit ("
                    + hit.action.toLowerCase(Locale.ROOT) + "); further hits of this client are counted, and logged"
                    + " again after a minute");
        }
    }
}
