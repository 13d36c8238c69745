package dev.latchkey.cluster.control;

import static dev.latchkey.platform.json.JsonFactory.JSON;

import dev.latchkey.access.control.ClientPush;
import dev.latchkey.access.control.LiveConnectionService;
import dev.latchkey.limits.control.Limits;
import dev.latchkey.limits.control.LimitsChanged;
import dev.latchkey.limits.control.RateLimits;
import dev.latchkey.limits.control.SocketLimits;
import dev.latchkey.gateway.control.OpenStreams;
import dev.latchkey.orgs.control.OrgKeyRevoked;
import dev.latchkey.orgs.control.OrgKeys;
import dev.latchkey.platform.cache.CacheLease;
import dev.latchkey.platform.database.SchemaMigrations;
import dev.latchkey.platform.config.Settings;
import dev.latchkey.tokens.control.ClientAccess;
import dev.latchkey.tokens.control.Revocation;
import dev.latchkey.tokens.control.RevocationFeed;
import dev.latchkey.tokens.control.SigningKeyRotated;
import dev.latchkey.tokens.control.SigningKeys;
import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * This node's part in a cluster (when {@code LATCHKEY_CLUSTER_MEMBERS} is set; otherwise it does nothing):
 * <ul>
 *   <li><b>the lease</b>: every {@value #RENEW_EVERY_MILLIS} ms, and whenever {@link CacheLease#ensure()} finds it
 *       run out, it commits {@code node_lease} ({@value #LEASE_MILLIS} ms on the database's clock), then replays
 *       {@code change_log} into this node's memory (token rows, org keys, signing keys, live connections, the
 *       revocation feed's waiting readers), then extends the lease from the moment it began;</li>
 *   <li><b>revocations made here</b>: after one has committed and this node has applied it, {@link #propagate()}
 *       asks every node holding an unexpired lease to replay the log, and returns when each has acknowledged it or
 *       its lease has run out (plus {@value #MARGIN_MILLIS} ms);</li>
 *   <li><b>pushes</b>: an org's message reaches the client's connections on every member; each answers with its
 *       count within {@value #PUSH_WAIT_MILLIS} ms, or counts as 0.</li>
 * </ul>
 * Why this keeps the promise "once the revocation has answered, no node accepts the token" is written out in
 * {@code docs/clustering.md}.
 */
@ApplicationScoped
public class ClusterNode {

    /** How long a renewed lease lets this node answer from memory, in milliseconds. */
    static final long LEASE_MILLIS = 1_000;
    /** How often the lease is renewed (and the change log replayed), in milliseconds. */
    static final long RENEW_EVERY_MILLIS = 200;
    /** Added to every wait for a lease to run out, for clock granularity and rate differences, in milliseconds. */
    static final long MARGIN_MILLIS = 50;
    /** How long a push waits for the other members' counts, in milliseconds. */
    static final long PUSH_WAIT_MILLIS = 1_000;
    /** How long changes and dead nodes' leases are kept, in milliseconds. */
    static final long KEEP_MILLIS = TimeUnit.DAYS.toMillis(1);

    private static final Logger LOG = Logger.getLogger(ClusterNode.class.getName());

    @Inject
    Settings settings;

    @Inject
    CacheLease lease;

    @Inject
    ClientAccess access;

    @Inject
    LiveConnectionService sockets;

    @Inject
    OpenStreams proxiedStreams;

    @Inject
    OrgKeys orgKeys;

    @Inject
    SigningKeys signingKeys;

    @Inject
    RevocationFeed feed;

    @Inject
    Limits limits;

    @Inject
    RateLimits rates;

    @Inject
    SocketLimits socketLimits;

    @Resource(lookup = SchemaMigrations.DATA_SOURCE)
    DataSource dataSource;

    @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
    ManagedScheduledExecutorService executor;

    private final ReentrantLock renewing = new ReentrantLock();
    private final Object acknowledgements = new Object();
    private final Map<String, Long> replayedSeq = new ConcurrentHashMap<>();
    private final Map<String, PushReplies> pendingPushes = new ConcurrentHashMap<>();
    private final Set<String> feedsToWake = ConcurrentHashMap.newKeySet();

    private HazelcastBus bus;
    private String nodeId;
    private volatile long appliedSeq = -1;
    private volatile long lastRenewalStarted;
    /** When the last renewal that failed began ({@link System#nanoTime()}), and why; null message: none failed. */
    private long lastFailureStarted;
    private String lastFailure;
    private boolean stopping;
    private ScheduledFuture<?> renewals;
    private ScheduledFuture<?> purges;

    /** Joins: from now on this node answers from memory only under its lease. Fails the deployment if it cannot. */
    void start() {
        if (!settings.clustered()) {
            return;
        }
        try {
            bus = new HazelcastBus();
        } catch (NamingException e) {
            throw new IllegalStateException("LATCHKEY_CLUSTER_MEMBERS is set, but Payara's Hazelcast "
                    + "(JNDI payara/Hazelcast) is not available: " + e.getMessage(), e);
        }
        nodeId = bus.localId();
        lease.require(this::renew);
        renew();
        bus.listen(this::receive);
        socketLimits.use(new HazelcastSocketLedger(bus, nodeId, bus::publish));
        // watched before counting, so that every join after the count is seen too: each node's log ends at the truth
        bus.watchMembers(() -> {
            int now = membersChanged();
            LOG.info(() -> "Cluster membership changed; members seen: " + now);
        });
        int members = membersChanged();
        LOG.info(() -> "Cluster node " + nodeId + " joined; members seen: " + members);
        renewals = executor.scheduleWithFixedDelay(this::renewQuietly,
                RENEW_EVERY_MILLIS, RENEW_EVERY_MILLIS, TimeUnit.MILLISECONDS);
        purges = executor.scheduleWithFixedDelay(this::purgeQuietly, 1, 10, TimeUnit.MINUTES);
    }

    /**
     * Reads the members this node sees now, afresh at every change (so the last change read wins, whatever order
     * the events arrive in), and hands their count to the rate limits: each node holds 1/N of every client's rate.
     *
     * @return the count of members, this node included
     */
    private int membersChanged() {
        int members = bus.otherIds().size() + 1;
        rates.members(members);
        return members;
    }

    /** Leaves: stops answering from memory, then gives up the lease so that revocations stop waiting for it. */
    void stop() {
        if (bus == null) {
            return;
        }
        renewing.lock();
        try {
            stopping = true;
            lease.expire();
        } finally {
            renewing.unlock();
        }
        renewals.cancel(false);
        purges.cancel(false);
        try {
            bus.close();
        } catch (RuntimeException e) {
            LOG.fine(() -> "The cluster topic was already closed: " + e);
        }
        try (Connection connection = autoCommit()) {
            LeaseStore.release(connection, nodeId);
        } catch (SQLException e) {
            LOG.warning("Could not give up this node's lease (it runs out by itself): " + e.getMessage());
        }
    }

    /**
     * Replays the change log and renews the lease, on the calling thread ({@link CacheLease.Renewal}). Threads
     * that arrive while a renewal runs wait for it and use its outcome when it began after they asked: a success,
     * or a failure, which they share rather than each trying the database again in turn (queued one behind
     * another, their waits would add up while the database is down). A renewal fails within the pool's wait.
     *
     * @throws IllegalStateException when the database cannot be read, or the node is stopping
     */
    void renew() {
        long asked = System.nanoTime();
        renewing.lock();
        try {
            if (lastRenewalStarted - asked > 0 && lease.isHeld()) {
                return;
            }
            if (lastFailure != null && lastFailureStarted - asked > 0) {
                throw new IllegalStateException(lastFailure);
            }
            if (stopping) {
                throw new IllegalStateException("This node is stopping: it no longer answers from memory");
            }
            long started = System.nanoTime();
            try (Connection connection = autoCommit()) {
                LeaseStore.renew(connection, nodeId, LEASE_MILLIS);
                if (appliedSeq < 0) {
                    appliedSeq = LeaseStore.latestSeq(connection); // first renewal: memory is still empty
                } else {
                    for (Change change : LeaseStore.changesSince(connection, appliedSeq)) {
                        apply(change);
                        appliedSeq = change.seq();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                lastFailureStarted = started;
                lastFailure = "Could not renew this node's cache lease: " + e.getMessage();
                throw new IllegalStateException(lastFailure, e);
            }
            lastRenewalStarted = started;
            lease.extend(started + TimeUnit.MILLISECONDS.toNanos(LEASE_MILLIS));
        } finally {
            renewing.unlock();
        }
    }

    private void apply(Change change) {
        switch (change.kind()) {
            case TOKEN -> revoked(Revocation.ofToken(change.orgId(), change.subject()));
            case CLIENT -> revoked(Revocation.ofClient(change.orgId(), change.subject()));
            case ORG_KEY -> {
                orgKeys.forget(change.subject());
                feed.keyRevoked(change.subject());
            }
            case SIGNING_KEY -> signingKeys.refresh();
            case LIMITS -> limits.forget(change.orgId());
            default -> throw new IllegalStateException("Unknown change kind " + change.kind());
        }
    }

    private void revoked(Revocation revocation) {
        access.forget(revocation);
        sockets.close(revocation);
        proxiedStreams.cut(revocation);
        feedsToWake.add(revocation.orgId());
    }

    /**
     * The feed readers on this node of every organization whose revocation was replayed read the feed (the
     * database) from their cursors; called after a renewal, outside its lock, and before its acknowledgement, so the
     * revoking node answers once the entry was written to this node's streams (or a short wait has passed).
     */
    private void wakeFeeds() {
        for (String orgId : feedsToWake) {
            feedsToWake.remove(orgId);
            feed.wake(orgId);
        }
    }

    /** After a revocation committed here: returns once no node can answer from memory that predates it. */
    void revokedHere(@Observes @Priority(Interceptor.Priority.PLATFORM_AFTER) Revocation revocation) {
        propagate();
    }

    void keyRevokedHere(@Observes OrgKeyRevoked revocation) {
        propagate();
    }

    void rotatedHere(@Observes SigningKeyRotated rotation) {
        propagate();
    }

    /** New limits apply on every node before the admin's {@code PUT} answers. */
    void limitsChangedHere(@Observes LimitsChanged change) {
        propagate();
    }

    /** Adds the other members' deliveries to an org's push. */
    void pushedHere(@Observes ClientPush push) {
        push.delivered(pushToOtherMembers(push));
    }

    /**
     * Waits until every other node that holds an unexpired lease has replayed the change log up to its newest
     * change (each acknowledges over the topic), or that node's lease has run out.
     */
    void propagate() {
        if (bus == null) {
            return;
        }
        long target;
        Map<String, Long> leases;
        try (Connection connection = autoCommit()) {
            target = LeaseStore.latestSeq(connection);
            leases = LeaseStore.otherLeases(connection, nodeId);
        } catch (SQLException e) {
            LOG.warning("Could not read the other nodes' leases; waiting until any lease has run out: " + e.getMessage());
            sleep(LEASE_MILLIS + MARGIN_MILLIS);
            return;
        }
        if (leases.isEmpty()) {
            return;
        }
        long read = System.nanoTime();
        Map<String, Long> deadlines = new HashMap<>();
        leases.forEach((node, remaining) ->
                deadlines.put(node, read + TimeUnit.MILLISECONDS.toNanos(remaining + MARGIN_MILLIS)));
        bus.publish(JSON.createObjectBuilder().add("op", "sync").add("from", nodeId).add("seq", target)
                .build().toString());
        synchronized (acknowledgements) {
            while (true) {
                long now = System.nanoTime();
                long next = Long.MAX_VALUE;
                for (Map.Entry<String, Long> node : deadlines.entrySet()) {
                    boolean replayed = replayedSeq.getOrDefault(node.getKey(), -1L) >= target;
                    if (!replayed && node.getValue() - now > 0) {
                        next = Math.min(next, node.getValue() - now);
                    }
                }
                if (next == Long.MAX_VALUE) {
                    return;
                }
                try {
                    acknowledgements.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(next)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    sleep(LEASE_MILLIS + MARGIN_MILLIS); // interrupted: fall back to waiting every lease out
                    return;
                }
            }
        }
    }

    private int pushToOtherMembers(ClientPush push) {
        if (bus == null) {
            return 0;
        }
        Set<String> others = bus.otherIds();
        if (others.isEmpty()) {
            return 0;
        }
        String id = UUID.randomUUID().toString();
        PushReplies replies = new PushReplies(others);
        pendingPushes.put(id, replies);
        try {
            bus.publish(JSON.createObjectBuilder().add("op", "push").add("id", id).add("from", nodeId)
                    .add("org", push.orgId()).add("client", push.clientId()).add("data", push.data())
                    .build().toString());
            return replies.await(PUSH_WAIT_MILLIS);
        } finally {
            pendingPushes.remove(id);
        }
    }

    /** A message from the topic, on Hazelcast's event thread: anything slow moves to the executor. */
    private void receive(String text) {
        JsonObject message;
        try (JsonReader reader = JSON.createReader(new StringReader(text))) {
            message = reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            LOG.warning("Ignored a cluster message that is not a JSON object");
            return;
        }
        try {
            dispatch(message);
        } catch (RuntimeException e) {
            LOG.warning("Ignored a malformed cluster message: " + e);
        }
    }

    private void dispatch(JsonObject message) {
        String from = message.getString("from", "");
        if (from.equals(nodeId)) {
            return;
        }
        switch (message.getString("op", "")) {
            case "sync" -> executor.execute(this::renewAndAcknowledge);
            case "ack" -> acknowledged(from, message.getJsonNumber("seq").longValue());
            case "push" -> executor.execute(() -> deliver(message));
            case "close-socket" -> executor.execute(() ->
                    HazelcastSocketLedger.closeIfMine(message, nodeId, socketLimits));
            case "pushed" -> {
                PushReplies replies = pendingPushes.get(message.getString("id", ""));
                if (replies != null && nodeId.equals(message.getString("to", ""))) {
                    replies.add(from, message.getInt("count"));
                }
            }
            default -> LOG.warning("Ignored a cluster message of unknown kind");
        }
    }

    private void renewAndAcknowledge() {
        try {
            renew();
            wakeFeeds();
            bus.publish(JSON.createObjectBuilder().add("op", "ack").add("from", nodeId).add("seq", appliedSeq)
                    .build().toString());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not replay the change log when asked to: " + e.getMessage());
        }
    }

    private void acknowledged(String node, long seq) {
        synchronized (acknowledgements) {
            replayedSeq.merge(node, seq, Math::max);
            acknowledgements.notifyAll();
        }
    }

    private void deliver(JsonObject message) {
        int count = sockets.connections().deliver(message.getString("org"), message.getString("client"),
                message.get("data"));
        bus.publish(JSON.createObjectBuilder().add("op", "pushed").add("id", message.getString("id"))
                .add("from", nodeId).add("to", message.getString("from")).add("count", count).build().toString());
    }

    private void renewQuietly() {
        try {
            renew();
            wakeFeeds();
        } catch (RuntimeException e) {
            LOG.warning("Cache lease not renewed; this node reads the database until it is: " + e.getMessage());
        }
    }

    private void purgeQuietly() {
        try (Connection connection = autoCommit()) {
            LeaseStore.purge(connection, KEEP_MILLIS);
        } catch (SQLException | RuntimeException e) {
            LOG.warning("Could not purge old cluster changes: " + e.getMessage());
        }
    }

    private Connection autoCommit() throws SQLException {
        Connection connection = dataSource.getConnection();
        connection.setAutoCommit(true);
        return connection;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
