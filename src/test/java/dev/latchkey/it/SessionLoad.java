package dev.latchkey.it;

import static dev.latchkey.it.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two threads calling {@code GET /api/v1/client_api} with one client's token without pause, for tests that check
 * that what they do disturbs no other request: each answer must be that client's own session (200 and its
 * {@code client_id}). Started by {@link #start}; {@link #close} stops them (each waited for at most 30 s).
 * The server's log must then hold none of {@link #CONTAINER_ERRORS}.
 */
final class SessionLoad implements AutoCloseable {

    /** What the container logs when it has used a request's objects twice. */
    static final List<String> CONTAINER_ERRORS = List.of("GRIZZLY0013", "NullPointerException",
            "WELD-000714", "WELD-000225", "Exception or error occurred in the container");

    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger answered = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads;

    private SessionLoad(Api api, String clientId, String name) {
        String token = api.mintToken(clientId, 3600);
        String expected = "{\"client_id\":\"" + clientId + "\"";
        HttpRequest request = HttpRequest.newBuilder(api.uri("api/v1/client_api"))
                .header("Authorization", bearer(token)).timeout(Duration.ofSeconds(10)).build();
        Runnable load = () -> {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            while (!stop.get()) {
                try {
                    HttpResponse<String> answer = client.send(request, HttpResponse.BodyHandlers.ofString());
                    if (answer.statusCode() != 200 || !answer.body().startsWith(expected)) {
                        wrong.add(answer.statusCode() + " " + answer.body());
                    }
                    answered.incrementAndGet();
                } catch (Exception e) {
                    wrong.add(e.toString());
                }
            }
        };
        threads = List.of(new Thread(load, name + "-load-1"), new Thread(load, name + "-load-2"));
    }

    /** Mints a token for {@code clientId} (one hour) and starts the two threads, named after {@code name}. */
    static SessionLoad start(Api api, String clientId, String name) {
        SessionLoad load = new SessionLoad(api, clientId, name);
        load.threads.forEach(Thread::start);
        return load;
    }

    /** How many answers the threads have had so far. */
    int answered() {
        return answered.get();
    }

    /**
     * Asserts every answer was the client's own session and that there were more than {@code atLeast}; call after
     * {@link #close}.
     */
    void assertExact(int atLeast) {
        assertTrue(wrong.isEmpty(), () -> "answers to GET /api/v1/client_api that were not its own: " + wrong);
        assertTrue(answered.get() > atLeast, () -> "the load threads got only " + answered + " answers");
    }

    /** The lines of {@code log} holding one of {@link #CONTAINER_ERRORS} or one of {@code more}. */
    static List<String> containerErrors(String log, String... more) {
        return log.lines().filter(line -> CONTAINER_ERRORS.stream().anyMatch(line::contains)
                || List.of(more).stream().anyMatch(line::contains)).toList();
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(30).toMillis());
        }
    }
}
