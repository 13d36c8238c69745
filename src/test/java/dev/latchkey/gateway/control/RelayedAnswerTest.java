package dev.latchkey.gateway.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The relay of an upstream's body into non-blocking servlet output, against a connection the test controls. */
class RelayedAnswerTest {

    /** A client connection that takes writes only while {@code ready}, as a container's non-blocking output. */
    static final class Connection extends ServletOutputStream {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        final ByteArrayOutputStream flushed = new ByteArrayOutputStream();
        boolean ready = true;
        boolean broken;
        boolean completed;
        int completions;
        WriteListener listener;

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public void setWriteListener(WriteListener writeListener) {
            listener = writeListener;
        }

        @Override
        public void write(int b) throws IOException {
            if (broken) {
                throw new IOException("connection reset");
            }
            written.write(b);
        }

        @Override
        public void flush() {
            flushed.reset();
            flushed.writeBytes(written.toByteArray());
        }

        /** The container's side: the connection can take more. */
        void drained() throws IOException {
            ready = true;
            listener.onWritePossible();
        }

        String flushedText() {
            return flushed.toString(StandardCharsets.UTF_8);
        }

        AsyncContext async() {
            ServletResponse response = (ServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {ServletResponse.class}, (proxy, call, args) -> {
                        if (call.getName().equals("getOutputStream")) {
                            return this;
                        }
                        throw new UnsupportedOperationException(call.getName());
                    });
            return (AsyncContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {AsyncContext.class}, (proxy, call, args) -> switch (call.getName()) {
                        case "getResponse" -> response;
                        case "complete" -> {
                            completed = true;
                            completions++;
                            yield null;
                        }
                        default -> throw new UnsupportedOperationException(call.getName());
                    });
        }
    }

    /** The upstream's side: counts what was asked for and whether the call was cancelled. */
    static final class Upstream implements Flow.Subscription {
        final AtomicInteger asked = new AtomicInteger();
        boolean cancelled;

        @Override
        public void request(long n) {
            asked.addAndGet((int) n);
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    private static List<ByteBuffer> piece(String text) {
        return List.of(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void eachPieceIsFlushedBeforeTheNextIsAskedFor() throws IOException {
        Connection connection = new Connection();
        AtomicInteger ended = new AtomicInteger();
        RelayedAnswer answer = new RelayedAnswer(connection.async(), ended::incrementAndGet);
        Upstream upstream = new Upstream();
        connection.listener.onWritePossible(); // the container's first call, before the upstream's body
        answer.onSubscribe(upstream);
        assertEquals(1, upstream.asked.get());

        answer.onNext(piece("data: 1\n\n"));
        assertEquals("data: 1\n\n", connection.flushedText(), "an event reaches the client as it is sent");
        assertEquals(2, upstream.asked.get());

        answer.onNext(piece("data: 2\n\n"));
        answer.onComplete();
        assertEquals("data: 1\n\ndata: 2\n\n", connection.flushedText());
        assertTrue(connection.completed);
        assertFalse(upstream.cancelled);
        assertEquals(1, ended.get());
    }

    @Test
    void aSlowClientStopsTheUpstreamUntilItCanTakeMore() throws IOException {
        Connection connection = new Connection();
        RelayedAnswer answer = new RelayedAnswer(connection.async(), () -> { });
        Upstream upstream = new Upstream();
        answer.onSubscribe(upstream);
        assertEquals(1, upstream.asked.get());

        connection.ready = false;
        answer.onNext(piece("first"));
        assertEquals(1, upstream.asked.get(), "nothing more is asked for while the client takes nothing");
        assertEquals(0, connection.written.size());

        connection.drained();
        assertEquals("first", connection.flushedText());
        assertEquals(2, upstream.asked.get());

        connection.ready = false;
        answer.onNext(piece("second"));
        answer.onComplete();
        assertFalse(connection.completed, "the answer waits for what is not written yet");
        connection.drained();
        assertEquals("firstsecond", connection.flushedText());
        assertTrue(connection.completed);
    }

    @Test
    void aRevocationCutsTheUpstreamAndEndsTheAnswerOnce() throws IOException {
        Connection connection = new Connection();
        AtomicInteger ended = new AtomicInteger();
        RelayedAnswer answer = new RelayedAnswer(connection.async(), ended::incrementAndGet);
        Upstream upstream = new Upstream();
        answer.onSubscribe(upstream);
        answer.onNext(piece("data: 1\n\n"));

        answer.close();
        assertTrue(upstream.cancelled);
        assertTrue(connection.completed);
        answer.onNext(piece("data: 2\n\n"));
        answer.onComplete();
        answer.close();
        assertEquals("data: 1\n\n", connection.written.toString(StandardCharsets.UTF_8));
        assertEquals(1, connection.completions);
        assertEquals(1, ended.get());
    }

    @Test
    void aClientThatWentAwayCancelsTheUpstream() throws IOException {
        Connection connection = new Connection();
        AtomicInteger ended = new AtomicInteger();
        RelayedAnswer answer = new RelayedAnswer(connection.async(), ended::incrementAndGet);
        Upstream upstream = new Upstream();
        answer.onSubscribe(upstream);
        connection.broken = true;
        answer.onNext(piece("lost"));
        assertTrue(upstream.cancelled);
        assertEquals(1, connection.completions);
        assertEquals(1, ended.get());
    }

    @Test
    void aCutBeforeTheBodyIsSubscribedCancelsItOnArrival() throws IOException {
        Connection connection = new Connection();
        RelayedAnswer answer = new RelayedAnswer(connection.async(), () -> { });
        answer.close();
        Upstream upstream = new Upstream();
        answer.onSubscribe(upstream);
        assertTrue(upstream.cancelled);
        assertEquals(0, upstream.asked.get());
    }
}
