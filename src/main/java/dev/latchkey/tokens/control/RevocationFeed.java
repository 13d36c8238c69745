package dev.latchkey.tokens.control;

import dev.latchkey.orgs.control.OrgKeyRevoked;
import dev.latchkey.platform.http.ApiError;
import dev.latchkey.platform.operations.ShuttingDown;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * The readers of the revocation feed that wait on this node: long-polls ({@code wait_secs}) and server-sent-event
 * streams. Each follows one organization's feed from its cursor and reads it from the database ({@link FeedStore}),
 * never from memory, so what it delivers is what every node would. A follower reads again:
 * <ul>
 *   <li>at once after a revocation has committed on this node (the {@link Revocation} event);</li>
 *   <li>when this node replays another node's revocation ({@link #wake(String)}, called by the cluster feature,
 *       before this node acknowledges the revocation to the node that made it);</li>
 *   <li>when the slow poll, every {@value #POLL_MILLIS} ms, finds its organization's feed past its cursor: a missed
 *       wake-up delays an entry, it never loses one.</li>
 * </ul>
 * At most {@value #MAX_FOLLOWERS} followers per node and {@value #MAX_PER_ORG} per organization and node (503
 * beyond). They end when the node shuts down, when the org key they were opened with is revoked, and a long-poll
 * when its wait is over. Reads and writes run on this feed's own {@value #THREADS} threads, so a slow reader never
 * holds a request thread or the cluster's. A wake-up waits (at most {@value #DELIVERY_WAIT_MILLIS} ms) for the
 * followers' reads and writes it started, so that the revocation's answer, which waits for it, usually leaves after
 * the entry was written to every stream on every node: a stream subscriber hears of it within milliseconds of the
 * answer, or before, rather than whenever a loaded node's threads get to it.
 */
@ApplicationScoped
public class RevocationFeed {

    /** The most entries one answer (or one read of a stream) holds. */
    public static final int PAGE_SIZE = 1_000;
    /** Open streams and waiting long-polls per node. */
    public static final int MAX_FOLLOWERS = 512;
    /** Open streams and waiting long-polls per organization and node. */
    public static final int MAX_PER_ORG = 64;
    /** The slow poll's period, in milliseconds. */
    public static final long POLL_MILLIS = 1_000;
    /** A stream with nothing to send for this long sends a comment line, so proxies keep it open, in milliseconds. */
    public static final long KEEP_ALIVE_MILLIS = 15_000;
    /** The 503 detail when a node holds as many followers as it may. */
    public static final String TOO_MANY = "Too many revocation feed readers on this node: try again later";
    /** The longest a wake-up waits for the reads and writes it started, in milliseconds. */
    public static final long DELIVERY_WAIT_MILLIS = 50;
    static final int THREADS = 4;
    private static final Logger LOG = Logger.getLogger(RevocationFeed.class.getName());

    /** Why a follower ends. */
    public enum Ending {
        /** A long-poll waited {@code wait_secs} for nothing. */
        WAITED,
        /** The node is stopping. */
        SHUTDOWN,
        /** The org key the reader presented was revoked. */
        KEY_REVOKED,
        /** The follower's cursor is no longer kept (410). */
        CURSOR_EXPIRED
    }

    /** What a transport does with the feed: the long-poll answer and the event stream. Called one at a time. */
    public interface Follower {
        /** Admitted, before the first entries: a stream sends its headers now, so its client knows it is open. */
        void started();

        /** Entries after the cursor, never none; false: the follower is done (answered, or its client is gone). */
        boolean deliver(FeedStore.Page page);

        /** Nothing delivered for {@value #KEEP_ALIVE_MILLIS} ms; false: the client is gone. */
        boolean idle();

        /** The follower ends; {@code cursor}: where it stands. */
        void end(Ending why, long cursor);
    }

    @Inject
    FeedStore store;

    @Inject
    Clock clock;

    @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
    ManagedThreadFactory threads;

    private final Map<String, Set<Subscription>> byOrg = new ConcurrentHashMap<>();
    private final Object admission = new Object();
    private int count;
    private ScheduledThreadPoolExecutor executor;
    private ScheduledFuture<?> poll;

    @PostConstruct
    void start() {
        executor = new ScheduledThreadPoolExecutor(THREADS, threads);
        executor.setRemoveOnCancelPolicy(true);
        poll = executor.scheduleWithFixedDelay(this::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        endAll();
        poll.cancel(false);
        executor.shutdownNow();
    }

    /**
     * Follows the organization's feed from {@code page}, the caller's first read: delivers its entries (if any), then
     * every later entry as it commits. {@code waitMillis} > 0: a long-poll, ended ({@link Ending#WAITED}) after that
     * long; 0: a stream, until its client goes or one of the other endings.
     *
     * @throws ApiError 503 {@value #TOO_MANY} when the node or the organization has as many followers as it may
     */
    public void follow(String orgId, String keyId, FeedStore.Page page, long waitMillis, Follower follower) {
        Subscription subscription = new Subscription(orgId, keyId, page.next(), follower);
        synchronized (subscription) {
            synchronized (admission) {
                Set<Subscription> ofOrg = byOrg.computeIfAbsent(orgId, org -> ConcurrentHashMap.newKeySet());
                if (count >= MAX_FOLLOWERS || ofOrg.size() >= MAX_PER_ORG) {
                    throw new ApiError(503, TOO_MANY);
                }
                ofOrg.add(subscription);
                count++;
            }
            if (waitMillis > 0) {
                subscription.timeout = executor.schedule(() -> subscription.end(Ending.WAITED), waitMillis,
                        TimeUnit.MILLISECONDS);
            }
            follower.started();
            if (!page.entries().isEmpty() && !follower.deliver(page)) {
                subscription.end(null);
                return;
            }
        }
        subscription.poke(); // whatever committed between the caller's read and now
    }

    /**
     * The organization's feed may have grown: its followers on this node read it; returns once they have delivered
     * what they read, or after {@value #DELIVERY_WAIT_MILLIS} ms.
     */
    public void wake(String orgId) {
        Set<Subscription> ofOrg = byOrg.get(orgId);
        if (ofOrg == null || ofOrg.isEmpty()) {
            return;
        }
        CompletableFuture<?>[] reads = ofOrg.stream().map(Subscription::poke).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(reads).get(DELIVERY_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException slowOrFailed) {
            // they go on by themselves; the revocation does not wait longer for its readers
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The org key was revoked (here or on another node): the followers it opened end. */
    public void keyRevoked(String keyId) {
        for (Set<Subscription> ofOrg : byOrg.values()) {
            for (Subscription subscription : ofOrg) {
                if (subscription.keyId.equals(keyId)) {
                    executor.execute(() -> subscription.end(Ending.KEY_REVOKED));
                }
            }
        }
    }

    /** How many followers wait on this node now. */
    public int followers() {
        synchronized (admission) {
            return count;
        }
    }

    void revokedHere(@Observes Revocation revocation) {
        wake(revocation.orgId());
    }

    void keyRevokedHere(@Observes OrgKeyRevoked revocation) {
        keyRevoked(revocation.keyId());
    }

    void shuttingDown(@Observes ShuttingDown event) {
        endAll();
    }

    private void endAll() {
        List<Subscription> all = new ArrayList<>();
        byOrg.values().forEach(all::addAll);
        all.forEach(subscription -> subscription.end(Ending.SHUTDOWN));
    }

    /** The slow poll: one read of the followed feeds' newest positions; keep-alives for quiet streams. */
    private void poll() {
        try {
            if (byOrg.isEmpty()) {
                return;
            }
            Map<String, Long> newest = store.newest(byOrg.keySet());
            long now = System.nanoTime();
            for (Set<Subscription> ofOrg : byOrg.values()) {
                for (Subscription subscription : ofOrg) {
                    if (newest.getOrDefault(subscription.orgId, 0L) > subscription.cursor) {
                        subscription.poke();
                    } else if (subscription.timeout == null
                            && now - subscription.lastSent > TimeUnit.MILLISECONDS.toNanos(KEEP_ALIVE_MILLIS)) {
                        executor.execute(subscription::keepAlive);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warning("The revocation feed's slow poll failed; it tries again in " + POLL_MILLIS + " ms: " + e);
        }
    }

    private void remove(Subscription subscription) {
        synchronized (admission) {
            Set<Subscription> ofOrg = byOrg.get(subscription.orgId);
            if (ofOrg != null && ofOrg.remove(subscription)) {
                count--;
                if (ofOrg.isEmpty()) {
                    byOrg.remove(subscription.orgId);
                }
            }
        }
    }

    /** One follower's place in its feed. Its reads and deliveries run one at a time (its monitor). */
    private final class Subscription {

        final String orgId;
        final String keyId;
        final Follower follower;
        /** The read that is queued and has not started yet, if any: a poke meanwhile shares it. */
        final AtomicReference<CompletableFuture<Void>> queued = new AtomicReference<>();
        volatile long cursor;
        volatile long lastSent = System.nanoTime();
        volatile ScheduledFuture<?> timeout;
        private boolean ended;

        Subscription(String orgId, String keyId, long cursor, Follower follower) {
            this.orgId = orgId;
            this.keyId = keyId;
            this.cursor = cursor;
            this.follower = follower;
        }

        /**
         * Reads the feed soon, on the feed's threads; completes when that read has delivered. Pokes while a read is
         * queued share it: it starts after them, so it sees whatever they were told of.
         */
        CompletableFuture<Void> poke() {
            CompletableFuture<Void> read = new CompletableFuture<>();
            CompletableFuture<Void> earlier = queued.compareAndExchange(null, read);
            if (earlier != null) {
                return earlier;
            }
            try {
                executor.execute(() -> {
                    try {
                        catchUp(read);
                    } finally {
                        read.complete(null);
                    }
                });
            } catch (RuntimeException rejected) { // the feed is stopping
                queued.compareAndSet(read, null);
                read.complete(null);
            }
            return read;
        }

        synchronized void catchUp(CompletableFuture<Void> read) {
            queued.compareAndSet(read, null); // from here on, a poke queues a read of its own
            if (ended) {
                return;
            }
            try {
                FeedStore.Page page;
                do {
                    page = store.read(orgId, cursor, clock.millis(), PAGE_SIZE);
                    cursor = page.next();
                    if (!page.entries().isEmpty()) {
                        lastSent = System.nanoTime();
                        if (!follower.deliver(page)) {
                            end(null);
                            return;
                        }
                    }
                } while (page.entries().size() == PAGE_SIZE);
            } catch (ApiError expired) {
                end(Ending.CURSOR_EXPIRED);
            } catch (RuntimeException e) {
                LOG.warning("A revocation feed reader could not read the feed; the slow poll tries again: " + e);
            }
        }

        synchronized void keepAlive() {
            if (!ended) {
                lastSent = System.nanoTime();
                if (!follower.idle()) {
                    end(null);
                }
            }
        }

        /** Ends the follower once; {@code why} null: it is already done, nothing to tell it. */
        synchronized void end(Ending why) {
            if (ended) {
                return;
            }
            ended = true;
            remove(this);
            if (timeout != null) {
                timeout.cancel(false);
            }
            if (why != null) {
                try {
                    follower.end(why, cursor);
                } catch (RuntimeException e) {
                    LOG.fine(() -> "A revocation feed reader ended badly: " + e);
                }
            }
        }
    }
}
