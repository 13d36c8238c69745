package dev.latchkey.gateway.control;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The upstream timeout ({@code LATCHKEY_UPSTREAM_TIMEOUT_SECS}) of one proxied call, counted as silence: the upstream
 * has the timeout to answer with its status after Latchkey handed it the last piece of the request, and while a body
 * is on its way, the timeout runs from the last piece the upstream took. An upload that keeps moving is never cut,
 * however long it takes in all; a client that stops sending its body, or an upstream that stops reading it or never
 * answers, is cut after the timeout with 504.
 *
 * <p>Why not the HTTP client's own timeouts: a timeout from the start of the exchange, body included, made a 100 MiB
 * upload from a slow client a 504 whatever the upstream did; a read timeout on the connection would also cut a
 * stream that stays silent between events after its headers.
 */
public final class UpstreamDeadline {

    private final CompletableFuture<?> call;
    private final LongSupplier lastProgressNanos;
    private final long timeoutNanos;
    private final ScheduledExecutorService timer;
    private volatile boolean expired;

    private UpstreamDeadline(CompletableFuture<?> call, LongSupplier lastProgressNanos, long timeoutNanos,
                             ScheduledExecutorService timer) {
        this.call = call;
        this.lastProgressNanos = lastProgressNanos;
        this.timeoutNanos = timeoutNanos;
        this.timer = timer;
    }

    /**
     * Watches {@code call} until it completes; when the upstream stays silent for {@code timeoutNanos} it is
     * cancelled (which aborts the exchange) and {@link #expired()} turns true first. A check is scheduled at the
     * earliest moment the timeout could be over, and again from there while pieces keep moving.
     *
     * @param lastProgressNanos {@link System#nanoTime()} of the last piece of the request the upstream took, or of
     *                          the start for a request without a body
     */
    static UpstreamDeadline watch(CompletableFuture<?> call, LongSupplier lastProgressNanos, long timeoutNanos,
                                  ScheduledExecutorService timer) {
        UpstreamDeadline deadline = new UpstreamDeadline(call, lastProgressNanos, timeoutNanos, timer);
        deadline.schedule();
        return deadline;
    }

    /** Whether the call was cancelled because the upstream stayed silent past the timeout (then it is a 504). */
    public boolean expired() {
        return expired;
    }

    private void schedule() {
        if (call.isDone()) {
            return;
        }
        long wait = lastProgressNanos.getAsLong() + timeoutNanos - System.nanoTime();
        if (wait > 0) {
            timer.schedule(this::schedule, wait, TimeUnit.NANOSECONDS);
            return;
        }
        expired = true; // before the cancel: whoever waits on the call reads it once the call is done
        call.cancel(true); // UpstreamCalls.call aborts the exchange (closes its connection) on a cancel
    }
}
