package dev.latchkey.access.control;

import dev.latchkey.tokens.control.ClientPrincipal;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Future;
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

    private final Session session;
    private final AtomicInteger sendsInFlight = new AtomicInteger();

    // guarded by this
    ClientPrincipal principal;
    boolean ended;
    private List<? extends Future<?>> timers = List.of();

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

    /** Sends the close frame; a socket that is already closed is left alone. */
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
