package dev.latchkey.limits.control;

/**
 * One client's token bucket on this node: it holds at most {@code capacity} tokens, gains {@code perSecond} tokens a
 * second, and a request takes one. Times are {@link System#nanoTime()} readings. Thread-safe.
 */
final class TokenBucket {

    private static final double NANOS_PER_SECOND = 1e9;

    private double tokens;
    private long last;
    private boolean started;

    /**
     * Takes one token if there is one.
     *
     * @return 0 when taken; otherwise how long until one will be there, in nanoseconds (at least 1)
     */
    synchronized long take(long now, double perSecond, double capacity) {
        refill(now, perSecond, capacity);
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond * NANOS_PER_SECOND));
    }

    /** Whether the bucket is full by {@code now}, so that a new one would behave the same (it starts full). */
    synchronized boolean isFull(long now, double perSecond, double capacity) {
        refill(now, perSecond, capacity);
        return tokens >= capacity;
    }

    private void refill(long now, double perSecond, double capacity) {
        if (!started) {
            started = true;
            tokens = capacity;
        } else if (now - last > 0) {
            tokens = Math.min(capacity, tokens + (now - last) / NANOS_PER_SECOND * perSecond);
        } else {
            tokens = Math.min(capacity, tokens); // a lowered capacity applies at once
        }
        last = now;
    }
}
