package dev.latchkey.access.control;

import dev.latchkey.tokens.control.ClientPrincipal;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One open {@code /client_ws} connection and the token that governs it. The governing principal, the
 * ended flag and the timers change only under this object's lock, together with the registry's indexes
 * (see {@link LiveConnectionRegistry}); sending and closing never hold it.
 */
public final class LiveConnection {

    /** Close code for a governing token that stopped being valid: HTTP's 401 in the application range. */
    public static final int TOKEN_INVALID = 4401;
    /** Close code for a message over the size limit (RFC 6455: message too big). */
    public static final int TOO_BIG = 1009;

    private static final Logger LOG = Logger.getLogger(LiveConnection.class.getName());

    /** How many {@code send} messages of one connection may wait for the organization's answer at once. */
    public static final int MAX_SENDS_IN_FLIGHT = 8;

    /**
     * How long a close waits for the client's pong before it is sent anyway, in milliseconds (decision D7 of the
     * {@code access} package): a client that has not answered a ping by then (a slow network) will not answer the
     * close frame fast enough to race with the server's end of the socket either; and a close still arrives within
     * the contract's 100 ms of the revocation's answer.
     */
    public static final long PONG_WAIT_MILLIS = 50;

    /** The payload of the ping that asks for the pong a close waits for. */
    static final byte[] CLOSE_PING = "latchkey-close".getBytes(StandardCharsets.US_ASCII);

    private final Session session;
    private final AtomicInteger sendsInFlight = new AtomicInteger();

    // guarded by this
    ClientPrincipal principal;
    boolean ended;
    private List<? extends Future<?>> timers = List.of();
    private PendingClose pendingClose;

    /** A close that waits for the client's pong; {@code sent} runs once its frame has been handed to the socket. */
    private record PendingClose(int code, String reason, Runnable sent) {
    }

    LiveConnection(Session session, ClientPrincipal principal) {
        this.session = session;
        this.principal = principal;
    }

    /** Counts a {@code send} in; false (and nothing counted) when the connection already has the most in flight. */
    boolean startSend() {
        if (sendsInFlight.incrementAndGet() > MAX_SENDS_IN_FLIGHT) {
            sendsInFlight.decrementAndGet();
            return false;
        }
        return true;
    }

    void endSend() {
        sendsInFlight.decrementAndGet();
    }

    /** The principal of the token that governs the connection now. */
    public synchronized ClientPrincipal principal() {
        return principal;
    }

    public synchronized boolean isEnded() {
        return ended;
    }

    synchronized boolean isGovernedBy(String tokenId) {
        return !ended && principal.tokenId().equals(tokenId);
    }

    /**
     * Installs the warning and expiry timers of {@code tokenId}, cancelling the previous ones. Timers of a token
     * that no longer governs (a reauth overtook them) or of an ended connection are cancelled at once.
     */
    synchronized void replaceTimers(String tokenId, List<? extends Future<?>> next) {
        if (ended || !principal.tokenId().equals(tokenId)) {
            next.forEach(timer -> timer.cancel(false));
            return;
        }
        cancelTimers();
        timers = next;
    }

    /** Called under the lock when the connection ends. */
    void cancelTimers() {
        timers.forEach(timer -> timer.cancel(false));
        timers = List.of();
    }

    /** Hands a text message to the socket without waiting for it to be written; false if the socket is closed. */
    boolean send(String text) {
        try {
            if (!session.isOpen()) {
                return false;
            }
            session.getAsyncRemote().sendText(text, result -> {
                if (!result.isOK()) {
                    LOG.log(Level.FINE, "A message to a live connection was not sent: {0}",
                            result.getException().getClass().getName());
                }
            });
            return true;
        } catch (IllegalStateException e) {
            return false; // closed meanwhile
        }
    }

    /**
     * Closes the socket from the thread that reads it (decision D7): sends a ping and closes when the client's
     * pong arrives ({@link #ponged()}, called by the endpoint on the socket's read thread), or from
     * {@code scheduler} after {@code waitMillis} when none has. Closes at once when the ping cannot be sent or the
     * scheduler is shut down.
     *
     * @param sent runs once the close frame has been handed to the socket
     */
    void closeAfterPong(int code, String reason, ScheduledExecutorService scheduler, long waitMillis,
                        Runnable sent) {
        synchronized (this) {
            pendingClose = new PendingClose(code, reason, sent);
        }
        try {
            scheduler.schedule(this::ponged, waitMillis, TimeUnit.MILLISECONDS);
            session.getAsyncRemote().sendPing(ByteBuffer.wrap(CLOSE_PING));
        } catch (IOException | IllegalStateException | IllegalArgumentException | RejectedExecutionException e) {
            LOG.log(Level.FINE, "No ping before closing a live connection: {0}", e.getClass().getName());
            ponged();
        }
    }

    /** The client's pong arrived, or the wait for it is over: sends the close this connection waits for, if any. */
    void ponged() {
        PendingClose close;
        synchronized (this) {
            close = pendingClose;
            pendingClose = null;
        }
        if (close != null) {
            close(close.code(), close.reason());
            close.sent().run();
        }
    }

    /** Sends the close frame at once; a socket that is already closed is left alone. */
    void close(int code, String reason) {
        try {
            if (session.isOpen()) {
                session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
            }
        } catch (IOException | IllegalStateException e) {
            LOG.log(Level.FINE, "Closing a live connection failed: {0}", e.getClass().getName());
        }
    }
}
