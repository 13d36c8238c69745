package dev.latchkey.gateway.control;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import org.glassfish.jersey.server.ChunkedOutput;

/**
 * An upstream's body on its way to the client: the HTTP client publishes it piece by piece, each piece is written
 * to the client's response and flushed ({@link ChunkedOutput}), and only then is the next one asked for, so a slow
 * client slows the upstream instead of filling memory. No thread waits on either side. When the client goes away
 * a write fails and the upstream call is cancelled; {@link #close()} (a revocation) cancels it and ends the
 * answer at once.
 */
public final class StreamedAnswer implements Flow.Subscriber<List<ByteBuffer>>, Closeable {

    private static final Logger LOG = Logger.getLogger(StreamedAnswer.class.getName());

    private final ChunkedOutput<byte[]> out;
    private final Runnable ended;
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile Flow.Subscription subscription;
    private volatile boolean closed;

    /** @param ended called once when the answer ends, however it ends */
    public StreamedAnswer(ChunkedOutput<byte[]> out, Runnable ended) {
        this.out = out;
        this.ended = ended;
    }

    @Override
    public void onSubscribe(Flow.Subscription upstream) {
        subscription = upstream;
        if (closed) {
            upstream.cancel();
        } else {
            upstream.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> pieces) {
        try {
            for (ByteBuffer piece : pieces) {
                if (closed) {
                    return;
                }
                byte[] bytes = new byte[piece.remaining()];
                piece.get(bytes);
                if (bytes.length > 0) {
                    out.write(bytes);
                }
            }
            subscription.request(1);
        } catch (IOException | RuntimeException e) {
            LOG.fine(() -> "The client went away from a proxied answer: " + e.getClass().getName());
            subscription.cancel();
            finish();
        }
    }

    @Override
    public void onError(Throwable failure) {
        LOG.fine(() -> "A proxied answer ended early: " + failure.getClass().getName());
        finish();
    }

    @Override
    public void onComplete() {
        finish();
    }

    /** Cancels the upstream call and ends the client's answer where it is. */
    @Override
    public void close() {
        closed = true;
        Flow.Subscription upstream = subscription;
        if (upstream != null) {
            upstream.cancel();
        }
        finish();
    }

    private void finish() {
        if (done.compareAndSet(false, true)) {
            try {
                out.close();
            } catch (IOException e) {
                LOG.fine("Closing a proxied answer failed");
            } finally {
                ended.run();
            }
        }
    }
}
