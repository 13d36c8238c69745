package dev.latchkey.gateway.control;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.DataStreamChannel;

/**
 * A client's request body on its way to the upstream, as the HTTP client's entity producer: each piece read from
 * the container is handed to the upstream's connection as soon as it is read, and the next piece is read only once
 * the connection has taken the whole of the last one (back-pressure: a slow upstream slows the client), on a thread of
 * {@code readers} (reads block; the HTTP client's own threads never do). At most one piece of
 * {@value #PIECE} bytes is held.
 *
 * <p>The body goes with the client's {@code Content-Length} when it had one, chunked otherwise. It is read once and
 * never repeated ({@link #isRepeatable()}), so the HTTP client never sends it twice.
 *
 * <p>{@link #stop(long)} ends the reading before the request does: a read the client keeps waiting (it stopped
 * sending) is interrupted, and no thread reads the request's stream once the container has ended the request and
 * may give its objects to another one.
 */
public final class RequestBody implements AsyncEntityProducer {

    static final int PIECE = 16 * 1024;

    private final InputStream in;
    private final Executor readers;
    private final long length;
    private volatile long lastProgressNanos = System.nanoTime();
    /** Guards {@link #reader} and {@link #stopped}, and is waited on for the reader to leave a read. */
    private final Object readLock = new Object();
    /** The thread inside {@code in.read} right now, if any. */
    private Thread reader;
    private boolean stopped;

    /** Guards what passes between the readers and the HTTP client's thread. */
    private final Object pieceLock = new Object();
    // guarded by pieceLock
    private ByteBuffer piece;
    private boolean reading;
    private boolean ended;
    private IOException failure;
    private DataStreamChannel channel;

    /**
     * @param length the client's {@code Content-Length}, or -1 when it sent its body chunked
     */
    public RequestBody(InputStream in, Executor readers, long length) {
        this.in = in;
        this.readers = readers;
        this.length = length;
    }

    /** {@link System#nanoTime()} when the upstream's connection last took a piece (or the body was made): the deadline's clock. */
    public long lastProgressNanos() {
        return lastProgressNanos;
    }

    /**
     * Stops reading the client's body: no read starts from now on, and one in progress (blocked on a client that
     * stopped sending) is interrupted; returns once no thread is inside a read, or after {@code waitMillis}.
     * The HTTP client gets nothing more.
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
    private int read(byte[] into) throws IOException {
        synchronized (readLock) {
            if (stopped) {
                return -2;
            }
            reader = Thread.currentThread();
        }
        try {
            return in.read(into);
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

    /** Reads the next piece on a reader's thread, then asks the HTTP client to take it. */
    private void readNext() {
        byte[] into = new byte[PIECE];
        int read;
        IOException failed = null;
        try {
            read = read(into);
        } catch (IOException | RuntimeException e) {
            read = -2;
            failed = isStopped() ? null : e instanceof IOException io ? io : new IOException(e);
        }
        DataStreamChannel toWake;
        synchronized (pieceLock) {
            reading = false;
            if (read == -2 && failed == null) {
                return; // stopped: the HTTP client hears nothing more
            }
            if (failed != null) {
                failure = failed;
            } else if (read < 0) {
                ended = true;
            } else {
                piece = ByteBuffer.wrap(into, 0, read);
            }
            toWake = channel;
        }
        if (toWake != null) {
            toWake.requestOutput(); // produce follows on the HTTP client's thread
        }
    }

    /** Starts reading the next piece unless one is held, being read, or the body is over; call holding pieceLock. */
    private void readIfWanted() {
        if (piece == null && !reading && !ended && failure == null) {
            reading = true;
            readers.execute(this::readNext);
        }
    }

    @Override
    public int available() {
        synchronized (pieceLock) {
            if (failure != null || ended) {
                return 1; // produce must run once more, to end the body or fail the call
            }
            return piece == null ? 0 : piece.remaining();
        }
    }

    @Override
    public void produce(DataStreamChannel to) throws IOException {
        boolean end = false;
        IOException failed;
        synchronized (pieceLock) {
            channel = to;
            failed = failure;
            if (failed == null) {
                if (piece != null) {
                    to.write(piece);
                    if (!piece.hasRemaining()) {
                        piece = null;
                        lastProgressNanos = System.nanoTime();
                    }
                }
                if (piece == null) {
                    if (ended) {
                        end = true;
                    } else {
                        readIfWanted();
                    }
                }
            }
        }
        if (failed != null) {
            throw failed; // the call fails: the client's body could not be read
        }
        if (end) {
            lastProgressNanos = System.nanoTime(); // the whole request is the upstream's: its time runs
            to.endStream();
        }
    }

    @Override
    public long getContentLength() {
        return length > 0 ? length : -1;
    }

    @Override
    public String getContentType() {
        return null; // the client's Content-Type travels as a header of its own
    }

    @Override
    public String getContentEncoding() {
        return null;
    }

    @Override
    public boolean isChunked() {
        return length <= 0;
    }

    @Override
    public Set<String> getTrailerNames() {
        return Set.of();
    }

    @Override
    public boolean isRepeatable() {
        return false;
    }

    /** The call failed: nothing more is read. */
    @Override
    public void failed(Exception cause) {
        stopSoon();
    }

    /**
     * The HTTP client is done with the body: the call ended, or the upstream answered before taking all of it
     * (then the rest is never sent). Nothing more is read; called on the HTTP client's thread, so a blocked read is
     * interrupted, not waited for.
     */
    @Override
    public void releaseResources() {
        stopSoon();
    }

    private void stopSoon() {
        synchronized (pieceLock) {
            piece = null;
            channel = null;
        }
        stop(0);
    }
}
