package dev.latchkey.gateway.control;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.impl.BasicEntityDetails;
import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.junit.jupiter.api.Test;

/**
 * Which upstream answers the proxy holds whole (a single, valid {@code Content-Length} up to the bound, nothing
 * else), and how a streamed one flows: each piece passed on as it arrives, more read from the upstream only once
 * the client has taken what it was given, an abort when the client goes away.
 */
class AnswerBodyTest {

    private static BasicHttpResponse answer(Map<String, List<String>> headers) {
        BasicHttpResponse response = new BasicHttpResponse(200);
        headers.forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
        return response;
    }

    @Test
    void onlyAKnownSmallLengthIsHeldWhole() {
        String bound = String.valueOf(AnswerBody.HELD_BYTES);
        String above = String.valueOf(AnswerBody.HELD_BYTES + 1);
        assertAll(
                () -> assertTrue(AnswerBody.isSmall(answer(Map.of("Content-Length", List.of("0"))))),
                () -> assertTrue(AnswerBody.isSmall(answer(Map.of("Content-Length", List.of(bound))))),
                () -> assertFalse(AnswerBody.isSmall(answer(Map.of("Content-Length", List.of(above))))),
                () -> assertFalse(AnswerBody.isSmall(answer(Map.of())), "no length: it may be a stream"),
                () -> assertFalse(AnswerBody.isSmall(answer(Map.of("Content-Length", List.of("10"),
                        "Transfer-Encoding", List.of("chunked")))), "a length beside a coding bounds nothing"),
                () -> assertFalse(AnswerBody.isSmall(answer(Map.of("Content-Length", List.of("10", "10"))))),
                () -> assertFalse(AnswerBody.isSmall(answer(Map.of("Content-Length", List.of("-1"))))),
                () -> assertFalse(AnswerBody.isSmall(answer(Map.of("Content-Length", List.of("1e3"))))));
    }

    /** Counts what the HTTP client is told it may read. */
    private static final class Capacity implements CapacityChannel {
        final List<Integer> grants = new ArrayList<>();

        @Override
        public void update(int increment) {
            grants.add(increment);
        }
    }

    /** Records what it is given; asks for more only when the test says it has written everything. */
    private static final class Client implements Flow.Subscriber<List<ByteBuffer>> {
        final List<Object> events = new ArrayList<>();
        Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription upstream) {
            subscription = upstream;
            upstream.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> pieces) {
            for (ByteBuffer piece : pieces) {
                events.add(StandardCharsets.UTF_8.decode(piece).toString());
            }
        }

        @Override
        public void onError(Throwable failure) {
            events.add(failure);
        }

        @Override
        public void onComplete() {
            events.add("complete");
        }
    }

    private static final FutureCallback<Void> IGNORED = new FutureCallback<>() {
        @Override
        public void completed(Void result) {
        }

        @Override
        public void failed(Exception ex) {
        }

        @Override
        public void cancelled() {
        }
    };

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aStreamedBodyFlowsAsTheClientTakesIt() throws IOException {
        AnswerBody body = new AnswerBody(false);
        body.consumeResponse(answer(Map.of("Content-Type", List.of("text/event-stream"))),
                new BasicEntityDetails(-1, null), HttpCoreContext.create(), IGNORED);
        assertTrue(body.head().isDone(), "the head is in before any of the body");
        assertFalse(body.isWhole());

        body.consume(bytes("data: 1\n\n"));
        Capacity capacity = new Capacity();
        body.updateCapacity(capacity); // the connection's window is used up
        Client client = new Client();
        body.stream().subscribe(client);
        assertEquals(List.of("data: 1\n\n"), client.events);
        assertEquals(List.of(), capacity.grants, "nothing more read while the client has not written the piece");

        client.subscription.request(1); // written and flushed
        assertEquals(List.of(AnswerBody.WINDOW), capacity.grants);

        body.consume(bytes("data: 2\n\n"));
        body.streamEnd(null);
        assertEquals(List.of("data: 1\n\n", "data: 2\n\n", "complete"), client.events);
    }

    @Test
    void aClientThatGoesAwayAbortsTheCall() throws IOException {
        AnswerBody body = new AnswerBody(false);
        CompletableFuture<Void> call = new CompletableFuture<>();
        body.exchange(call);
        body.consumeResponse(answer(Map.of()), new BasicEntityDetails(-1, null), HttpCoreContext.create(), IGNORED);
        Client client = new Client();
        body.stream().subscribe(client);
        client.subscription.cancel();
        assertTrue(call.isCancelled());
        // a piece that still arrives fails the exchange, which closes the upstream's connection
        assertThrows(IOException.class, () -> body.consume(bytes("late")));
        assertEquals(List.of(), client.events, "nothing after the cancel");
    }

    @Test
    void aSmallBodyCompletesTheHeadOnlyWhenWhole() throws IOException {
        AnswerBody body = new AnswerBody(false);
        body.consumeResponse(answer(Map.of("Content-Length", List.of("5"))), new BasicEntityDetails(5, null),
                HttpCoreContext.create(), IGNORED);
        assertFalse(body.head().isDone());
        body.consume(bytes("he"));
        body.consume(bytes("llo"));
        body.streamEnd(null);
        assertTrue(body.head().isDone());
        assertTrue(body.isWhole());
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), body.whole());
    }

    @Test
    void anAnswerWithoutBodyIsWholeAndEmpty() throws IOException {
        AnswerBody body = new AnswerBody(true);
        body.consumeResponse(answer(Map.of("Content-Length", List.of("100000"))), null, HttpCoreContext.create(),
                IGNORED);
        assertTrue(body.head().isDone());
        assertEquals(0, body.whole().length);
    }

    @Test
    void aFailureBeforeTheHeadFailsTheWait() {
        AnswerBody body = new AnswerBody(false);
        body.failed(new ConnectException("refused"));
        assertTrue(body.head().isCompletedExceptionally());
    }
}
