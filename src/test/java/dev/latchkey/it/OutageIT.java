package dev.latchkey.it;

import static dev.latchkey.it.Api.ORG_KEY;
import static dev.latchkey.it.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latchkey.tokens.control.TokenStates;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * PostgreSQL stops in the middle of a run: validation that needs the database answers exactly the
 * 500 (a row read within the token-state cache's freshness window still answers from memory, and a token
 * revoked before the outage is never accepted), org endpoints a JSON 500, nothing hangs, and when the database is back the service recovers by itself.
 * Runs in the PostgreSQL execution only, where the test owns the cluster.
 */
@EnabledIfSystemProperty(named = "latchkey.it.pg-script", matches = ".+")
class OutageIT extends BlackBoxTest {

    /** Generous for a loaded 2-core machine; an unbounded wait would be minutes. */
    private static final Duration BOUND = Duration.ofSeconds(20);

    @Test
    void databaseDownMeans500sAndRecoveryNeedsNoRestart() throws Exception {
        String client = Api.uniqueClient();
        String token = api.mintToken(client, 600);
        String unseen = api.mintToken(client, 600);
        String revoked = api.mintToken(client, 600);
        assertEquals(200, api.clientApi(token).status());
        assertEquals(200, api.clientApi(revoked).status());
        assertEquals(200, api.revoke(revoked).status());

        cluster("stop");
        try {
            // a token this node has not read recently needs the database
            timed(() -> api.clientApi(unseen)).assertError(500, "Internal server error during token validation");
            // a token revoked before the outage is never accepted: its row in memory says revoked, or it is gone
            int afterRevoke = api.clientApi(revoked).status();
            assertTrue(afterRevoke == 401 || afterRevoke == 500, "revoked before the outage: " + afterRevoke);
            // once the freshness window has passed, the token validated before the outage needs the database too
            Thread.sleep(TokenStates.FRESH_FOR.toMillis() + 500);
            timed(() -> api.clientApi(token)).assertError(500, "Internal server error during token validation");
            timed(() -> api.post("api/v1/generate_access_token", bearer(ORG_KEY),
                    "{\"client_id\":\"" + client + "\",\"duration_secs\":60}"))
                    .assertError(500, "Internal server error");
            timed(() -> api.listTokens(client)).assertError(500, "Internal server error");
            // a check that needs no database still answers as before
            timed(() -> api.get("api/v1/client_api", bearer("not-a-jwt"))).assertError(401, "Invalid token format");
        } finally {
            cluster("resume");
        }

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int status;
        do {
            status = api.clientApi(token).status();
            if (status != 200) {
                Thread.sleep(500);
            }
        } while (status != 200 && System.nanoTime() < deadline);
        assertEquals(200, status, "the service recovered without a restart");
        assertEquals(200, api.post("api/v1/generate_access_token", bearer(ORG_KEY),
                "{\"client_id\":\"" + client + "\",\"duration_secs\":60}").status());
        assertEquals(4, api.tokenCount(client), "nothing was created during the outage");
    }

    private static Api.Reply timed(java.util.function.Supplier<Api.Reply> call) {
        long start = System.nanoTime();
        Api.Reply reply = call.get();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(BOUND) < 0, "answered after " + took);
        return reply;
    }

    private static void cluster(String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of("bash", System.getProperty("latchkey.it.pg-script"), command,
                System.getProperty("latchkey.it.pg-dir"), System.getProperty("latchkey.it.pg-port")))
                .inheritIO().start();
        assertTrue(process.waitFor(90, TimeUnit.SECONDS), "cluster.sh " + command + " finished");
        assertEquals(0, process.exitValue(), "cluster.sh " + command);
    }
}
