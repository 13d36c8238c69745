package dev.latchkey.access.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latchkey.tokens.control.ClientPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The order of a server-side close (decision D7 of the {@code access} package): the ping before the wait for its
 * pong, and no text frame once a close is decided (RFC 6455 5.5.1: the close frame is the last the server sends).
 */
class LiveConnectionTest {

    private static final ClientPrincipal PRINCIPAL = new ClientPrincipal("org-1", "c1", "t1", 0, Long.MAX_VALUE);

    /** Records, for every task scheduled, how many pings the session had sent by then. */
    private final List<Integer> pingsWhenScheduled = new ArrayList<>();
    private final FakeSession session = new FakeSession();
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1) {
        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            synchronized (pingsWhenScheduled) {
                pingsWhenScheduled.add(session.pings.size());
            }
            return super.schedule(command, delay, unit);
        }
    };

    @AfterEach
    void tearDown() {
        scheduler.shutdownNow();
    }

    @Test
    void thePingIsHandedToTheSocketBeforeTheWaitForItsPongStarts() throws Exception {
        LiveConnection connection = new LiveConnection(session.session, PRINCIPAL);

        connection.closeAfterPong(LiveConnection.TOKEN_INVALID, "Token has been revoked", scheduler, 60_000, () -> { });

        assertEquals(List.of("latchkey-close"), session.pings);
        assertEquals(List.of(1), pingsWhenScheduled, "the wait was scheduled after the ping, once");
        assertFalse(session.closed.isDone(), "no close frame before the pong or the wait's end");
        connection.ponged();
        assertEquals(LiveConnection.TOKEN_INVALID, session.awaitClose().getCloseCode().getCode());
    }

    /**
     * On a loaded machine the client's pong (or any message) can be read on another thread before the thread that
     * sent the ping gets to publish the close: the reader must wait for it rather than miss it, and its close frame
     * must still follow the ping.
     */
    @Test
    void aFrameReadWhileThePingIsHandedOverClosesRightAfterThePing() throws Exception {
        LiveConnection connection = new LiveConnection(session.session, PRINCIPAL);
        CompletableFuture<Boolean> closedByReader = new CompletableFuture<>();
        List<Boolean> closedDuringPing = new ArrayList<>();
        session.duringPing = () -> {
            Thread reader = new Thread(() -> closedByReader.complete(connection.ponged()), "reader");
            reader.start();
            try {
                reader.join(200); // blocked until the close is published
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            closedDuringPing.add(session.closed.isDone());
        };

        connection.closeAfterPong(LiveConnection.TOKEN_INVALID, "Token has been revoked", scheduler, 60_000, () -> { });

        assertTrue(closedByReader.get(5, TimeUnit.SECONDS), "the frame read meanwhile sent the close");
        assertEquals(LiveConnection.TOKEN_INVALID, session.awaitClose().getCloseCode().getCode());
        assertEquals(List.of(false), closedDuringPing, "no close frame before the ping");
        assertEquals(1, session.pingsAtClose, "the close frame followed the ping");
        assertEquals("reader", session.closedBy.getName(), "closed on the thread that read the frame");
    }

    @Test
    void noTextIsSentOnceACloseIsDecided() throws Exception {
        LiveConnection connection = new LiveConnection(session.session, PRINCIPAL);
        assertTrue(connection.send("{\"type\":\"before\"}"));

        connection.closeAfterPong(LiveConnection.TOKEN_INVALID, "Token has been revoked", scheduler, 60_000, () -> { });

        assertTrue(connection.isClosing());
        assertFalse(connection.send("{\"type\":\"after\"}"), "a text frame after the ping could follow the close");
        connection.ponged();
        session.awaitClose();
        assertFalse(connection.send("{\"type\":\"after\"}"));
        assertEquals(List.of("{\"type\":\"before\"}"), session.sent);
    }

    @Test
    void aCloseWithoutWaitingAlsoStopsTheTextFrames() {
        LiveConnection connection = new LiveConnection(session.session, PRINCIPAL);

        connection.close(LiveConnection.TOO_BIG, "Message too big");

        assertFalse(connection.send("{\"type\":\"after\"}"));
        assertTrue(session.sent.isEmpty());
    }

    @Test
    void thePongOrTheWaitsEndClosesOnceWhicheverComesFirst() throws Exception {
        LiveConnection connection = new LiveConnection(session.session, PRINCIPAL);
        AtomicInteger sent = new AtomicInteger();

        connection.closeAfterPong(LiveConnection.TOKEN_INVALID, "Token has been revoked", scheduler, 60_000,
                sent::incrementAndGet);
        connection.ponged();
        connection.pongOverdue(); // the wait ends after the pong: nothing more
        connection.ponged();

        assertEquals(1, sent.get());
        assertEquals(LiveConnection.TOKEN_INVALID, session.awaitClose().getCloseCode().getCode());
    }
}
