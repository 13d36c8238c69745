package dev.latchkey.gateway.control;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client's request body on its way to the upstream: each piece read from the container is handed to the HTTP
 * client as soon as it is read, and the next piece is read only when the client asks for it, on a thread of
 * {@code readers} (reads block; the HTTP client's own threads never do).
 *
 * <p>Why not the JDK's {@code BodyPublishers.ofInputStream}: it reads the next piece before it hands on the one it
 * has, on the thread that then writes it, so the last piece a client sent before a pause waited for the next one
 * (an upload that streams as it is produced arrived late by one piece).
 */
public final class RequestBody implements Flow.Publisher<ByteBuffer> {

    private static final int PIECE = 16 * 1024;

    private final InputStream in;
    private final Executor readers;
    private volatile long lastProgressNanos = System.nanoTime();

    public RequestBody(InputStream in, Executor readers) {
        this.in = in;
        this.readers = readers;
    }

    /** {@link System#nanoTime()} when the HTTP client last took a piece (or the body was made): the deadline's clock. */
    public long lastProgressNanos() {
        return lastProgressNanos;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        Reading reading = new Reading(subscriber);
        subscriber.onSubscribe(reading);
    }

    private final class Reading implements Flow.Subscription {

        private final Flow.Subscriber<? super ByteBuffer> subscriber;
        private final AtomicLong demand = new AtomicLong();
        private final AtomicBoolean pumping = new AtomicBoolean();
        private volatile boolean done;

        Reading(Flow.Subscriber<? super ByteBuffer> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                done = true;
                subscriber.onError(new IllegalArgumentException("non-positive request: " + n));
                return;
            }
            demand.getAndAccumulate(n, (current, more) -> current + more < 0 ? Long.MAX_VALUE : current + more);
            pump();
        }

        @Override
        public void cancel() {
            done = true;
        }

        private void pump() {
            if (!done && pumping.compareAndSet(false, true)) {
                readers.execute(this::readWhileAsked);
            }
        }

        private void readWhileAsked() {
            try {
                while (!done && demand.get() > 0) {
                    byte[] piece = new byte[PIECE];
                    int read = in.read(piece);
                    if (read < 0) {
                        done = true;
                        lastProgressNanos = System.nanoTime(); // the whole request is the upstream's: its time runs
                        subscriber.onComplete();
                        return;
                    }
                    if (read > 0) {
                        demand.decrementAndGet();
                        subscriber.onNext(ByteBuffer.wrap(read == PIECE ? piece : Arrays.copyOf(piece, read)));
                        lastProgressNanos = System.nanoTime();
                    }
                }
            } catch (IOException | RuntimeException e) {
                done = true;
                subscriber.onError(e);
                return;
            } finally {
                pumping.set(false);
            }
            if (!done && demand.get() > 0) {
                pump(); // asked for more while this thread was leaving
            }
        }
    }
}
