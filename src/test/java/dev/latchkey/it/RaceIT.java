package dev.latchkey.it;

import static dev.latchkey.it.Api.ORG_KEY;
import static dev.latchkey.it.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Revocation against concurrent use, and concurrent minting, over real HTTP from several threads. */
class RaceIT extends BlackBoxTest {

    private static final int THREADS = 4;

    /**
     * Each round: threads hammer a fresh token while the main thread revokes it. A request whose sending began
     * after the revoke returned 200 must never be accepted.
     */
    @Test
    void nothingSentAfterARevokeReturnedIsAccepted() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        int rounds = 60;
        AtomicInteger requests = new AtomicInteger();
        AtomicInteger acceptedAfterRevoke = new AtomicInteger();
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        try {
            for (int round = 0; round < rounds; round++) {
                boolean wholeClient = round % 2 == 1;
                String client = Api.uniqueClient();
                String token = api.mintToken(client, 600);
                AtomicLong revokedAt = new AtomicLong(Long.MAX_VALUE);
                AtomicBoolean stop = new AtomicBoolean();
                CountDownLatch started = new CountDownLatch(THREADS);
                List<Future<?>> hammers = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    Api own = new Api(base);
                    hammers.add(pool.submit(() -> {
                        started.countDown();
                        while (!stop.get()) {
                            long sentAt = System.nanoTime();
                            int status = own.clientApi(token).status();
                            requests.incrementAndGet();
                            long revoked = revokedAt.get();
                            if (status == 200 && sentAt > revoked) {
                                acceptedAfterRevoke.incrementAndGet();
                                violations.add((wholeClient ? "revoke_client_tokens" : "revoke_token") + " of "
                                        + client + ": sent " + (sentAt - revoked) / 1000 + " us after the revoke returned");
                            }
                        }
                        return null;
                    }));
                }
                started.await();
                Thread.sleep(20);
                Api.Reply revoked = wholeClient
                        ? api.post("api/v1/revoke_client_tokens", bearer(ORG_KEY), "{\"client_id\":\"" + client + "\"}")
                        : api.revoke(token);
                assertEquals(200, revoked.status(), revoked.body());
                revokedAt.set(System.nanoTime());
                Thread.sleep(30);
                stop.set(true);
                for (Future<?> hammer : hammers) {
                    hammer.get(30, TimeUnit.SECONDS);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("RaceIT: %d rounds, %d requests, %d accepted after a revoke returned%n",
                rounds, requests.get(), acceptedAfterRevoke.get());
        assertTrue(requests.get() >= 1000, "thousands of attempts in total: " + requests.get());
        assertEquals(0, acceptedAfterRevoke.get(), () -> String.join("\n", violations));
    }

    @Test
    void concurrentMintingNeitherLosesNorDuplicatesTokens() throws Exception {
        String client = Api.uniqueClient();
        int perThread = 40;
        ExecutorService pool = Executors.newFixedThreadPool(THREADS * 2);
        ConcurrentLinkedQueue<String> minted = new ConcurrentLinkedQueue<>();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS * 2; t++) {
                Api own = new Api(base);
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        minted.add(own.mint(client, 600, null).getString("token_id"));
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        int expected = THREADS * 2 * perThread;
        assertEquals(expected, new HashSet<>(minted).size(), "every answer a distinct token");
        Set<String> listed = new HashSet<>();
        String cursor = null;
        do {
            JsonObject page = api.get("api/v1/client_tokens?client_id=" + Api.encode(client) + "&limit=100"
                    + (cursor == null ? "" : "&cursor=" + cursor), bearer(ORG_KEY)).json();
            page.getJsonArray("tokens").forEach(token -> listed.add(token.asJsonObject().getString("token_id")));
            cursor = page.get("next_cursor").getValueType() == JsonValue.ValueType.STRING
                    ? page.getString("next_cursor") : null;
        } while (cursor != null);
        assertEquals(new HashSet<>(minted), listed, "every 200 was committed, nothing else was");
    }
}
