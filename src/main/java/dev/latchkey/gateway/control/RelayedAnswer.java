package dev.latchkey.gateway.control;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.logging.Logger;

/**
 * An upstream's body on its way to the client through the Servlet API's non-blocking output
 * ({@link WriteListener}, Jakarta Servlet 6.0 section 3.13): the HTTP client publishes the body piece by piece;
 * each piece is written as far as the client's connection takes it without blocking, the answer is flushed when
 * nothing more is waiting (server-sent events reach the client as they are sent), and only then is the next piece
 * asked for, so a slow client slows the upstream instead of filling memory. No thread waits on either side.
 *
 * <p>When the client goes away, the write fails and the upstream call is cancelled; {@link #close()} (a
 * revocation) cancels it and ends the answer where it is. Either way {@code ended} runs once, and then the
 * request's {@link AsyncContext} is completed once.
 */
public final class RelayedAnswer implements Flow.Subscriber<List<ByteBuffer>>, WriteListener, Closeable {

    private static final Logger LOG = Logger.getLogger(RelayedAnswer.class.getName());

    private final AsyncContext async;
    private final ServletOutputStream out;
    private final Runnable ended;

    // guarded by this
    private final ArrayDeque<ByteBuffer> waiting = new ArrayDeque<>();
    private Flow.Subscription subscription;
    private boolean asked;
    private boolean upstreamDone;
    private boolean unflushed;
    private boolean finished;

    /**
     * Puts the client's answer in non-blocking mode, with this as its listener; call on the request's own thread,
     * before the upstream's body is subscribed to.
     *
     * @param async the client's request, in asynchronous mode
     * @param ended runs once when the answer ends, however it ends, before the request is completed
     * @throws IOException when the client's answer cannot be written any more
     */
    public RelayedAnswer(AsyncContext async, Runnable ended) throws IOException {
        this.async = async;
        this.out = async.getResponse().getOutputStream();
        this.ended = ended;
        out.setWriteListener(this); // the container calls onWritePossible once it may write
    }

    @Override
    public void onSubscribe(Flow.Subscription upstream) {
        synchronized (this) {
            subscription = upstream;
            if (finished) {
                upstream.cancel();
                return;
            }
        }
        onWritePossible();
    }

    @Override
    public void onNext(List<ByteBuffer> pieces) {
        synchronized (this) {
            asked = false;
            if (finished) {
                return;
            }
            for (ByteBuffer piece : pieces) {
                if (piece.hasRemaining()) {
                    waiting.add(piece);
                }
            }
        }
        onWritePossible();
    }

    /** The upstream's body failed, or (as the {@link WriteListener}) the client's connection did. */
    @Override
    public void onError(Throwable failure) {
        LOG.fine(() -> "A proxied answer ended early: " + failure.getClass().getName());
        finish(false);
    }

    @Override
    public void onComplete() {
        synchronized (this) {
            upstreamDone = true;
        }
        onWritePossible();
    }

    /**
     * Writes what is waiting while the connection takes it, then flushes, then asks the upstream for more, or ends
     * the answer once the upstream's body is over. Called by the container when the connection can take more, and
     * by the HTTP client's threads when a piece arrives: the lock keeps one writer at a time.
     */
    @Override
    public void onWritePossible() {
        Flow.Subscription toAsk = null;
        boolean complete = false;
        try {
            synchronized (this) {
                if (finished) {
                    return;
                }
                while (out.isReady()) {
                    ByteBuffer piece = waiting.poll();
                    if (piece != null) {
                        byte[] bytes = new byte[piece.remaining()];
                        piece.get(bytes);
                        out.write(bytes);
                        unflushed = true;
                    } else if (unflushed) {
                        unflushed = false;
                        out.flush();
                    } else if (upstreamDone) {
                        complete = true;
                        break;
                    } else {
                        if (!asked && subscription != null) {
                            asked = true;
                            toAsk = subscription;
                        }
                        break;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.fine(() -> "The client went away from a proxied answer: " + e.getClass().getName());
            finish(false);
            return;
        }
        if (complete) {
            finish(true);
        } else if (toAsk != null) {
            toAsk.request(1); // may call onNext on this thread
        }
    }

    /** Cancels the upstream call and ends the client's answer where it is. */
    @Override
    public void close() {
        finish(false);
    }

    private void finish(boolean whole) {
        Flow.Subscription upstream;
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
            waiting.clear();
            upstream = subscription;
        }
        if (!whole && upstream != null) {
            upstream.cancel();
        }
        try {
            ended.run(); // first: what it ends must be over before the container may reuse the request
        } finally {
            try {
                async.complete();
            } catch (IllegalStateException e) {
                LOG.fine("A proxied answer was already complete");
            }
        }
    }
}
