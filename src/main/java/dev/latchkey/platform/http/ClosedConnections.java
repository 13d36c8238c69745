package dev.latchkey.platform.http;

import jakarta.servlet.http.HttpServletRequest;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Connections Latchkey has answered with {@code Connection: close}, by the client's address and port, so that
 * nothing sent after that request on the same connection is ever read as a request of its own: a refused
 * request's trailing bytes and whatever follows a chunked body may be a smuggled request (RFC 9112 section 6.3:
 * "the server MUST close the connection after responding"). The servlet API cannot close a connection, and the
 * container reads requests pipelined behind a closing answer before it closes (seen with Payara Micro's Grizzly),
 * so those requests are refused here instead, with {@code Connection: close} again.
 *
 * <p>An entry lives {@value #KEEP_SECONDS} seconds, long enough for whatever was sent with the request; a new
 * connection that gets the same client port within that time (the client's operating system reusing it) has its
 * first request refused once. The fast path, with no entry, is one {@code isEmpty()} call.
 */
final class ClosedConnections {

    static final int KEEP_SECONDS = 10;
    private static final long KEEP_NANOS = TimeUnit.SECONDS.toNanos(KEEP_SECONDS);

    /** address:port to the time (nanos) the entry was made. */
    private final ConcurrentHashMap<String, Long> closed = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;

    ClosedConnections() {
        this(System::nanoTime);
    }

    /** @param nanoTime the clock, in nanoseconds ({@link System#nanoTime()} but in tests) */
    ClosedConnections(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Remembers the request's connection as closed; called when the answer says {@code Connection: close}. */
    void close(HttpServletRequest request) {
        long now = nanoTime.getAsLong();
        closed.put(key(request), now);
        if (closed.size() > 64) {
            closed.values().removeIf(made -> now - made > KEEP_NANOS);
        }
    }

    /** Whether the request came on a connection answered with {@code Connection: close} before. */
    boolean isClosed(HttpServletRequest request) {
        if (closed.isEmpty()) {
            return false;
        }
        Long made = closed.get(key(request));
        return made != null && nanoTime.getAsLong() - made <= KEEP_NANOS;
    }

    private static String key(HttpServletRequest request) {
        return request.getRemoteAddr() + ":" + request.getRemotePort();
    }
}
