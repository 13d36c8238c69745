package dev.latchkey.limits.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code max_sockets} limit: the open {@code /client_ws} connections of one client_id over the cluster. The
 * transport tells it when a socket opens and closes; it keeps them in a {@link Ledger} (this node's memory alone, or
 * on a cluster the Hazelcast map the cluster feature installs), answers whether a handshake is over the limit
 * ({@code refuse}) and, under {@code close_oldest}, closes the client's oldest sockets, on whichever node they are,
 * with {@value #CLOSE_CODE} {@value #TOO_MANY}.
 */
@ApplicationScoped
public class SocketLimits {

    /** The contract's answer: the handshake's 429 detail, and the close reason with {@link #CLOSE_CODE}. */
    public static final String TOO_MANY = "Too many connections for this client";
    /** The close code of a socket closed by {@code close_oldest}. */
    public static final int CLOSE_CODE = 4429;

    /** One open socket: its id (unique on its node), when it opened (epoch ms), its node ({@code ""}: this one). */
    public record Open(String socketId, long openedAt, String node) {
    }

    /** Where the open sockets of every client are kept: this node's memory, or the cluster's. */
    public interface Ledger {

        /** The client's open sockets on every node. */
        List<Open> open(String orgId, String clientId);

        void opened(String orgId, String clientId, String socketId, long openedAt);

        void closed(String orgId, String clientId, String socketId);

        /** Asks the socket's node to close it with {@link #CLOSE_CODE}. */
        void closeElsewhere(Open socket, String orgId, String clientId);
    }

    /** What closes one of this node's sockets: organization, client, socket id. */
    public interface Closer {
        void close(String orgId, String clientId, String socketId);
    }

    @Inject
    Limits limits;

    @Inject
    LimitHits hits;

    private volatile Ledger ledger = new LocalLedger();
    private volatile Closer closeHere = (orgId, clientId, socketId) -> { };

    /** The cluster's ledger replaces this node's own (the cluster feature calls it when the node joins). */
    public void use(Ledger clusterLedger) {
        ledger = clusterLedger;
    }

    /** How this node's sockets are closed (the transport sets it). */
    public void closingWith(Closer closer) {
        closeHere = closer;
    }

    /**
     * Whether a handshake of the client is refused: {@code max_sockets} with {@code refuse}, and the client has as
     * many sockets open over the cluster as its limit. Counts and logs the hit.
     */
    public boolean refuses(String orgId, String clientId) {
        OrgLimits.Cap cap = limits.of(orgId).sockets();
        if (cap == null || cap.onLimit() != OrgLimits.Action.REFUSE
                || ledger.open(orgId, clientId).size() < cap.limit()) {
            return false;
        }
        hits.hit(LimitHits.Hit.MAX_SOCKETS_REFUSE, orgId, clientId);
        return true;
    }

    /** A socket of the client opened on this node; under {@code close_oldest}, the oldest over the limit close. */
    public void opened(String orgId, String clientId, String socketId, long openedAt) {
        ledger.opened(orgId, clientId, socketId, openedAt);
        OrgLimits.Cap cap = limits.of(orgId).sockets();
        if (cap == null || cap.onLimit() != OrgLimits.Action.CLOSE_OLDEST) {
            return;
        }
        List<Open> open = new ArrayList<>(ledger.open(orgId, clientId));
        int excess = open.size() - cap.limit();
        if (excess <= 0) {
            return;
        }
        open.sort(Comparator.comparingLong(Open::openedAt).thenComparing(Open::node).thenComparing(Open::socketId));
        for (Open oldest : open.subList(0, excess)) {
            if (oldest.node().isEmpty()) {
                closeHere.close(orgId, clientId, oldest.socketId());
            } else {
                ledger.closeElsewhere(oldest, orgId, clientId);
            }
        }
        hits.hit(LimitHits.Hit.MAX_SOCKETS_CLOSE_OLDEST, orgId, clientId);
    }

    public void closed(String orgId, String clientId, String socketId) {
        ledger.closed(orgId, clientId, socketId);
    }

    /** Another node asked this one to close one of its sockets. */
    public void closeHere(String orgId, String clientId, String socketId) {
        closeHere.close(orgId, clientId, socketId);
    }

    /** A single node's ledger: its own sockets. */
    static final class LocalLedger implements Ledger {

        private final Map<String, Map<String, Long>> sockets = new ConcurrentHashMap<>();

        @Override
        public List<Open> open(String orgId, String clientId) {
            Map<String, Long> open = sockets.getOrDefault(key(orgId, clientId), Map.of());
            List<Open> list = new ArrayList<>();
            open.forEach((id, at) -> list.add(new Open(id, at, "")));
            return list;
        }

        @Override
        public void opened(String orgId, String clientId, String socketId, long openedAt) {
            sockets.compute(key(orgId, clientId), (k, open) -> {
                Map<String, Long> kept = open != null ? open : new ConcurrentHashMap<>();
                kept.put(socketId, openedAt);
                return kept;
            });
        }

        @Override
        public void closed(String orgId, String clientId, String socketId) {
            sockets.computeIfPresent(key(orgId, clientId), (k, open) -> {
                open.remove(socketId);
                return open.isEmpty() ? null : open;
            });
        }

        @Override
        public void closeElsewhere(Open socket, String orgId, String clientId) {
            // a single node has no elsewhere
        }

        private static String key(String orgId, String clientId) {
            return orgId + '\n' + clientId;
        }
    }
}
