package dev.latchkey.access.control;

import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket session without a socket: records what the server sends and how it closes.
 * Only the methods {@link LiveConnection} uses are implemented.
 */
final class FakeSession {

    final List<String> sent = new CopyOnWriteArrayList<>();
    final List<String> pings = new CopyOnWriteArrayList<>();
    final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    /** The thread that closed the session. */
    volatile Thread closedBy;
    /** How many pings had been sent when the session was closed (-1: not closed). */
    volatile int pingsAtClose = -1;
    /** Runs while a ping is being handed over, as a frame read by another thread meanwhile would. */
    volatile Runnable duringPing = () -> { };
    final Session session;

    FakeSession() {
        RemoteEndpoint.Async remote = (RemoteEndpoint.Async) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {RemoteEndpoint.Async.class}, (proxy, method, args) -> {
                    if (method.getName().equals("sendPing")) {
                        ByteBuffer payload = (ByteBuffer) args[0];
                        byte[] bytes = new byte[payload.remaining()];
                        payload.get(bytes);
                        duringPing.run();
                        pings.add(new String(bytes, StandardCharsets.US_ASCII));
                        return null;
                    }
                    if (method.getName().equals("sendText") && args.length == 2) {
                        sent.add((String) args[0]);
                        ((jakarta.websocket.SendHandler) args[1]).onResult(new SendResult());
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        session = (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "isOpen" -> !closed.isDone();
                    case "getAsyncRemote" -> remote;
                    case "close" -> {
                        pingsAtClose = pings.size();
                        closedBy = Thread.currentThread();
                        closed.complete((CloseReason) args[0]);
                        yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "FakeSession";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** The close, waiting at most a few seconds for it. */
    CloseReason awaitClose() throws Exception {
        return closed.get(5, TimeUnit.SECONDS);
    }

    /** Waits (a few seconds at most) until {@code count} messages were sent. */
    void awaitSent(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (sent.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + sent.size() + " messages sent: " + sent);
            }
            Thread.sleep(5);
        }
    }

    /** The types of the messages sent so far, in order. */
    List<String> types() {
        return sent.stream()
                .map(text -> jakarta.json.Json.createReader(new java.io.StringReader(text)).readObject().getString("type"))
                .toList();
    }
}
