package dev.latchkey.access.control;

import dev.latchkey.platform.operations.Meters;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Histogram;

/**
 * The WebSocket series on {@code /metrics}: closes by code ({@code latchkey_websocket_closes_total{code}}, the
 * codes Latchkey and browsers use, the rest as {@code other}) and the time from a revocation reaching this node
 * to its connection's 4401 close frame being handed to the socket ({@code latchkey_revoke_close_latency_seconds}).
 * On the node that revoked, the revocation reaches it when its commit does; on another node of a cluster, when
 * the change arrives there (so the histogram of each node measures the closes it made). The open-connection
 * gauge is registered by {@link LiveConnectionService}.
 */
public final class SocketMeters {

    private static final int[] CODES = {1000, 1001, 1006, 1008, 1009, 1011, LiveConnection.TOKEN_INVALID};

    private final Counter[] closes = new Counter[CODES.length];
    private final Counter otherCloses;
    private final Histogram revokeToClose;

    public SocketMeters(Meters meters) {
        String help = "WebSocket connections closed, by close code";
        for (int i = 0; i < CODES.length; i++) {
            closes[i] = meters.counter("latchkey_websocket_closes", help, "code", String.valueOf(CODES[i]));
        }
        otherCloses = meters.counter("latchkey_websocket_closes", help, "code", "other");
        revokeToClose = meters.nanoseconds("latchkey_revoke_close_latency",
                "From a revocation reaching this node to the close frame of a connection it governed");
    }

    /** Meters that count nothing, for tests. */
    static SocketMeters none() {
        return new SocketMeters(Meters.none());
    }

    /** A connection closed with this code (sent by either side). */
    public void closed(int code) {
        for (int i = 0; i < CODES.length; i++) {
            if (CODES[i] == code) {
                closes[i].inc();
                return;
            }
        }
        otherCloses.inc();
    }

    void revokeClosed(long revokedAtNanos) {
        revokeToClose.update(System.nanoTime() - revokedAtNanos);
    }
}
