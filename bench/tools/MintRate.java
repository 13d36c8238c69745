import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Minting throughput: THREADS callers POST /generate_access_token back to back for SECONDS (after a warm-up of
 * WARMUP seconds, the same length unless given); prints tokens per second and the count of non-200 answers.
 *
 * Run: java bench/tools/MintRate.java http://127.0.0.1:PORT [threads] [seconds] [label] [warmup]   (org key in env ORG_KEY)
 */
public class MintRate {

    public static void main(String[] args) throws Exception {
        String base = args[0];
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        String label = args.length > 3 ? args[3] : base;
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : seconds;
        String orgKey = System.getenv("ORG_KEY");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        if (warmup > 0) {
            run(http, base, orgKey, threads, warmup, null);
        }
        long[] counts = run(http, base, orgKey, threads, seconds, label);
        System.out.printf("%s: minted %.0f tokens/s with %d callers over %d s; non-200: %d%n",
                label, counts[0] / (double) seconds, threads, seconds, counts[1]);
    }

    private static long[] run(HttpClient http, String base, String orgKey, int threads, int seconds, String label)
            throws Exception {
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int caller = t;
            futures.add(pool.submit(() -> {
                HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/generate_access_token"))
                        .header("Authorization", "Bearer " + orgKey).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"client_id\":\"bench-mint-" + caller + "\",\"duration_secs\":600}"))
                        .build();
                while (System.nanoTime() < end) {
                    int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                    (status == 200 ? ok : failed).incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        return new long[] {ok.get(), failed.get()};
    }
}
