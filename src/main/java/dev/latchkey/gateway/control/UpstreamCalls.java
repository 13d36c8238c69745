package dev.latchkey.gateway.control;

import dev.latchkey.platform.http.ApiError;
import dev.latchkey.platform.config.Settings;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * The one HTTP client the gateway calls upstreams with: the JDK's {@link HttpClient} (non-blocking, streams both
 * ways, pools connections), HTTP/1.1 (no h2c upgrade attempt on {@code http} upstreams), redirects never
 * followed (a redirect is the upstream's answer, passed back as it is), every call bounded by
 * {@code LATCHKEY_UPSTREAM_TIMEOUT_SECS} until the upstream's status and headers arrive.
 *
 * <p>Its executor runs each task on the thread that hands it over (decision G4 of the {@code gateway} package):
 * by default every step of a call (the headers parsed, each piece of a body) moved to a pool thread, and those
 * hand-offs cost about as much CPU as the rest of a proxied request together. So nothing that runs as a step of a
 * call may block: what the gateway does there writes to non-blocking servlet output ({@link RelayedAnswer}),
 * completes futures, or hands blocking work to {@link #bodyReaders()} (reading a client's request body, reading
 * a messages answer through an {@code InputStream}).
 */
@ApplicationScoped
public class UpstreamCalls {

    private static final Logger LOG = Logger.getLogger(UpstreamCalls.class.getName());
    public static final String UNAVAILABLE = "Upstream unavailable";
    public static final String TIMED_OUT = "Upstream timed out";

    @Inject
    Settings settings;

    private HttpClient http;
    /**
     * Threads for the gateway's blocking reads, off the HTTP client's thread: clients' request bodies from the
     * container ({@link RequestBody}) and organizations' answers to client messages.
     */
    private final ExecutorService bodyReaders = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "latchkey-upstream-body");
        thread.setDaemon(true);
        return thread;
    });
    /** One thread that only checks deadlines ({@link UpstreamDeadline}); it never runs a call's work. */
    private final ScheduledThreadPoolExecutor deadlines = new ScheduledThreadPoolExecutor(1, task -> {
        Thread thread = new Thread(task, "latchkey-upstream-deadlines");
        thread.setDaemon(true);
        return thread;
    });
    private Duration timeout;

    @PostConstruct
    void init() {
        if (ForkJoinPool.getCommonPoolParallelism() < 2) {
            // latchkey-micro.jar's launcher prevents this; a server of another make may not
            LOG.warning("The JDK's common pool has one thread: every call to an upstream starts a thread of its own."
                    + " Start the JVM with -Djava.util.concurrent.ForkJoinPool.common.parallelism=2");
        }
        timeout = settings.upstreamTimeout();
        http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                // the client's own steps and ours run on its selector thread, without a hand-off per step
                .executor(Runnable::run)
                .build();
    }

    public HttpClient http() {
        return http;
    }

    /** Where {@link RequestBody} reads the client's body. */
    public Executor bodyReaders() {
        return bodyReaders;
    }

    /**
     * Bounds a proxied call by the upstream timeout counted as silence ({@link UpstreamDeadline}).
     *
     * @param lastProgressNanos when the upstream last took a piece of the request ({@link System#nanoTime()})
     */
    public UpstreamDeadline deadline(CompletableFuture<?> call, LongSupplier lastProgressNanos) {
        return UpstreamDeadline.watch(call, lastProgressNanos, timeout.toNanos(), deadlines);
    }

    @PreDestroy
    void stop() {
        bodyReaders.shutdownNow();
        deadlines.shutdownNow();
    }

    /** How long an upstream may take to answer with its status and headers. */
    public Duration timeout() {
        return timeout;
    }

    /** Whether a failed call timed out waiting for the upstream's answer (rather than not reaching it). */
    public static boolean isTimeout(Throwable failure) {
        Throwable cause = unwrap(failure);
        return (cause instanceof HttpTimeoutException && !(cause instanceof HttpConnectTimeoutException))
                || cause instanceof TimeoutException;
    }

    /** The contract's answer to a failed upstream call: 504 "Upstream timed out" or 502 "Upstream unavailable". */
    public static ApiError failure(Throwable failure) {
        return isTimeout(failure) ? new ApiError(504, TIMED_OUT) : new ApiError(502, UNAVAILABLE);
    }

    public static String detail(Throwable failure) {
        return isTimeout(failure) ? TIMED_OUT : UNAVAILABLE;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
