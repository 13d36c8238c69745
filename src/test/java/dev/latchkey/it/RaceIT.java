package dev.latchkey.it;

import static dev.latchkey.it.Api.ORG_KEY;
import static dev.latchkey.it.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Revocation against concurrent use, and concurrent minting, over real HTTP from several threads. */
class RaceIT extends BlackBoxTest {

    private static final int THREADS = 4;

    /** How many fresh tokens of one client each round races: every first use of one is a database read. */
    private static final int TOKENS_PER_ROUND = 8;

    /**
     * Each round mints {@value #TOKENS_PER_ROUND} tokens of a fresh client that no node has read yet, starts
     * threads that use them on every surface (REST validation, introspection, the WebSocket handshake, and reauth on
     * a socket held by another token of the client), and revokes one token or the whole client a few milliseconds
     * later, while the first database reads of those tokens are still in flight: the race the token cache's lock
     * exists for. Nothing whose sending began after the revoke answered may be accepted; every thread goes on until
     * it has sent at least two requests after the answer, so no round has an empty window, and the test counts them.
     */
    @Test
    void nothingSentAfterARevokeReturnedIsAcceptedOnAnySurface() throws Exception {
        int rounds = 40;
        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
        Map<String, AtomicInteger> sentAfter = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> acceptedBefore = new ConcurrentHashMap<>();
        AtomicInteger requests = new AtomicInteger();
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        try {
            for (int round = 0; round < rounds; round++) {
                boolean wholeClient = round % 2 == 1;
                String client = Api.uniqueClient();
                List<String> tokens = new ArrayList<>();
                for (int i = 0; i < TOKENS_PER_ROUND; i++) {
                    tokens.add(api.mintToken(client, 600));
                }
                String target = tokens.get(0);
                // the tokens a round's revocation revokes: one, or all of the client's
                List<String> revokedTokens = wholeClient ? tokens : List.of(target);
                AtomicLong revokedAt = new AtomicLong(Long.MAX_VALUE);
                CountDownLatch started = new CountDownLatch(THREADS + 1);
                List<Future<?>> racers = new ArrayList<>();
                Api own = new Api(base);
                racers.add(pool.submit(race("rest", started, revokedAt, sentAfter, acceptedBefore, requests, violations, revokedTokens,
                        token -> own.clientApi(token).status() == 200)));
                racers.add(pool.submit(race("rest", started, revokedAt, sentAfter, acceptedBefore, requests, violations,
                        reversed(revokedTokens), token -> own.clientApi(token).status() == 200)));
                racers.add(pool.submit(race("introspect", started, revokedAt, sentAfter, acceptedBefore, requests, violations,
                        revokedTokens, token -> own.post("api/v1/introspect", bearer(ORG_KEY),
                                "{\"access_token\":\"" + token + "\"}").json().getBoolean("active"))));
                racers.add(pool.submit(race("handshake", started, revokedAt, sentAfter, acceptedBefore, requests, violations,
                        revokedTokens, token -> LiveSocket.accepted(base, token))));
                // reauth to the revoked token, each on a new socket held by another token of the client (in
                // single-token rounds, where that token stays valid)
                if (!wholeClient) {
                    String holder = tokens.get(TOKENS_PER_ROUND - 1);
                    racers.add(pool.submit(race("reauth", started, revokedAt, sentAfter, acceptedBefore, requests, violations,
                            List.of(target), token -> {
                                try (LiveSocket socket = LiveSocket.open(base, holder)) {
                                    socket.next("session");
                                    socket.send("{\"type\":\"reauth\",\"access_token\":\"" + token + "\"}");
                                    return "session".equals(socket.next().getString("type"));
                                }
                            })));
                } else {
                    started.countDown();
                }
                started.await();
                // a few ms: the first database reads of the tokens are in flight; in four single-token rounds a second,
                // so that every surface, reauth too (a socket to open first), surely accepts before the revoke
                Thread.sleep(round % 10 == 8 ? 1000 : round % 5);
                Api.Reply revoked = wholeClient
                        ? api.post("api/v1/revoke_client_tokens", bearer(ORG_KEY), "{\"client_id\":\"" + client + "\"}")
                        : api.revoke(target);
                assertEquals(200, revoked.status(), revoked.body());
                revokedAt.set(System.nanoTime());
                for (Future<?> racer : racers) {
                    racer.get(60, TimeUnit.SECONDS);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("RaceIT: %d rounds, %d requests; accepted before the revoke answered: %s; sent after it: %s;"
                + " violations: %d%n", rounds, requests.get(), acceptedBefore, sentAfter, violations.size());
        assertEquals(0, violations.size(), () -> String.join("\n", violations));
        for (String surface : List.of("rest", "introspect", "handshake", "reauth")) {
            // the positive control: a surface that refused everything would have no violations either
            int before = acceptedBefore.getOrDefault(surface, new AtomicInteger()).get();
            assertTrue(before > 0, surface + ": no use was accepted before a revoke answered: " + acceptedBefore);
            int after = sentAfter.getOrDefault(surface, new AtomicInteger()).get();
            assertTrue(after >= rounds / (surface.equals("reauth") ? 2 : 1),
                    surface + ": requests sent after a revoke answered, at least one per round: " + after);
        }
    }

    /** A check that is true when the surface accepted the token. */
    private interface Use {
        boolean accepted(String token) throws Exception;
    }

    /**
     * Uses the tokens in turn until two uses have been sent after the revoke answered (at most 30 s); a use sent
     * after the answer that was accepted, for a token the revocation covers, is a violation. Accepted uses sent
     * before the answer are counted too: they show the surface accepts these tokens at all.
     */
    private static Callable<Void> race(String surface, CountDownLatch started, AtomicLong revokedAt,
            Map<String, AtomicInteger> sentAfter, Map<String, AtomicInteger> acceptedBefore, AtomicInteger requests, ConcurrentLinkedQueue<String> violations,
            List<String> tokens, Use use) {
        return () -> {
            started.countDown();
            int after = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (int i = 0; after < 2; i++) {
                assertTrue(System.nanoTime() < deadline, surface + ": no requests after the revoke within 30 s");
                String token = tokens.get(i % tokens.size());
                long sentAt = System.nanoTime();
                boolean accepted = use.accepted(token);
                requests.incrementAndGet();
                long revoked = revokedAt.get();
                if (sentAt > revoked) {
                    after++;
                    sentAfter.computeIfAbsent(surface, k -> new AtomicInteger()).incrementAndGet();
                    if (accepted) {
                        violations.add(surface + " accepted a token " + (sentAt - revoked) / 1000
                                + " us after its revocation answered");
                    }
                } else if (accepted) {
                    acceptedBefore.computeIfAbsent(surface, k -> new AtomicInteger()).incrementAndGet();
                }
            }
            return null;
        };
    }


    private static List<String> reversed(List<String> tokens) {
        List<String> copy = new ArrayList<>(tokens);
        Collections.reverse(copy);
        return copy;
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
