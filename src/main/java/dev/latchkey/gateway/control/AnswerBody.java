package dev.latchkey.gateway.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * An upstream's answer as the proxy takes it from the HTTP client (its response consumer): the status and headers
 * ({@link #head()} completes with them), then the body, held whole ({@link #whole}) when the upstream announced a
 * length of at most {@value #HELD_BYTES} bytes, streamed ({@link #stream}) otherwise, and neither when the answer
 * has none ({@code HEAD}, 204, 304).
 *
 * <p>Why hold small bodies: the proxy's request thread waits for the upstream's answer anyway; with the whole body
 * in hand it writes the answer itself and the request ends as any other, without the asynchronous mode, the
 * non-blocking output and the hand-offs between threads a streamed body needs ({@link RelayedAnswer}). Most API
 * answers are small JSON bodies. A body without a length (chunked: server-sent events, a download as it is made) or
 * a longer one streams, so nothing waits for a stream to end. A {@code Content-Length} sent together with
 * {@code Transfer-Encoding} is not trusted as a bound: that body streams too.
 *
 * <p>A streamed body is published to one subscriber, each piece as it arrives. Back-pressure: the HTTP client reads
 * from the upstream's connection while this consumer has capacity ({@link CapacityChannel}); once the connection's
 * window ({@value #WINDOW} bytes) is used up, more is granted only when the subscriber has written everything it was
 * given and asks for more, so a slow client slows the upstream instead of filling memory. Cancelling the
 * subscription aborts the upstream call.
 */
public final class AnswerBody implements AsyncResponseConsumer<Void>, Flow.Publisher<List<ByteBuffer>> {

    /** The longest body held whole, in bytes: a few of these per request in flight is little memory. */
    public static final int HELD_BYTES = 16 * 1024;
    /** The capacity granted at a time to a streamed body, in bytes (the HTTP client's own first window is as big). */
    static final int WINDOW = 64 * 1024;

    private final boolean bodiless;
    private final CompletableFuture<AnswerBody> head = new CompletableFuture<>();
    private volatile HttpResponse response;
    private volatile byte[] whole;
    private volatile Future<?> exchange;

    // guarded by this
    private FutureCallback<Void> result;
    private ByteArrayOutputStream holding;
    private boolean discarding;
    private final ArrayDeque<ByteBuffer> waiting = new ArrayDeque<>();
    private Flow.Subscriber<? super List<ByteBuffer>> subscriber;
    private long demand;
    private boolean ended;
    private Exception failure;
    private boolean cancelled;
    private boolean terminated;
    private CapacityChannel capacity;
    private boolean capacityOwed;
    private boolean draining;
    private boolean again;

    /**
     * @param bodiless the request was a {@code HEAD}: its answer has no body whatever its headers say
     */
    public AnswerBody(boolean bodiless) {
        this.bodiless = bodiless;
    }

    /** Completes with this once the status and headers are in (and the whole body, when it is held whole). */
    public CompletableFuture<AnswerBody> head() {
        return head;
    }

    /** The call this consumes, aborted when the subscriber cancels. */
    public void exchange(Future<?> call) {
        exchange = call;
        boolean abort;
        synchronized (this) {
            abort = cancelled;
        }
        if (abort) {
            UpstreamCalls.abort(call);
        }
    }

    /** The upstream's status line and headers; set once {@link #head()} has completed. */
    public HttpResponse response() {
        return response;
    }

    /** Whether the body was held whole (or there is none). */
    public boolean isWhole() {
        return whole != null;
    }

    /** The body held whole; empty when there is none. */
    public byte[] whole() {
        return whole;
    }

    /** The streamed body, for one subscriber. */
    public Flow.Publisher<List<ByteBuffer>> stream() {
        return this;
    }

    /** Whether the answer announced a length of at most {@link #HELD_BYTES}, and no transfer coding. */
    static boolean isSmall(HttpResponse answer) {
        if (answer.containsHeader("Transfer-Encoding")) {
            return false;
        }
        Header[] lengths = answer.getHeaders("Content-Length");
        if (lengths.length != 1) {
            return false;
        }
        try {
            long length = Long.parseLong(lengths[0].getValue().trim());
            return length >= 0 && length <= HELD_BYTES;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Override
    public void consumeResponse(HttpResponse answer, EntityDetails entity, HttpContext context,
                                FutureCallback<Void> resultCallback) {
        response = answer;
        int status = answer.getCode();
        boolean none = entity == null;
        synchronized (this) {
            result = resultCallback;
            if (!none && (bodiless || status == 204 || status == 304)) {
                discarding = true; // what arrives is not a body: dropped
            } else if (!none && isSmall(answer)) {
                holding = new ByteArrayOutputStream((int) Math.max(0, entity.getContentLength()));
                return; // the head completes with the body, in streamEnd
            }
        }
        if (none || discarding()) {
            whole = new byte[0];
        }
        if (none) {
            resultCallback.completed(null);
        }
        head.complete(this);
    }

    private synchronized boolean discarding() {
        return discarding;
    }

    @Override
    public void informationResponse(HttpResponse answer, HttpContext context) {
        // 1xx: nothing to pass on (the client's Expect is never forwarded)
    }

    @Override
    public void updateCapacity(CapacityChannel channel) throws IOException {
        boolean now;
        synchronized (this) {
            capacity = channel;
            now = holding != null || discarding;
            capacityOwed = !now;
        }
        if (now) {
            channel.update(WINDOW); // a held body is bounded by its length; a discarded one costs nothing
        } else {
            drain();
        }
    }

    /**
     * Takes a piece of the answer. After the subscriber cancelled (a revocation, a client gone), a piece that still
     * arrives fails the exchange, so that the client closes the upstream's connection even if the abort of the call
     * came too early or too late to take effect: the upstream sees its reader go, as it would have seen the client go.
     */
    @Override
    public void consume(ByteBuffer src) throws IOException {
        synchronized (this) {
            if (holding != null) {
                byte[] bytes = new byte[src.remaining()];
                src.get(bytes);
                holding.write(bytes, 0, bytes.length);
                return;
            }
            if (cancelled) {
                src.position(src.limit());
                throw new IOException("the answer's reader is gone");
            }
            if (discarding || terminated) {
                src.position(src.limit());
                return;
            }
            byte[] bytes = new byte[src.remaining()];
            src.get(bytes);
            waiting.add(ByteBuffer.wrap(bytes));
        }
        drain();
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) {
        FutureCallback<Void> done;
        byte[] held = null;
        synchronized (this) {
            done = result;
            if (holding != null) {
                held = holding.toByteArray();
                holding = null;
            } else {
                ended = true;
            }
        }
        if (done != null) {
            done.completed(null);
        }
        if (held != null) {
            whole = held;
            head.complete(this);
        } else {
            drain();
        }
    }

    @Override
    public void failed(Exception cause) {
        head.completeExceptionally(cause); // nothing when the head is already in
        synchronized (this) {
            if (failure == null) {
                failure = cause;
            }
        }
        drain();
    }

    @Override
    public void releaseResources() {
        synchronized (this) {
            capacity = null;
        }
    }

    @Override
    public void subscribe(Flow.Subscriber<? super List<ByteBuffer>> to) {
        synchronized (this) {
            subscriber = to;
        }
        to.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                synchronized (AnswerBody.this) {
                    demand = n <= 0 || demand + n < 0 ? Long.MAX_VALUE : demand + n;
                }
                drain();
            }

            @Override
            public void cancel() {
                synchronized (AnswerBody.this) {
                    cancelled = true;
                    waiting.clear();
                }
                UpstreamCalls.abort(exchange);
            }
        });
        drain();
    }

    /**
     * Passes on what is due, one thread at a time: waiting pieces while the subscriber asks for them, then the end
     * or the failure; grants the connection more capacity once the subscriber has taken everything and asks again.
     */
    private void drain() {
        synchronized (this) {
            if (draining) {
                again = true;
                return;
            }
            draining = true;
        }
        while (true) {
            Flow.Subscriber<? super List<ByteBuffer>> to;
            List<ByteBuffer> pieces = null;
            Exception error = null;
            boolean complete = false;
            CapacityChannel grant = null;
            synchronized (this) {
                to = subscriber;
                if (to != null && !terminated && !cancelled) {
                    if (failure != null) {
                        error = failure;
                        terminated = true;
                        waiting.clear();
                    } else {
                        if (demand > 0 && !waiting.isEmpty()) {
                            pieces = new ArrayList<>(waiting);
                            waiting.clear();
                            demand--;
                        }
                        if (waiting.isEmpty() && ended) {
                            complete = true;
                            terminated = true;
                        } else if (waiting.isEmpty() && demand > 0 && capacityOwed && capacity != null) {
                            grant = capacity;
                            capacityOwed = false;
                        }
                    }
                }
                if (pieces == null && error == null && !complete && grant == null) {
                    if (!again) {
                        draining = false;
                        return;
                    }
                    again = false;
                    continue;
                }
                again = false;
            }
            if (grant != null) {
                try {
                    grant.update(WINDOW);
                } catch (IOException e) {
                    synchronized (this) {
                        failure = e;
                    }
                }
            }
            if (pieces != null) {
                to.onNext(pieces);
            }
            if (error != null) {
                to.onError(error);
            } else if (complete) {
                to.onComplete();
            }
        }
    }
}
