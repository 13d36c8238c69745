package dev.latchkey.it;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A reader of {@code GET /api/v1/revocations} as server-sent events, as a verifier would hold one: each event
 * (its {@code id:} and its {@code data:} JSON) lands in a queue with the instant it arrived ({@link System#nanoTime()}).
 * Comments (keep-alives) are counted, not queued. The stream's end is an event with a null id.
 */
final class FeedStream implements AutoCloseable {

    /** One server-sent event, or the stream's end ({@code id} null). */
    record Event(String id, JsonObject data, long arrivedNanos) {
        boolean isEnd() {
            return id == null && data == null;
        }
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final HttpResponse<Stream<String>> response;
    private volatile int comments;

    /** Opens the stream; {@code lastEventId} null: none sent. Fails unless the answer is 200 text/event-stream. */
    FeedStream(HttpClient http, URI uri, String orgKey, String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + orgKey);
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        response = http.sendAsync(request.GET().build(), HttpResponse.BodyHandlers.ofLines()).get(60, TimeUnit.SECONDS);
        if (response.statusCode() != 200
                || !response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
            String body = String.join("\n", response.body().limit(20).toList());
            throw new IllegalStateException("not an event stream: " + response.statusCode() + " " + body);
        }
        Thread reader = new Thread(this::read, "feed-stream-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        String id = null;
        StringBuilder data = new StringBuilder();
        try {
            for (String line : (Iterable<String>) response.body()::iterator) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        events.add(new Event(id, LiveSocket.parse(data.toString()), System.nanoTime()));
                    }
                    id = null;
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    comments++;
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                }
            }
        } catch (RuntimeException ended) {
            // the connection was cut
        } finally {
            events.add(new Event(null, null, System.nanoTime()));
        }
    }

    /** The next event, or null when none arrives within {@code timeout}. */
    Event next(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    int comments() {
        return comments;
    }

    @Override
    public void close() throws IOException {
        response.body().close();
    }
}
