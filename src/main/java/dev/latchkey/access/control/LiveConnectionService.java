package dev.latchkey.access.control;

import dev.latchkey.limits.control.SocketLimits;
import dev.latchkey.limits.control.LimitHits;
import dev.latchkey.limits.control.RateLimits;

import dev.latchkey.tokens.control.ClientAccess;
import dev.latchkey.platform.operations.Meters;
import dev.latchkey.platform.config.Settings;
import dev.latchkey.platform.operations.ShuttingDown;
import dev.latchkey.tokens.control.TokenMeters;
import dev.latchkey.tokens.control.Revocation;
import dev.latchkey.tokens.control.TokenStore;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server's single {@link LiveConnections}, wired to the validator, the token store, the clock and the
 * settings. It owns the scheduler behind the connections' timers: two daemon threads, cancelled timers
 * removed from the queue at once (a reauth or a close cancels two), shut down with the application.
 * It also listens for committed revocations.
 */
@ApplicationScoped
public class LiveConnectionService {

    private static final Logger LOG = Logger.getLogger(LiveConnectionService.class.getName());
    private static final int SCHEDULER_THREADS = 2;
    static final String GOING_AWAY_REASON = "Server shutting down";

    @Inject
    ClientAccess access;

    @Inject
    TokenStore tokenStore;

    @Inject
    Settings settings;

    @Inject
    Clock clock;

    @Inject
    TokenMeters tokenMeters;

    @Inject
    Meters meters;

    @Inject
    Event<ClientSend> sends;

    private SocketMeters socketMeters;
    private ScheduledThreadPoolExecutor scheduler;
    private LiveConnections connections;

    @Inject
    RateLimits rates;

    @Inject
    SocketLimits socketLimits;

    @PostConstruct
    void start() {
        scheduler = new ScheduledThreadPoolExecutor(SCHEDULER_THREADS,
                threads("latchkey-live-connections", Thread.currentThread().getContextClassLoader()));
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        socketMeters = new SocketMeters(meters);
        connections = new LiveConnections(access.validator(), tokenStore::find, clock,
                settings.wsExpiryWarningSecs(), scheduler, sends::fire)
                .metered(tokenMeters.validations(TokenMeters.Surface.REAUTH), socketMeters)
                .rateLimited((orgId, clientId) -> rates.admit(orgId, clientId, LimitHits.Hit.RATE_SOCKET) == null);
        LiveConnections open = connections;
        socketLimits.closingWith(open::closeForLimit);
        meters.gauge("latchkey_websockets_open", "WebSocket connections open on this node", open::size);
    }

    @PreDestroy
    void stop() {
        scheduler.shutdownNow();
    }

    /** The {@code max_sockets} limit, which the endpoint tells of every socket it opens and closes. */
    public SocketLimits socketLimits() {
        return socketLimits;
    }

    public LiveConnections connections() {
        return connections;
    }

    /** A revocation committed on this node: close the connections it concerns. */
    void revoked(@Observes Revocation revocation) {
        close(revocation);
    }

    /** The node is shutting down: every connection closes with 1001, while the server can still send the frames. */
    void shuttingDown(@Observes ShuttingDown shuttingDown) {
        int closed = connections.closeAll(GOING_AWAY_REASON);
        LOG.info(() -> "Closed " + closed + " live connections with 1001 (shutting down)");
    }

    /** Counts a connection's close by its code. */
    public SocketMeters meters() {
        return socketMeters;
    }

    /** An org's message: hand it to this node's connections of the client. */
    void push(@Observes ClientPush push) {
        push.delivered(connections.deliver(push.orgId(), push.clientId(), push.data()));
    }

    /** Closes this node's connections that a revocation (committed here or on another node) concerns. */
    public void close(Revocation revocation) {
        try {
            int closing = connections.revoke(revocation);
            if (closing > 0) {
                LOG.fine(() -> "Revocation closes " + closing + " live connections");
            }
        } catch (RuntimeException e) {
            // the revocation itself has committed and must still be answered as done
            LOG.log(Level.SEVERE, "Closing live connections after a revocation failed", e);
        }
    }

    /** Daemon threads that load classes as the application does (JSON-P is looked up through it). */
    private static ThreadFactory threads(String name, ClassLoader applicationLoader) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            thread.setContextClassLoader(applicationLoader);
            return thread;
        };
    }
}
