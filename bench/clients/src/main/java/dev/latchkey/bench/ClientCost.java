package dev.latchkey.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.Result;

/**
 * One HTTP client alone against an upstream: {@code CONNECTIONS} GETs kept in flight (each answer starts the next),
 * warmed up, then measured: requests per second and this process's CPU time (user + system) per request. The
 * client is set up as the proxy would use it: HTTP/1.1, a pool of kept-alive connections, the answer read whole.
 *
 * The two blocking variants ({@code jdk-blocking}, {@code apache-classic}) send from {@code CONNECTIONS} threads of
 * their own, as a relay running on the container's request threads would.
 *
 * <pre>java -cp ... dev.latchkey.bench.ClientCost URL jdk|jetty|apache|jdk-blocking|apache-classic [CONNECTIONS WARMUP_SECS MEASURE_SECS]</pre>
 */
public final class ClientCost {

    private interface Client extends AutoCloseable {
        /** Sends one GET; runs {@code done} when its answer has been read whole (or it failed). */
        void get(Runnable done);
    }

    private static final LongAdder COMPLETED = new LongAdder();
    private static final LongAdder FAILED = new LongAdder();
    private static final AtomicBoolean RUNNING = new AtomicBoolean(true);

    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        String which = args[1];
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        int measure = args.length > 4 ? Integer.parseInt(args[4]) : 10;
        try (Client client = switch (which) {
            case "jdk" -> jdk(url);
            case "jetty" -> jetty(url, connections);
            case "apache" -> apache(url, connections);
            case "jdk-blocking" -> jdkBlocking(url, connections);
            case "apache-classic" -> apacheClassic(url, connections);
            default -> throw new IllegalArgumentException("jdk, jetty, apache, jdk-blocking or apache-classic");
        }) {
            for (int i = 0; i < connections; i++) {
                loop(client);
            }
            TimeUnit.SECONDS.sleep(warmup);
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu = os.getProcessCpuTime();
            long done = COMPLETED.sum();
            long start = System.nanoTime();
            TimeUnit.SECONDS.sleep(measure);
            long requests = COMPLETED.sum() - done;
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuMicros = (os.getProcessCpuTime() - cpu) / 1e3;
            RUNNING.set(false);
            System.out.printf("%-6s %9.0f req/s  client CPU %6.1f us/request  failed %d%n", which,
                    requests / seconds, cpuMicros / requests, FAILED.sum());
        }
        System.exit(0);
    }

    private static void loop(Client client) {
        if (RUNNING.get()) {
            client.get(() -> {
                COMPLETED.increment();
                loop(client);
            });
        }
    }

    /**
     * The JDK's client as the proxy built it before it moved to Apache HttpClient 5: HTTP/1.1, its steps on its own
     * selector thread.
     */
    private static Client jdk(URI url) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(Runnable::run).build();
        return new Client() {
            @Override
            public void get(Runnable done) {
                http.sendAsync(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray())
                        .whenComplete((answer, failure) -> {
                            if (failure != null) {
                                FAILED.increment();
                            }
                            done.run();
                        });
            }

            @Override
            public void close() {
            }
        };
    }

    /** Jetty 12's client: its default pool of threads and connections. */
    private static Client jetty(URI url, int connections) throws Exception {
        org.eclipse.jetty.client.HttpClient http = new org.eclipse.jetty.client.HttpClient();
        http.setMaxConnectionsPerDestination(connections);
        http.setFollowRedirects(false);
        http.start();
        return new Client() {
            @Override
            public void get(Runnable done) {
                http.newRequest(url).send(new BufferingResponseListener() {
                    @Override
                    public void onComplete(Result result) {
                        if (result.isFailed()) {
                            FAILED.increment();
                        }
                        done.run();
                    }
                });
            }

            @Override
            public void close() throws Exception {
                http.stop();
            }
        };
    }

    /** Apache HttpClient 5's asynchronous client: HTTP/1.1 only, one I/O reactor thread per core. */
    private static Client apache(URI url, int connections) {
        CloseableHttpAsyncClient http = HttpAsyncClients.custom()
                .setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1)
                .setIOReactorConfig(IOReactorConfig.custom()
                        .setIoThreadCount(Runtime.getRuntime().availableProcessors()).build())
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(connections).setMaxConnPerRoute(connections).build())
                .disableRedirectHandling()
                .build();
        http.start();
        return new Client() {
            @Override
            public void get(Runnable done) {
                SimpleHttpRequest request = SimpleRequestBuilder.get(url).build();
                http.execute(request, new FutureCallback<SimpleHttpResponse>() {
                    @Override
                    public void completed(SimpleHttpResponse result) {
                        done.run();
                    }

                    @Override
                    public void failed(Exception ex) {
                        FAILED.increment();
                        done.run();
                    }

                    @Override
                    public void cancelled() {
                        done.run();
                    }
                });
            }

            @Override
            public void close() throws Exception {
                http.close();
            }
        };
    }

    /** Blocking sends, each from a caller thread of its own: {@code send} on the JDK's client. */
    private static Client jdkBlocking(URI url, int connections) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return blocking(connections, () -> {
            http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
        }, () -> { });
    }

    /** Apache HttpClient 5's classic (blocking) client, a pool of kept-alive connections, caller threads. */
    private static Client apacheClassic(URI url, int connections) {
        org.apache.hc.client5.http.impl.classic.CloseableHttpClient http =
                org.apache.hc.client5.http.impl.classic.HttpClients.custom()
                        .setConnectionManager(org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder
                                .create().setMaxConnTotal(connections).setMaxConnPerRoute(connections).build())
                        .disableRedirectHandling().disableAutomaticRetries().disableCookieManagement()
                        .disableContentCompression().build();
        return blocking(connections, () -> http.execute(new org.apache.hc.client5.http.classic.methods.HttpGet(url),
                answer -> org.apache.hc.core5.http.io.entity.EntityUtils.toByteArray(answer.getEntity())), http::close);
    }

    private interface Send {
        void send() throws Exception;
    }

    /** A blocking client driven by one thread per connection; {@code get} only starts them (once each). */
    private static Client blocking(int connections, Send send, AutoCloseable close) {
        java.util.concurrent.atomic.AtomicInteger started = new java.util.concurrent.atomic.AtomicInteger();
        return new Client() {
            @Override
            public void get(Runnable done) {
                if (started.getAndIncrement() >= connections) {
                    return;
                }
                Thread caller = new Thread(() -> {
                    while (RUNNING.get()) {
                        try {
                            send.send();
                        } catch (Exception e) {
                            FAILED.increment();
                        }
                        COMPLETED.increment();
                    }
                }, "caller");
                caller.setDaemon(true);
                caller.start();
            }

            @Override
            public void close() throws Exception {
                close.close();
            }
        };
    }
}
