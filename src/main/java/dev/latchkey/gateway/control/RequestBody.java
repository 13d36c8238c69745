package dev.latchkey.gateway.control;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>{@link #stop(long)} ends the reading before the request does: a read the client keeps waiting (it stopped
 * sending) is interrupted, and no thread reads the request's stream once the container has ended the request and
 * may give its objects to another one.
 */
public final class RequestBody implements Flow.Publisher<ByteBuffer> {

    private static final int PIECE = 16 * 1024;

    private final InputStream in;
    private final Executor readers;
    private volatile long lastProgressNanos = System.nanoTime();
    /** Guards {@link #reader} and {@link #stopped}, and is waited on for the reader to leave a read. */
    private final Object readLock = new Object();
    /** The thread inside {@code in.read} right now, if any. */
    private Thread reader;
    private boolean stopped;

    public RequestBody(InputStream in, Executor readers) {
        this.in = in;
        this.readers = readers;
    }

    /** {@link System#nanoTime()} when the HTTP client last took a piece (or the body was made): the deadline's clock. */
    public long lastProgressNanos() {
        return lastProgressNanos;
    }

    /**
     * Stops reading the client's body: no read starts from now on, and one in progress (blocked on a client that
     * stopped sending) is interrupted; returns once no thread is inside a read, or after {@code waitMillis}.
     * The subscriber hears nothing more.
     */
    public void stop(long waitMillis) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        synchronized (readLock) {
            stopped = true;
            if (reader != null) {
                reader.interrupt();
            }
            try {
                for (long left = waitMillis; reader != null && left > 0;
                     left = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())) {
                    readLock.wait(left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One read of the client's body, unless stopped: -2 when stopped before it could start. */
    private int read(byte[] piece) throws IOException {
        synchronized (readLock) {
            if (stopped) {
                return -2;
            }
            reader = Thread.currentThread();
        }
        try {
            return in.read(piece);
        } finally {
            synchronized (readLock) {
                reader = null;
                Thread.interrupted(); // an interrupt meant for this read never reaches the thread's next task
                readLock.notifyAll();
            }
        }
    }

    private boolean isStopped() {
        synchronized (readLock) {
            return stopped;
        }
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
                    int read = read(piece);
                    if (read == -2) {
                        done = true;
                        return;
                    }
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
                if (!isStopped()) {
                    subscriber.onError(e);
                }
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
