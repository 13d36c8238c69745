package dev.latchkey.limits.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The {@code rate} limit: a token bucket per client_id, shared by every client surface of this node (the REST
 * client API, the proxy, forward auth decisions, socket messages). Each node holds {@code 1/N} of the organization's
 * rate and burst, N being the cluster's live members ({@link #members}, set by the cluster feature on every
 * membership change; 1 alone), and no less than one request of burst, so a check never leaves the node (decision L2
 * of this package).
 *
 * <p>The bound over the cluster ({@code docs/limits.md}): in any interval of T seconds the nodes admit together at
 * most {@code max(burst, N) + per_second × T} requests of one client, whichever nodes they reach. A client whose
 * requests all reach one node gets that node's share, {@code per_second / N}.
 *
 * <p>A refusal carries {@code Retry-After} (RFC 9110 10.2.3, whole seconds, at least 1) and the
 * {@code RateLimit-Policy} and {@code RateLimit} fields of draft-ietf-httpapi-ratelimit-headers-10 (a Structured
 * Fields list: {@code "client";q=<per_second>;w=1} and {@code "client";r=0;t=<seconds>}).
 */
@ApplicationScoped
public class RateLimits {

    /** The contract's answer over the rate: 429 on HTTP, an {@code error} message on a socket. */
    public static final String RATE_EXCEEDED = "Rate limit exceeded";
    /** The policy's name in the RateLimit fields. */
    static final String POLICY = "\"client\"";

    /** A request over the rate: what to tell the client. */
    public record Refusal(long retryAfterSeconds, int perSecond) {

        /** The response headers of a 429: name, value pairs. */
        public List<String[]> headers() {
            return List.of(
                    new String[] {"Retry-After", Long.toString(retryAfterSeconds)},
                    new String[] {"RateLimit-Policy", POLICY + ";q=" + perSecond + ";w=1"},
                    new String[] {"RateLimit", POLICY + ";r=0;t=" + retryAfterSeconds});
        }
    }

    @Inject
    Limits limits;

    @Inject
    LimitHits hits;

    @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
    ManagedScheduledExecutorService executor;

    private final Map<String, Map<String, TokenBucket>> buckets = new ConcurrentHashMap<>();
    private volatile int members = 1;
    private ScheduledFuture<?> sweeps;

    @PostConstruct
    void start() {
        if (executor != null) {
            sweeps = executor.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.MINUTES);
        }
    }

    @PreDestroy
    void stop() {
        if (sweeps != null) {
            sweeps.cancel(false);
        }
    }

    /** The cluster's live members (at least 1): each node's share of every rate is {@code 1/members}. */
    public void members(int count) {
        members = Math.max(1, count);
    }

    public int members() {
        return members;
    }

    /**
     * Takes one request of the client's rate on this node.
     *
     * @param surface where the request came in, for {@code /metrics} and the log
     * @return null when admitted (always, without a {@code rate}); otherwise the refusal to answer with
     */
    public Refusal admit(String orgId, String clientId, LimitHits.Hit surface) {
        OrgLimits.Rate rate = limits.of(orgId).rate();
        if (rate == null) {
            return null;
        }
        int share = members;
        long wait = bucket(orgId, clientId).take(System.nanoTime(), rate.perSecond() / (double) share,
                capacity(rate, share));
        if (wait == 0) {
            return null;
        }
        hits.hit(surface, orgId, clientId);
        return new Refusal(Math.max(1, (wait + 999_999_999L) / 1_000_000_000L), rate.perSecond());
    }

    /** This node's share of the burst: {@code burst / members}, and at least one request. */
    static double capacity(OrgLimits.Rate rate, int members) {
        return Math.max(1, rate.burst() / (double) members);
    }

    private TokenBucket bucket(String orgId, String clientId) {
        Map<String, TokenBucket> clients = buckets.get(orgId);
        if (clients == null) {
            clients = buckets.computeIfAbsent(orgId, id -> new ConcurrentHashMap<>());
        }
        TokenBucket bucket = clients.get(clientId);
        return bucket != null ? bucket : clients.computeIfAbsent(clientId, id -> new TokenBucket());
    }

    /** Drops full buckets (a new one starts full, so nothing changes) and those of organizations without a rate. */
    void sweep() {
        long now = System.nanoTime();
        int share = members;
        buckets.forEach((orgId, clients) -> {
            OrgLimits.Rate rate = limits.of(orgId).rate();
            if (rate == null) {
                buckets.remove(orgId);
                return;
            }
            clients.entrySet().removeIf(entry -> entry.getValue().isFull(now, rate.perSecond() / (double) share,
                    capacity(rate, share)));
        });
    }
}
