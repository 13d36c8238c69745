package dev.latchkey.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real WebSocket client ({@code java.net.http}) on {@code /api/v1/client_ws}: collects the server's text
 * messages in order and records the close (code, reason, when). Every wait has a timeout.
 */
public final class LiveSocket implements WebSocket.Listener, AutoCloseable {

    public static final String PATH = "api/v1/client_ws";
    public static final Duration WAIT = Duration.ofSeconds(10);

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(WAIT)
            .build();

    /** The close the server sent, and when it arrived ({@link System#nanoTime()} and wall clock). */
    public record Closed(int code, String reason, long atNanos, long atMillis) {
    }

    /** A handshake the server refused: the HTTP answer instead of an upgrade. */
    public record Refusal(int status, HttpHeaders headers, String body) {

        /** Exactly {"detail": text}, JSON, with WWW-Authenticate: Bearer on a 401. */
        public Refusal assertError(int expectedStatus, String expectedDetail) {
            assertEquals(expectedStatus, status, () -> "status of " + body);
            assertTrue(headers.firstValue("Content-Type").orElse("").startsWith("application/json"),
                    () -> "content type " + headers.firstValue("Content-Type"));
            JsonObject json = parse(body);
            assertEquals(1, json.size(), () -> "only detail expected in " + body);
            assertEquals(expectedDetail, json.getString("detail"));
            if (expectedStatus == 401) {
                assertEquals("Bearer", headers.firstValue("WWW-Authenticate").orElse(null));
            }
            return this;
        }
    }

    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private WebSocket socket;

    private LiveSocket() {
    }

    /** The handshake URI with {@code ?client_key=Bearer%20<token>}; a null token sends no client_key. */
    public static URI uri(URL base, String token) {
        String root = base.toString().replaceFirst("^http", "ws").replaceAll("/+$", "") + "/" + PATH;
        return URI.create(token == null ? root : root + "?client_key=" + clientKey("Bearer " + token));
    }

    /** A client_key value as a page would encode it (encodeURIComponent: the space is %20). */
    public static String clientKey(String credential) {
        return Api.encode(credential).replace("+", "%20");
    }

    /** Connects with {@code ?client_key=Bearer%20<token>}. */
    public static LiveSocket open(URL base, String token) {
        return open(uri(base, token), Map.of());
    }

    /** Connects to {@code uri} with extra handshake headers; fails the test if the handshake is refused. */
    public static LiveSocket open(URI uri, Map<String, String> headers) {
        LiveSocket listener = new LiveSocket();
        try {
            listener.socket = builder(headers).buildAsync(uri, listener).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            return listener;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                fail("handshake refused with " + refused.getResponse().statusCode() + ": " + refused.getResponse().body());
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether a handshake with {@code ?client_key=Bearer%20<token>} is accepted (the socket is then dropped at once)
     * or refused; for race and stress tests that only need the verdict.
     */
    public static boolean accepted(URL base, String token) throws ExecutionException, InterruptedException {
        return accepted(HTTP, base, token);
    }

    /** {@link #accepted(URL, String)} over the given HTTP client. */
    public static boolean accepted(HttpClient http, URL base, String token) throws ExecutionException, InterruptedException {
        try {
            WebSocket socket = http.newWebSocketBuilder().connectTimeout(WAIT)
                    .buildAsync(uri(base, token), new WebSocket.Listener() { })
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            socket.abort();
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException) {
                return false;
            }
            throw e;
        } catch (TimeoutException e) {
            throw new IllegalStateException("handshake timed out", e);
        }
    }

    /** Connects expecting a refusal, and returns the HTTP answer. */
    public static Refusal refused(URI uri, Map<String, String> headers) {
        LiveSocket listener = new LiveSocket();
        try {
            WebSocket opened = builder(headers).buildAsync(uri, listener).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            opened.abort();
            return fail("the handshake was accepted");
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof WebSocketHandshakeException refused)) {
                throw new IllegalStateException(e.getCause());
            }
            Object body = refused.getResponse().body();
            String text = body instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                    : body == null ? null : body.toString();
            return new Refusal(refused.getResponse().statusCode(), refused.getResponse().headers(), text);
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    private static WebSocket.Builder builder(Map<String, String> headers) {
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(WAIT);
        headers.forEach(builder::header);
        return builder;
    }

    // ---- talking ----

    public void send(String text) {
        try {
            socket.sendText(text, true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next message from the server as JSON; fails after {@link #WAIT}. */
    public JsonObject next() {
        return next(WAIT);
    }

    public JsonObject next(Duration wait) {
        String text = poll(wait);
        assertNotNull(text, () -> "no message within " + wait + (closed.isDone() ? "; closed: " + closed.join() : ""));
        return parse(text);
    }

    /** The next message, which must have this type. */
    public JsonObject next(String type) {
        JsonObject message = next();
        assertEquals(type, message.getString("type"), message::toString);
        return message;
    }

    /** Asserts that nothing arrives within {@code wait}. */
    public void assertNoMessage(Duration wait) {
        String text = poll(wait);
        assertNull(text, () -> "unexpected message " + text);
    }

    /** The server's close; fails if it does not come within {@code wait}. */
    public Closed closed(Duration wait) {
        try {
            return closed.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return fail("no close within " + wait);
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    public Closed closed() {
        return closed(WAIT);
    }

    /** Asserts that the server does not close the socket within {@code wait}. */
    public void assertStaysOpen(Duration wait) {
        try {
            Closed early = closed.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            fail("closed unexpectedly: " + early);
        } catch (TimeoutException e) {
            // still open, as expected
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    public void sendBinary(byte[] data) {
        try {
            socket.sendBinary(ByteBuffer.wrap(data), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    /** A ping/pong round trip: proves the socket is open and still answered. */
    public void assertAlive() {
        send("{\"type\":\"ping\"}");
        next("pong");
    }

    @Override
    public void close() {
        if (socket != null && !socket.isOutputClosed()) {
            socket.abort();
        }
    }

    private String poll(Duration wait) {
        try {
            return messages.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonObject parse(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    // ---- WebSocket.Listener ----

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            messages.add(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        messages.add("{\"type\":\"unexpected binary\"}");
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(new Closed(statusCode, reason, System.nanoTime(), System.currentTimeMillis()));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }
}
