package dev.latchkey.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latchkey.access.control.LiveConnection;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server-side closes of a client that never answers pings but would answer a close frame at once
 * ({@link NoPongSocket}), while other requests run (decision D7 of the {@code access} package). Such a client used
 * to get its 4401 close frame, and the end of its socket, from the server's timer thread 50 ms after the ping; its
 * immediate answer left container errors in the log (12 GRIZZLY0013 warnings, 29 NullPointerException and 8
 * WELD-000714 lines in 600 such closes under load). Now it gets no close frame: after
 * {@link LiveConnection#PONG_WAIT_MILLIS} ms without a pong the server ends the connection without one, so the
 * client has nothing to answer.
 *
 * <p>{@value #ROUNDS} rounds of {@value #SOCKETS} sockets at once, half of them sending text messages all along
 * ({@link NoPongSocket#startChatter()}, so that the server reads from them after its ping): each opened,
 * its token revoked, its end awaited without answering the server's ping; meanwhile two threads call
 * {@code GET /api/v1/client_api} without pause. A silent socket must end without a close frame, no sooner than
 * the wait after the revocation was asked; a talking one gets 4401 and its reason (its next message counts as the
 * pong). Each must end within the wait and {@value #LATE_MILLIS} ms more after the revocation's answer, with no
 * frame but the ping (and the close) after the ping; every other answer must be exact, and the log must hold no
 * container error. Runs once, in the H2 pass.
 */
class NoPongCloseIT {

    static final int ROUNDS = 10;
    static final int SOCKETS = 30;
    static final long LATE_MILLIS = 2_000;

    @TempDir
    Path workDir;

    private static final List<Long> silentEndMillis = Collections.synchronizedList(new ArrayList<>());
    private static final List<Long> chattyEndMillis = Collections.synchronizedList(new ArrayList<>());

    @Test
    void aClientThatNeverPongsIsEndedWithoutACloseFrameAndDisturbsNoOtherRequest() throws Exception {
        Assumptions.assumeTrue("h2".equals(System.getProperty("latchkey.it.database")), "runs once, in the H2 pass");
        List<Long> endMillis = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger answeredLoad = new AtomicInteger();
        String log = MicroJar.run(workDir, "no-pong-close", MicroJar.freePort(), environment -> {
            // the failsafe environment: database, org key, admin key, signing secret
        }, (api, base) -> {
            SessionLoad load = SessionLoad.start(api, "no-pong-background", "no-pong");
            ExecutorService clients = Executors.newFixedThreadPool(SOCKETS);
            try {
                for (int round = 0; round < ROUNDS; round++) {
                    List<Future<Long>> ends = new ArrayList<>();
                    for (int i = 0; i < SOCKETS; i++) {
                        String token = api.mintToken(Api.uniqueClient(), 600);
                        boolean chatty = i % 2 == 1;
                        String name = "round " + round + ", socket " + i;
                        ends.add(clients.submit(() -> closeOne(api, base, token, chatty, name)));
                    }
                    for (Future<Long> end : ends) {
                        endMillis.add(end.get(NoPongSocket.TIMEOUT_MILLIS + 30_000L, TimeUnit.MILLISECONDS));
                    }
                }
            } finally {
                clients.shutdownNow();
                clients.awaitTermination(30, TimeUnit.SECONDS);
                load.close();
            }
            load.assertExact(ROUNDS);
            answeredLoad.set(load.answered());
        });
        List<String> errors = SessionLoad.containerErrors(log, "without a close frame failed");
        long slowest = Collections.max(endMillis);
        System.out.println("[no-pong] " + silentEndMillis.size() + " silent clients ended without a close frame "
                + Collections.min(silentEndMillis) + " to " + Collections.max(silentEndMillis) + " ms after the revocation's answer; "
                + chattyEndMillis.size() + " talking clients closed with 4401 from the read thread, ended "
                + Collections.min(chattyEndMillis) + " to " + Collections.max(chattyEndMillis) + " ms after it; "
                + answeredLoad + " other requests answered meanwhile; " + errors.size() + " container error lines");
        assertTrue(errors.isEmpty(), () -> "container errors in the server log: " + errors);
        assertEquals(ROUNDS * SOCKETS, endMillis.size());
        assertTrue(slowest <= LiveConnection.PONG_WAIT_MILLIS + LATE_MILLIS,
                () -> "a connection ended " + slowest + " ms after the revocation");
    }

    /** One socket's revocation; answers how long after the revocation's answer the connection ended (ms). */
    private static long closeOne(Api api, URL base, String token, boolean chatty, String name) throws Exception {
        try (NoPongSocket socket = NoPongSocket.open(base, token)) {
            assertEquals(0x1, socket.next().opcode(), "the session message, " + name);
            if (chatty) {
                socket.startChatter();
            }
            long asked = System.nanoTime();
            assertEquals(200, api.revoke(token).status(), name);
            long revoked = System.nanoTime();
            NoPongSocket.Ended ended = socket.awaitEnd();
            long endMillis = TimeUnit.NANOSECONDS.toMillis(ended.atNanos() - revoked);
            // the server's wait starts after the request came and before it was answered
            long sinceAsked = TimeUnit.NANOSECONDS.toMillis(ended.atNanos() - asked);
            assertTrue(socket.pingsIgnored > 0, "the server pinged before ending, " + name);
            assertEquals(0, ended.otherFrames(), "frames after the ping, " + name);
            if (chatty) {
                // its next message after the ping was read: closed from the read thread, like a pong
                assertNotNull(ended.close(), () -> "no close frame for a client that kept talking, " + name);
                assertEquals(4401, ended.close().code(), name);
                assertEquals("Token has been revoked", ended.close().reason(), name);
                chattyEndMillis.add(endMillis);
            } else {
                assertNull(ended.close(), () -> "a close frame reached a client that sent nothing, " + name);
                assertTrue(sinceAsked >= LiveConnection.PONG_WAIT_MILLIS, () -> "ended " + sinceAsked
                        + " ms after the revocation was asked, before the wait for the pong was over, " + name);
                silentEndMillis.add(endMillis);
            }
            return endMillis;
        }
    }
}
