package dev.latchkey.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small upstream API on a free loopback port (the JDK's own HTTP server), recording every request it gets:
 * <ul>
 * <li>{@code /base/status/{code}}: that status, body {@code status {code}}, header {@code X-Upstream: yes};</li>
 * <li>{@code /base/redirect}: 302 to an internal-looking address;</li>
 * <li>{@code /base/slow}: answers after {@link #SLOW};</li>
 * <li>{@code /base/events}: server-sent events: one at once, then one every 100 ms until {@link #MAX_EVENTS}
 * or the reader is gone ({@link #eventsReaderGone()});</li>
 * <li>{@code /messages}: echoes a client message's {@code data} as {@code {"echo": data}}; a {@code data} of
 * {@code "fail"} gets a 500, {@code "big"} a JSON string of 1 MiB, {@code "notjson"} a body that is not JSON,
 * {@code "silent"} its answer after {@link #SLOW};</li>
 * <li>anything else: 200 with the byte count of the body it read.</li>
 * </ul>
 */
final class TestUpstream implements AutoCloseable {

    static final Duration SLOW = Duration.ofSeconds(5);
    static final int MAX_EVENTS = 100;

    /** What the upstream received: method, raw path and query, headers (lower-case names), body length. */
    record Received(String method, String pathAndQuery, Map<String, List<String>> headers, long bodyBytes,
                    String body) {
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : String.join(",", values);
        }
    }

    /** How much of a gated download is written before the gate. */
    static final int GATE_BYTES = 1024 * 1024;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "test-upstream");
        thread.setDaemon(true);
        return thread;
    });
    final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean eventsReaderGone = new AtomicBoolean();
    private final CountDownLatch eventsEnded = new CountDownLatch(1);
    /** The bytes of request body read so far by the request being read now. */
    private final AtomicLong bodyBytesNow = new AtomicLong();
    private volatile CountDownLatch downloadGate = new CountDownLatch(1);

    TestUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Whether the events endpoint saw its reader go away (a write failed) rather than running to its end. */
    boolean eventsReaderGone(Duration wait) throws InterruptedException {
        return eventsEnded.await(wait.toMillis(), TimeUnit.MILLISECONDS) && eventsReaderGone.get();
    }

    /** The requests whose path contains the marker. */
    List<Received> requestsWith(String marker) {
        return received.stream().filter(r -> r.pathAndQuery().contains(marker)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String query = exchange.getRequestURI().getRawQuery();
        Map<String, List<String>> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
        byte[] body;
        long bodyBytes = 0;
        StringBuilder text = new StringBuilder();
        try (InputStream in = exchange.getRequestBody()) {
            byte[] buffer = new byte[65536];
            int read;
            bodyBytesNow.set(0);
            while ((read = in.read(buffer)) != -1) {
                bodyBytesNow.addAndGet(read);
                if (bodyBytes < 65536) {
                    text.append(new String(buffer, 0, (int) Math.min(read, 65536 - bodyBytes), StandardCharsets.UTF_8));
                }
                bodyBytes += read;
            }
        }
        received.add(new Received(exchange.getRequestMethod(), path + (query == null ? "" : "?" + query), headers,
                bodyBytes, text.toString()));
        try {
            if (path.startsWith("/base/status/")) {
                exchange.getResponseHeaders().add("X-Upstream", "yes");
                exchange.getResponseHeaders().add("Access-Control-Allow-Origin", "*");
                respond(exchange, Integer.parseInt(path.substring("/base/status/".length())), "status " + path.substring(13));
            } else if (path.equals("/base/redirect")) {
                exchange.getResponseHeaders().add("Location", "http://127.0.0.1:1/internal");
                respond(exchange, 302, "");
            } else if (path.equals("/base/slow")) {
                Thread.sleep(SLOW.toMillis());
                respond(exchange, 200, "late");
            } else if (path.equals("/base/events")) {
                events(exchange);
            } else if (path.equals("/base/gated-download")) {
                gatedDownload(exchange, Long.parseLong(query.substring("bytes=".length())));
            } else if (path.equals("/messages")) {
                String data = text.toString().replaceAll("(?s).*\"data\":(.*)}$", "$1");
                if (data.equals("\"fail\"")) {
                    respond(exchange, 500, "{\"oops\":true}");
                } else if (data.equals("\"big\"")) {
                    try { // a JSON string of 1 MiB: Latchkey stops reading it past its bound
                        respond(exchange, 200, "\"" + "a".repeat(1024 * 1024) + "\"");
                    } catch (IOException cut) {
                        // Latchkey closed the connection before the end
                    }
                } else if (data.equals("\"notjson\"")) {
                    respond(exchange, 200, "not json");
                } else if (data.equals("\"silent\"")) {
                    Thread.sleep(SLOW.toMillis());
                    respond(exchange, 200, "{\"late\":true}");
                } else {
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    respond(exchange, 200, "{\"echo\":" + data + "}");
                }
            } else {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                respond(exchange, 200, "{\"bytes\":" + bodyBytes + "}");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    private void events(HttpExchange exchange) throws IOException, InterruptedException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().add("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 1; i <= MAX_EVENTS; i++) {
                out.write(("data: " + i + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                Thread.sleep(100);
            }
        } catch (IOException e) {
            eventsReaderGone.set(true);
        } finally {
            eventsEnded.countDown();
        }
    }

    /**
     * Waits (at most 30 s) until the request being read now has sent at least this many body bytes; false if it
     * did not.
     */
    boolean bodyBytesSeen(long bytes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (bodyBytesNow.get() < bytes) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** Lets the gated download write the rest of its body. */
    void openDownloadGate() {
        downloadGate.countDown();
    }

    /**
     * {@code bytes} zero bytes with their length announced: the first {@value #GATE_BYTES} are written at once, the
     * rest only once the test has opened the gate, i.e. once the first ones reached the client through the proxy.
     */
    private void gatedDownload(HttpExchange exchange, long bytes) throws IOException, InterruptedException {
        downloadGate = new CountDownLatch(1);
        exchange.sendResponseHeaders(200, bytes);
        byte[] chunk = new byte[GATE_BYTES];
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(chunk);
            out.flush();
            if (!downloadGate.await(30, TimeUnit.SECONDS)) {
                return; // the client never saw the first bytes: end the answer short
            }
            for (long left = bytes - GATE_BYTES; left > 0; left -= chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
