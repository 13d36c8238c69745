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
 * (see {@link LiveConnectionRegistry}); sending and closing never hold it (they hold a lock of their own, which
 * keeps every text frame before the close's ping).
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
     * How long a close waits for the client's pong, in milliseconds, counted from when the ping was handed to the
     * socket (decision D7 of the {@code access} package). A client that answers pings (RFC 6455 5.5.2: it must,
     * "as soon as practical") gets its close frame on the pong's read thread well within this; one that has sent
     * nothing by then is ended without a close frame ({@link SilentEnd}). Far longer than a browser on a loaded
     * machine takes: Chromium's pongs came within 317 ms on a loaded 2-core machine (see {@code docs/websocket.md},
     * "Server-side closes"); the connection is idle meanwhile, so a shorter wait would save nothing.
     */
    public static final long PONG_WAIT_MILLIS = 10_000;

    /** The reason {@code @OnClose} is given when a connection is ended without a close frame (code 1006). */
    static final String NO_PONG_REASON = "No pong within " + PONG_WAIT_MILLIS + " ms of the close's ping";

    /** The payload of the ping that asks for the pong a close waits for. */
    static final byte[] CLOSE_PING = "latchkey-close".getBytes(StandardCharsets.US_ASCII);

    private final Session session;
    private final AtomicInteger sendsInFlight = new AtomicInteger();
    /**
     * Held while a text frame is handed to the socket, while a close is decided (its ping handed over and the
     * close published) and while it is taken: a text frame goes out before the close's ping or not at all, and
     * the close frame only after the ping, whichever threads send them.
     */
    private final Object sendLock = new Object();
    /** Set once a close is decided (under {@link #sendLock}): from then on no text frame is sent. */
    private volatile boolean closing;

    // guarded by this
    ClientPrincipal principal;
    boolean ended;
    private List<? extends Future<?>> timers = List.of();
    // guarded by sendLock
    private PendingClose pendingClose;

    /**
     * A close that waits for the client's pong; {@code sent} runs once its frame has been handed to the socket;
     * {@code pingedAt} is when the ping was handed over ({@link System#nanoTime()}).
     */
    private record PendingClose(int code, String reason, Runnable sent, long pingedAt) {
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

    /** The socket's id, unique on this node (the container's session id). */
    public String id() {
        return session.getId();
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

    /** Whether a close has been decided ({@link #closeAfterPong} or {@link #close} called). */
    boolean isClosing() {
        return closing;
    }

    /**
     * Hands a text message to the socket without waiting for it to be written; false if the socket is closed or
     * a close has been decided: a close frame must be the last frame the server sends (RFC 6455 5.5.1), and a
     * browser fails the connection (code 1006 instead of the close's code) on a frame after it.
     */
    boolean send(String text) {
        synchronized (sendLock) {
            try {
                if (closing || !session.isOpen()) {
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
    }

    /**
     * Closes the socket from the thread that reads it (decision D7): sends a ping and, once it has been handed to
     * the socket, schedules the wait for the pong on {@code scheduler}. The close frame is sent when the client's
     * pong, or any other frame of the client, has been read ({@link #ponged()}, called by the endpoint on the
     * socket's read thread). When nothing has been read from the client after {@code waitMillis} milliseconds,
     * the connection is ended without a close frame ({@link #pongOverdue()}). Closes at once when the ping cannot
     * be sent or the scheduler is shut down. No text frame is sent from the call on ({@link #send}).
     *
     * @param sent runs once the close frame has been handed to the socket (not when the connection is ended
     *             without one)
     */
    void closeAfterPong(int code, String reason, ScheduledExecutorService scheduler, long waitMillis,
                        Runnable sent) {
        boolean pinged;
        synchronized (sendLock) {
            closing = true;
            try {
                session.getAsyncRemote().sendPing(ByteBuffer.wrap(CLOSE_PING));
                pinged = true;
            } catch (IOException | IllegalStateException | IllegalArgumentException e) {
                LOG.log(Level.FINE, "No ping before closing a live connection: {0}", e.getClass().getName());
                pinged = false;
            }
            // published together with the ping: a frame read meanwhile (the pong itself, on a loaded machine) waits
            // for the lock and then finds the close, which therefore always follows the ping
            pendingClose = new PendingClose(code, reason, sent, System.nanoTime());
        }
        if (!pinged) {
            ponged();
            return;
        }
        try {
            scheduler.schedule(this::pongOverdue, waitMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            ponged(); // shutting down
        }
    }

    /**
     * The client's pong, or any other frame of the client, has been read: sends the close this connection waits
     * for, if any, on the calling thread (the socket's read thread, where the client's answer to the close frame
     * cannot be read meanwhile).
     *
     * @return whether a close was waiting (and has now been sent)
     */
    boolean ponged() {
        PendingClose close = takePendingClose();
        if (close == null) {
            return false;
        }
        LOG.log(Level.FINE, "Close frame sent {0} ms after the ping",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - close.pingedAt()));
        close(close.code(), close.reason());
        close.sent().run();
        return true;
    }

    /**
     * No pong came within the wait: ends the connection without a close frame (decision D7), so that no answer
     * to a close frame can be read while the server ends the socket. The client sees the connection end without
     * a close (1006 in a browser); only a client that does not answer pings, which RFC 6455 5.5.2 requires, gets
     * here. Where the runtime offers no such end ({@link SilentEnd}), closes as {@link #ponged()} does.
     */
    void pongOverdue() {
        PendingClose close = takePendingClose();
        if (close == null) {
            return; // the pong came first
        }
        if (session.isOpen() && SilentEnd.end(session,
                new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, NO_PONG_REASON))) {
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - close.pingedAt());
            LOG.info(() -> "Ended the live connection of token " + principal().tokenId()
                    + " without a close frame: nothing read from the client " + waited + " ms after the close's ping");
            return;
        }
        close(close.code(), close.reason());
        close.sent().run();
    }

    private PendingClose takePendingClose() {
        synchronized (sendLock) {
            PendingClose close = pendingClose;
            pendingClose = null;
            return close;
        }
    }

    /** Sends the close frame at once; a socket that is already closed is left alone. */
    void close(int code, String reason) {
        synchronized (sendLock) {
            closing = true;
        }
        try {
            if (session.isOpen()) {
                session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
            }
        } catch (IOException | IllegalStateException e) {
            LOG.log(Level.FINE, "Closing a live connection failed: {0}", e.getClass().getName());
        }
    }
}
