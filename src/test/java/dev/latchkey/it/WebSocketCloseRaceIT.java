package dev.latchkey.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server-side closes while other requests run (decision D7 of the {@code access} package). Payara Micro ends a
 * WebSocket that the server closes on the closing thread, and reads the client's answer to the close frame on
 * another; when the answer came at once, the container sometimes finished the socket's request objects twice, and
 * two later requests shared them: answers without a status line, HTTP bytes inside WebSocket frames, and errors in
 * the log after about one close in 50 to 150. Latchkey now closes from the socket's own read thread, when the
 * client answers a ping.
 *
 * <p>{@value #ROUNDS} rounds of: a socket opened, its token revoked (the server closes it with 4401, the JDK client
 * answers the close frame at once), the revoked token's handshake refused; meanwhile two threads call
 * {@code GET /api/v1/client_api} without pause. Every answer must be exact, and the server's log must hold no
 * container error. Runs once, in the H2 pass.
 */
class WebSocketCloseRaceIT {

    static final int ROUNDS = 300;

    @TempDir
    Path workDir;

    @Test
    void serverSideClosesDisturbNoOtherRequest() throws Exception {
        Assumptions.assumeTrue("h2".equals(System.getProperty("latchkey.it.database")), "runs once, in the H2 pass");
        String log = MicroJar.run(workDir, "close-race", MicroJar.freePort(), environment -> {
            // the failsafe environment: database, org key, admin key, signing secret
        }, (api, base) -> {
            SessionLoad load = SessionLoad.start(api, "close-race-background", "close-race");
            try {
                for (int round = 0; round < ROUNDS; round++) {
                    String token = api.mintToken(Api.uniqueClient(), 600);
                    URI uri = LiveSocket.uri(base, token);
                    try (LiveSocket socket = LiveSocket.open(uri, Map.of())) {
                        assertEquals("session", socket.next().getString("type"));
                        assertEquals(200, api.revoke(token).status());
                        LiveSocket.Closed closed = socket.closed();
                        assertEquals(4401, closed.code(), "round " + round);
                        assertEquals("Token has been revoked", closed.reason(), "round " + round);
                    }
                    LiveSocket.refused(uri, Map.of()).assertError(401, "Token has been revoked");
                }
            } finally {
                load.close();
            }
            load.assertExact(ROUNDS);
        });
        List<String> errors = SessionLoad.containerErrors(log);
        assertTrue(errors.isEmpty(), () -> "container errors in the server log: " + errors);
    }
}
