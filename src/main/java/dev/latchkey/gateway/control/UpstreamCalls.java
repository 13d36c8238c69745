package dev.latchkey.gateway.control;

import dev.latchkey.platform.config.Settings;
import dev.latchkey.platform.http.ApiError;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpRequestRetryStrategy;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.concurrent.DefaultThreadFactory;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The one HTTP client the gateway calls upstreams with (the proxy and clients' messages): Apache HttpClient 5's
 * asynchronous client, chosen by measurement (decision G4 of the {@code gateway} package). Set up as a proxy needs
 * it: HTTP/1.1 only (no h2c upgrade, no ALPN to h2, no TLS upgrade), redirects never followed (a redirect is the
 * upstream's answer, passed back as it is), no cookies, no authentication, no content decompression (bodies pass as
 * they are), no {@code Expect: 100-continue}, and no retry but the one the JDK's client also made (see
 * {@link StaleConnectionRetry}). Every call is bounded by {@code LATCHKEY_UPSTREAM_TIMEOUT_SECS}: to connect, to get
 * a connection from the pool, and (counted as silence, {@link UpstreamDeadline}) to the upstream's status and headers.
 *
 * <p>Its I/O threads (one per core) run the client's steps and the gateway's: nothing the gateway does there may
 * block. What runs there writes to non-blocking servlet output ({@link RelayedAnswer}), completes futures, or hands
 * blocking work to {@link #bodyReaders()} (reading a client's request body, answering a client's message on its
 * socket).
 *
 * <p>The connection pool: at most {@value #MAX_PER_ROUTE} connections to one upstream and {@value #MAX_TOTAL} in all
 * (a server-sent events stream holds one for as long as it lasts; the request threads are far fewer); a connection
 * idle for {@value #IDLE_SECONDS} s is closed; one idle for more than a second is checked before it is reused (an
 * upstream that closed it is seen then, not by the request sent on it).
 */
@ApplicationScoped
public class UpstreamCalls {

    public static final String UNAVAILABLE = "Upstream unavailable";
    public static final String TIMED_OUT = "Upstream timed out";
    /** Connections to one upstream (one scheme, host and port), in use or idle. */
    static final int MAX_PER_ROUTE = 1024;
    /** Connections to all upstreams together. */
    static final int MAX_TOTAL = 4096;
    /** How long a connection may stay idle in the pool before it is closed, in seconds. */
    static final int IDLE_SECONDS = 30;

    @Inject
    Settings settings;

    private CloseableHttpAsyncClient http;
    private RequestConfig requestConfig;
    /**
     * Threads for the gateway's blocking work, off the HTTP client's threads: reading clients' request bodies from the
     * container ({@link RequestBody}), answering clients' messages ({@link ClientMessagesForwarder}).
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
        timeout = settings.upstreamTimeout();
        Timeout bound = Timeout.of(timeout);
        requestConfig = RequestConfig.custom()
                .setConnectionRequestTimeout(bound)
                .setRedirectsEnabled(false)
                .setAuthenticationEnabled(false)
                .setContentCompressionEnabled(false)
                .setProtocolUpgradeEnabled(false) // else a GET to an http upstream carries Upgrade: TLS/1.2
                .setExpectContinueEnabled(false)
                .build();
        http = HttpAsyncClients.custom()
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setMaxConnPerRoute(MAX_PER_ROUTE)
                        .setMaxConnTotal(MAX_TOTAL)
                        .setTlsStrategy(DefaultClientTlsStrategy.createSystemDefault())
                        .setDefaultTlsConfig(TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1).build())
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(bound)
                                // no read timeout on the connection: a stream may stay silent as long as it likes;
                                // set explicitly, so that a lease resets whatever a call set before
                                .setSocketTimeout(Timeout.DISABLED)
                                .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                                .build())
                        .build())
                .setDefaultRequestConfig(requestConfig)
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableContentCompression() // else it adds Accept-Encoding and decodes what it asked for
                .disableAuthCaching()
                .disableConnectionState()
                .setRetryStrategy(new StaleConnectionRetry())
                .evictIdleConnections(TimeValue.ofSeconds(IDLE_SECONDS))
                .setThreadFactory(new DefaultThreadFactory("latchkey-upstream-io", true))
                .build();
        http.start();
    }

    /**
     * Starts one call. The exchange is aborted (its connection closed) when {@code outcome} is cancelled before the
     * exchange ends (by the deadline, a revocation, a client that went away); {@code outcome} fails when the call
     * fails before {@code answer} completed it.
     *
     * @param body        the request's body, or null for none
     * @param silence     how long the upstream's connection may stay silent during the exchange, or null for as long
     *                    as it likes (a stream)
     * @param outcome     what the caller waits on, completed by {@code answer}
     * @return the exchange, to abort it ({@link #abort}) in other ways
     */
    public <T> Future<T> call(HttpRequest request, AsyncEntityProducer body, AsyncResponseConsumer<T> answer,
                              Timeout silence, CompletableFuture<?> outcome) {
        HttpClientContext context = HttpClientContext.create();
        if (silence != null) {
            context.setRequestConfig(RequestConfig.copy(requestConfig).setResponseTimeout(silence).build());
        }
        Future<T> exchange;
        try {
            exchange = http.execute(new BasicRequestProducer(request, body), answer, context,
                    new FutureCallback<T>() {
                        @Override
                        public void completed(T result) {
                            // the answer completed the outcome itself
                        }

                        @Override
                        public void failed(Exception failure) {
                            outcome.completeExceptionally(failure);
                        }

                        @Override
                        public void cancelled() {
                            outcome.cancel(false);
                        }
                    });
        } catch (RuntimeException e) { // the client is closing: the application is being stopped
            outcome.completeExceptionally(e);
            return CompletableFuture.completedFuture(null);
        }
        outcome.whenComplete((done, failure) -> {
            if (outcome.isCancelled()) {
                abort(exchange);
            }
        });
        return exchange;
    }

    /** Aborts an exchange that has not ended: its connection is closed, and the upstream sees it go. */
    public static void abort(Future<?> exchange) {
        if (exchange != null && !exchange.isDone()) {
            exchange.cancel(true);
        }
    }

    /** Where {@link RequestBody} reads the client's body, and where work that may block runs. */
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
        http.close(CloseMode.IMMEDIATE);
        bodyReaders.shutdownNow();
        deadlines.shutdownNow();
    }

    /** How long an upstream may take to answer with its status and headers. */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Whether a failed call timed out waiting for the upstream's answer (rather than not reaching it): a read that
     * timed out, or a deadline. A connection that could not be made in time is a 502, as a refused one.
     */
    public static boolean isTimeout(Throwable failure) {
        Throwable cause = unwrap(failure);
        return (cause instanceof SocketTimeoutException && !(cause instanceof ConnectTimeoutException))
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

    /**
     * The one retry: a {@code GET} or {@code HEAD} (no body) whose connection the upstream closed or reset before
     * any answer came (a kept-alive connection the upstream closed just as the request went out on it) is sent once
     * more, on another connection, as the JDK's client did before ({@code ConnectionExpiredException}). Nothing else
     * is ever sent twice: not a request with a body (a {@code POST} on a connection the upstream closed is a 502,
     * never a second {@code POST}: it may have been acted on, RFC 9110 section 9.2.2; its body is read once and
     * cannot be repeated), not once the upstream began to answer, not after a timeout or a refused connection, and
     * never because of the upstream's status (Apache's default strategy retries 429 and 503, which the proxy passes
     * back as they are).
     */
    static final class StaleConnectionRetry implements HttpRequestRetryStrategy {

        @Override
        public boolean retryRequest(HttpRequest request, IOException exception, int execCount, HttpContext context) {
            if (execCount > 1 || !("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod()))) {
                return false;
            }
            boolean closed = exception instanceof ConnectionClosedException || (exception instanceof SocketException
                    && !(exception instanceof ConnectException) && !(exception instanceof NoRouteToHostException));
            return closed && HttpClientContext.cast(context).getResponse() == null;
        }

        @Override
        public boolean retryRequest(HttpResponse response, int execCount, HttpContext context) {
            return false;
        }

        @Override
        public TimeValue getRetryInterval(HttpResponse response, int execCount, HttpContext context) {
            return TimeValue.ZERO_MILLISECONDS;
        }
    }
}
