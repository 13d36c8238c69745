package dev.latchkey.platform.cache;

import dev.latchkey.platform.config.Settings;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;

/**
 * The lease under which this node may answer from memory (token rows, org keys, signing keys). A node that runs
 * alone always holds it: every change is made here and reaches its caches before it is answered. In a cluster,
 * a change made on another node reaches this node's memory only when this node replays the database's change log;
 * the cluster feature then {@linkplain #require requires} the lease, and renews it each time it has replayed the
 * log. Between renewals the lease runs out after a fixed time measured on the monotonic clock
 * ({@link System#nanoTime()}), which keeps counting while the process is paused (SIGSTOP, a long GC) or cut off.
 *
 * <p>{@link #ensure()} is on every request's path: while the lease is held it costs a volatile read and a clock
 * read; once it has run out, the calling thread renews it first (one database round trip, shared by the threads
 * that arrive meanwhile), and a database failure propagates, so nothing is answered from stale memory.
 * The argument that this is enough is in {@code docs/clustering.md}.
 */
@ApplicationScoped
public class CacheLease {

    /** How long a row read from the database may answer from memory on a node that runs alone. */
    public static final Duration FRESH_ALONE = Duration.ofSeconds(1);
    /**
     * How long a row may answer from memory in a cluster: the lease, not the row's age, keeps it current (every
     * change reaches memory through the change log before the lease is renewed); the age only bounds what a
     * change made outside Latchkey (by hand, in SQL) can do.
     */
    public static final Duration FRESH_UNDER_LEASE = Duration.ofSeconds(60);

    @Inject
    Settings settings;

    /** How long a cached database row may answer from memory: {@link #FRESH_ALONE} or {@link #FRESH_UNDER_LEASE}. */
    public Duration freshFor() {
        return settings.clustered() ? FRESH_UNDER_LEASE : FRESH_ALONE;
    }

    /** Replays the change log into this node's memory and extends the lease; throws when it cannot. */
    @FunctionalInterface
    public interface Renewal {
        void renew();
    }

    /** The lease itself, a plain object (see {@link #check()}); this bean only hands its calls on. */
    private final Check check = new Check();

    /** From now on memory is trusted only under a lease that {@code renewal} renews (cluster mode). */
    public void require(Renewal renewal) {
        check.heldUntilNanos = System.nanoTime();
        check.renewal = renewal;
    }

    /** Called by a renewal that replayed the log completely: the lease holds until {@code untilNanos}. */
    public void extend(long untilNanos) {
        if (untilNanos - check.heldUntilNanos > 0) {
            check.heldUntilNanos = untilNanos;
        }
    }

    /** Ends the lease now (a node that stops); only a renewal gives it back. */
    public void expire() {
        check.heldUntilNanos = System.nanoTime();
    }

    /**
     * The lease's check as a plain object, for a caller on the hot path that keeps it (decision D4 in the
     * {@code access} package): a call through this bean's application-scoped proxy costs a context lookup each
     * time. Not this bean itself: Weld's proxy answers a method that returns {@code this} with the proxy again.
     */
    public Check check() {
        return check;
    }

    /** Returns at once while the lease is held; otherwise renews it on this thread, or throws. */
    public void ensure() {
        check.ensure();
    }

    /** Whether the cluster feature has taken the lease over ({@link #require}): the node has joined its cluster. */
    public boolean isRequired() {
        return check.renewal != null;
    }

    /** Whether memory may answer right now, without renewing (for readiness and tests). */
    public boolean isHeld() {
        return check.isHeld();
    }

    /** The lease's state and its check: a volatile read and a clock read while the lease is held. */
    public static final class Check {

        private volatile Renewal renewal;
        private volatile long heldUntilNanos;

        private Check() {
        }

        /** Returns at once while the lease is held; otherwise renews it on this thread, or throws. */
        public void ensure() {
            Renewal current = renewal;
            if (current != null && runOut()) {
                current.renew();
            }
        }

        boolean isHeld() {
            return renewal == null || !runOut();
        }

        private boolean runOut() {
            return System.nanoTime() - heldUntilNanos >= 0;
        }
    }
}
