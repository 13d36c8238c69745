package dev.latchkey.it;

import static dev.latchkey.it.Api.ORG_KEY;
import static dev.latchkey.it.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The hunt for a 200 whose body is not complete JSON (issue 18, point 9: seen once during a race of handshakes
 * against revocations). Several threads mint, open and refuse WebSocket handshakes, revoke one token or a whole
 * client, and list, concurrently, for a bounded number of rounds, over one shared HTTP client: every request and
 * every handshake of every thread goes through the same {@link HttpClient} (its connection pool shared between
 * mints, refusals and handshakes, as in the race where it was seen). Every answer's status,
 * {@code Content-Type}, {@code Content-Length} (against the bytes received) and body shape is checked; any
 * exception reading an answer counts as a broken answer.
 */
class StressIT extends BlackBoxTest {

    private static final int THREADS = 4;
    private static final int ROUNDS_PER_THREAD = 300;
    private static final long BOUND_SECONDS = 150;
    private static final Set<String> MINT_FIELDS = Set.of("access_token", "expires_in", "token_id", "expires_at");

    /** The one HTTP client of every thread's requests and handshakes, and the API over it. */
    private HttpClient shared;
    private Api rest;

    @Test
    void everyAnswerUnderConcurrentMintHandshakeRevokeAndListIsWhole() throws Exception {
        shared = Api.newClient();
        rest = new Api(base, ORG_KEY, shared);
        ConcurrentLinkedQueue<String> broken = new ConcurrentLinkedQueue<>();
        AtomicInteger answers = new AtomicInteger();
        AtomicInteger rounds = new AtomicInteger();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                workers.add(pool.submit(() -> {
                    for (int round = 0; round < ROUNDS_PER_THREAD && System.nanoTime() < deadline; round++) {
                        try {
                            round(thread, round, broken, answers);
                        } catch (RuntimeException | AssertionError | ExecutionException | InterruptedException e) {
                            broken.add("thread " + thread + " round " + round + ": " + e);
                        }
                        rounds.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(BOUND_SECONDS + 60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("StressIT: %d rounds, %d answers checked, %d broken%n", rounds.get(), answers.get(),
                broken.size());
        assertTrue(rounds.get() >= 400, "hundreds of rounds ran within the bound: " + rounds.get());
        assertEquals(0, broken.size(), () -> String.join("\n", broken));
    }

    private void round(int thread, int round, ConcurrentLinkedQueue<String> broken, AtomicInteger answers)
            throws ExecutionException, InterruptedException {
        String client = "stress-" + thread + "-" + (round % 20) + "-" + Api.uniqueClient().substring(7, 15);
        Api.Reply minted = rest.post("api/v1/generate_access_token", bearer(ORG_KEY),
                "{\"client_id\":\"" + client + "\",\"duration_secs\":600}");
        JsonObject mint = whole("mint", minted, 200, broken, answers);
        if (mint == null) {
            return;
        }
        if (!mint.keySet().equals(MINT_FIELDS)) {
            broken.add("mint: fields " + mint.keySet());
            return;
        }
        String token = mint.getString("access_token");
        boolean opened = LiveSocket.accepted(shared, base, token);
        if (!opened) {
            broken.add("handshake refused for a fresh token");
        }
        Api.Reply revoked = round % 2 == 0 ? rest.revoke(token)
                : rest.post("api/v1/revoke_client_tokens", bearer(ORG_KEY), "{\"client_id\":\"" + client + "\"}");
        whole(round % 2 == 0 ? "revoke_token" : "revoke_client_tokens", revoked, 200, broken, answers);
        if (LiveSocket.accepted(shared, base, token)) {
            broken.add("handshake accepted after the revoke answered");
        }
        JsonObject listing = whole("client_tokens", rest.listTokens(client), 200, broken, answers);
        if (listing != null && listing.getJsonArray("tokens").stream()
                .map(JsonValue::asJsonObject)
                .anyMatch(row -> row.getString("token_id").equals(mint.getString("token_id"))
                        && row.isNull("revoked_at"))) {
            broken.add("listing shows the revoked token unrevoked");
        }
        whole("client_api", rest.clientApi(token), 401, broken, answers);
    }

    /** The answer's JSON object when it is whole: expected status, JSON type, Content-Length equal to the bytes. */
    private static JsonObject whole(String what, Api.Reply reply, int status, ConcurrentLinkedQueue<String> broken,
            AtomicInteger answers) {
        answers.incrementAndGet();
        String problem = null;
        if (reply.status() != status) {
            problem = "status " + reply.status();
        } else if (!reply.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
            problem = "Content-Type " + reply.headers().firstValue("Content-Type");
        } else if (reply.headers().firstValue("Content-Length").isPresent() && Long.parseLong(
                reply.headers().firstValue("Content-Length").get()) != reply.body().getBytes(StandardCharsets.UTF_8).length) {
            problem = "Content-Length " + reply.headers().firstValue("Content-Length").get() + " for "
                    + reply.body().getBytes(StandardCharsets.UTF_8).length + " bytes";
        }
        JsonObject json = null;
        if (problem == null) {
            try {
                json = reply.json();
            } catch (RuntimeException e) {
                problem = "body is not a JSON object (" + reply.body().length() + " chars)";
            }
        }
        if (problem != null) {
            broken.add(what + ": " + problem);
            return null;
        }
        return json;
    }

}
