package dev.latchkey.gateway.control;

import dev.latchkey.platform.operations.Meters;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Locale;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Histogram;

/**
 * The gateway's calls to upstreams on {@code /metrics}, by route ({@code proxy}: the upstream proxy;
 * {@code client_messages}: clients' WebSocket messages POSTed to the messages URL):
 * {@code latchkey_upstream_requests_total{route, class}}, where {@code class} is the upstream's status class
 * ({@code 1xx} to {@code 5xx}), or {@code unavailable} and {@code timed_out} for the calls Latchkey answered with 502
 * and 504 itself; and {@code latchkey_upstream_latency_seconds{route}}, the time from sending the request to the
 * upstream's status and headers (a summary). A call cut by a revocation before the upstream answered is not counted.
 */
@ApplicationScoped
public class UpstreamMeters {

    /** Which of the gateway's features called the upstream. */
    public enum Route {
        PROXY, CLIENT_MESSAGES;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final String[] CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx", "unavailable", "timed_out"};
    private static final int UNAVAILABLE = 5;
    private static final int TIMED_OUT = 6;

    @Inject
    Meters meters;

    private Counter[][] requests;
    private Histogram[] latency;

    @PostConstruct
    void init() {
        Route[] routes = Route.values();
        requests = new Counter[routes.length][CLASSES.length];
        latency = new Histogram[routes.length];
        for (Route route : routes) {
            for (int i = 0; i < CLASSES.length; i++) {
                requests[route.ordinal()][i] = meters.counter("latchkey_upstream_requests",
                        "Calls to upstreams, by route and the upstream's status class (unavailable: 502, timed_out: "
                                + "504, both answered by Latchkey)", "route", route.label(), "class", CLASSES[i]);
            }
            latency[route.ordinal()] = meters.nanoseconds("latchkey_upstream_latency",
                    "From sending a call to an upstream to its status and headers", "route", route.label());
        }
    }

    /**
     * The upstream answered.
     *
     * @param status     its HTTP status
     * @param sentAtNanos {@link System#nanoTime()} when the request was handed to the HTTP client
     */
    public void answered(Route route, int status, long sentAtNanos) {
        latency[route.ordinal()].update(System.nanoTime() - sentAtNanos);
        int statusClass = status / 100 - 1;
        if (statusClass >= 0 && statusClass < UNAVAILABLE) {
            requests[route.ordinal()][statusClass].inc();
        }
    }

    /** The call failed: {@code timedOut} for a 504 ({@link UpstreamCalls#isTimeout}), otherwise a 502. */
    public void failed(Route route, boolean timedOut) {
        requests[route.ordinal()][timedOut ? TIMED_OUT : UNAVAILABLE].inc();
    }
}
