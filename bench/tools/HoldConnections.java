import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One node holding many authenticated /client_ws connections, and what they cost in heap.
 *
 * <ol>
 *   <li>mints T tokens (one client_id each, 8 callers in parallel; T defaults to N: one token per connection);</li>
 *   <li>opens and closes 100 warm-up connections, forces a full GC on the server (jcmd PID GC.run) and reads its
 *       used heap (GC.heap_info) and RSS (/proc/PID/status): the baseline;</li>
 *   <li>presents every token once on GET /client_api, so the server's token caches (verified token texts, token
 *       rows) hold them, and measures again: the baseline without those caches' growth;</li>
 *   <li>opens N connections, at most 64 handshakes in flight, each counted open only once its {@code session}
 *       message arrived (proof the handshake was authenticated); measures again;</li>
 *   <li>holds them for S seconds counting unexpected closes, then sends {@code {"type":"ping"}} on every one and
 *       counts pongs, and pushes POST /client_messages to a sample of clients and counts the deliveries;</li>
 *   <li>closes everything and measures once more (the connections' heap should come back).</li>
 * </ol>
 *
 * Run: java bench/tools/HoldConnections.java http://127.0.0.1:PORT SERVER_PID [connections] [hold_secs] [tokens]
 * (org key in env ORG_KEY; jcmd on the PATH, same user as the server).
 */
public class HoldConnections {

    private static final Pattern TOKEN = Pattern.compile("\"access_token\":\"([^\"]+)\"");
    private static final Pattern DELIVERED = Pattern.compile("\"delivered\":\\s*(\\d+)");
    private static final Pattern G1_USED = Pattern.compile("garbage-first heap\\s+total \\d+K, used (\\d+)K");
    private static final Pattern GEN_USED = Pattern.compile("generation\\s+total \\d+K, used (\\d+)K");
    private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
    private static final int IN_FLIGHT = 64;
    private static final int WARM_UP = 100;
    private static final int PUSH_SAMPLE = 100;

    static final AtomicInteger unexpectedCloses = new AtomicInteger();

    public static void main(String[] args) throws Exception {
        String base = args[0];
        long pid = Long.parseLong(args[1]);
        int count = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        int holdSecs = args.length > 3 ? Integer.parseInt(args[3]) : 60;
        int tokenCount = args.length > 4 && !args[4].isEmpty() ? Math.min(count, Integer.parseInt(args[4])) : count;
        String orgKey = System.getenv("ORG_KEY");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String ws = base.replaceFirst("^http", "ws") + "/api/v1/client_ws?client_key=";
        String run = UUID.randomUUID().toString().substring(0, 8);

        // 1. tokens
        long t0 = System.nanoTime();
        String[] clients = new String[tokenCount];
        String[] tokens = new String[tokenCount];
        ExecutorService callers = Executors.newFixedThreadPool(8);
        List<Future<?>> minted = new ArrayList<>();
        for (int i = 0; i < tokenCount; i++) {
            int k = i;
            minted.add(callers.submit(() -> {
                clients[k] = "hold-" + run + "-" + k;
                tokens[k] = mint(http, base, orgKey, clients[k]);
                return null;
            }));
        }
        for (Future<?> f : minted) {
            f.get();
        }
        double mintSecs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("tokens: %d minted in %.1f s (%.0f/s, 8 callers), %s%n", tokenCount, mintSecs,
                tokenCount / mintSecs, tokenCount == count ? "one token and client_id per connection"
                        : "each shared by about " + (count + tokenCount - 1) / tokenCount + " connections");

        // 2. warm-up and baseline
        List<Conn> warm = open(http, ws, tokens, clients, Math.min(WARM_UP, count));
        closeAll(warm);
        Thread.sleep(2000);
        Mem before = Mem.of(pid, "before");

        // 3. every token presented once on REST: the token caches hold them now
        AtomicInteger restFailures = new AtomicInteger();
        List<Future<?>> checked = new ArrayList<>();
        for (String token : tokens) {
            checked.add(callers.submit(() -> {
                HttpResponse<Void> reply = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/client_api"))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.discarding());
                if (reply.statusCode() != 200) {
                    restFailures.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> f : checked) {
            f.get();
        }
        Mem cachesWarm = Mem.of(pid, "cachesWarm");

        // 4. open N
        long opening = System.nanoTime();
        List<Conn> conns = open(http, ws, tokens, clients, count);
        double openSecs = (System.nanoTime() - opening) / 1e9;
        List<Conn> open = conns.stream().filter(c -> c.opened).toList();
        Thread.sleep(2000);
        Mem after = Mem.of(pid, "after");
        int failed = count - open.size();

        // 5. hold, then prove every connection alive
        int closesBeforeHold = unexpectedCloses.get();
        long holdStart = System.nanoTime();
        int lastReported = -1;
        while (System.nanoTime() - holdStart < TimeUnit.SECONDS.toNanos(holdSecs)) {
            Thread.sleep(1000);
            int held = (int) ((System.nanoTime() - holdStart) / 1_000_000_000L);
            if (held / 15 != lastReported && held % 15 == 0 && held > 0) {
                lastReported = held / 15;
                System.out.printf("  held %d s: %d unexpected closes so far%n", held,
                        unexpectedCloses.get() - closesBeforeHold);
            }
        }
        int closesDuringHold = unexpectedCloses.get() - closesBeforeHold;

        long pinging = System.nanoTime();
        for (Conn c : open) {
            c.socket.sendText("{\"type\":\"ping\"}", true);
        }
        int pongs = 0;
        long pingDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (Conn c : open) {
            try {
                c.pong.get(Math.max(1, pingDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                pongs++;
            } catch (Exception e) {
                // counted as missing
            }
        }
        double pingSecs = (System.nanoTime() - pinging) / 1e9;

        int sample = Math.min(PUSH_SAMPLE, tokenCount);
        boolean[] sampled = new boolean[tokenCount];
        int delivered = 0;
        for (int s = 0; s < sample; s++) {
            int k = (int) ((long) s * tokenCount / sample);
            sampled[k] = true;
            HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/client_messages"))
                    .header("Authorization", "Bearer " + orgKey).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"client_id\":\"" + clients[k] + "\",\"data\":{\"n\":" + k + "}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            Matcher m = DELIVERED.matcher(reply.body());
            if (reply.statusCode() == 200 && m.find()) {
                delivered += Integer.parseInt(m.group(1));
            }
        }
        int expected = 0;
        int received = 0;
        long pushDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (Conn c : open) {
            if (sampled[c.tokenIndex]) {
                expected++;
                try {
                    c.message.get(Math.max(1, pushDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    received++;
                } catch (Exception e) {
                    // counted as missing
                }
            }
        }

        // 6. close everything
        int closedCleanly = closeAll(open);
        Thread.sleep(2000);
        Mem closed = Mem.of(pid, "closed");
        callers.shutdown();

        System.out.printf("connections: %d requested, %d open, %d failed%s%n", count, open.size(), failed,
                failed > 0 ? " (" + failureSummary(conns) + ")" : "");
        long[] handshakes = open.stream().mapToLong(c -> c.handshakeNanos).sorted().toArray();
        System.out.printf("opened in %.1f s (%.0f/s, %d in flight); handshake to session message p50 %.1f ms, "
                        + "p99 %.1f ms, max %.1f ms%n", openSecs, open.size() / openSecs, IN_FLIGHT,
                pct(handshakes, 0.50), pct(handshakes, 0.99), pct(handshakes, 1.0));
        if (restFailures.get() > 0) {
            System.out.printf("GET /client_api answers other than 200: %d%n", restFailures.get());
        }
        System.out.printf("server heap used after full GC: %.1f MB baseline, %.1f MB with the token caches warm, "
                        + "%.1f MB with %d open, %.1f MB after closing them%n",
                before.heapKb / 1024.0, cachesWarm.heapKb / 1024.0, after.heapKb / 1024.0, open.size(),
                closed.heapKb / 1024.0);
        int n = Math.max(1, open.size());
        System.out.printf("heap per connection: %.1f KB (connections alone), %.1f KB (including the token caches' "
                + "entries for a client first seen)%n", (after.heapKb - cachesWarm.heapKb) / (double) n,
                (after.heapKb - before.heapKb) / (double) n);
        System.out.printf("server RSS: %.0f MB baseline, %.0f MB with %d open (%.1f KB per connection), "
                        + "%.0f MB after closing%n", before.rssKb / 1024.0, after.rssKb / 1024.0, open.size(),
                (after.rssKb - before.rssKb) / (double) n, closed.rssKb / 1024.0);
        System.out.printf("server open file descriptors: %d baseline, %d with %d open, %d after closing%n",
                before.fds, after.fds, open.size(), closed.fds);
        System.out.printf("held %d s: %d unexpected closes or errors%n", holdSecs, closesDuringHold);
        System.out.printf("after the hold: %d/%d pongs in %.1f s; pushed to %d sampled clients: %d delivered "
                + "(server count), %d/%d received%n", pongs, open.size(), pingSecs, sample, delivered, received,
                expected);
        System.out.printf("closed: %d/%d close handshakes completed; unexpected closes overall: %d%n", closedCleanly,
                open.size(), unexpectedCloses.get());
        System.exit(0); // the HttpClient's threads would keep the JVM alive a while
    }

    /** Opens connections 0..count-1 (connection i on token i % tokens), at most IN_FLIGHT handshakes at a time. */
    static List<Conn> open(HttpClient http, String ws, String[] tokens, String[] clients, int count)
            throws InterruptedException {
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        List<Conn> conns = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            Conn c = new Conn(i % tokens.length, clients[i % tokens.length]);
            conns.add(c);
            long start = System.nanoTime();
            http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(15))
                    .buildAsync(URI.create(ws + URLEncoder.encode("Bearer " + tokens[c.tokenIndex],
                            StandardCharsets.UTF_8)), c)
                    .thenCompose(s -> {
                        c.socket = s;
                        return c.session.orTimeout(15, TimeUnit.SECONDS);
                    })
                    .whenComplete((ok, error) -> {
                        if (error == null) {
                            c.handshakeNanos = System.nanoTime() - start;
                            c.opened = true;
                        } else {
                            c.failure = rootOf(error);
                            if (c.socket != null) {
                                c.socket.abort();
                            }
                        }
                        c.done.complete(null);
                        inFlight.release();
                    });
        }
        inFlight.acquire(IN_FLIGHT); // every handshake finished one way or the other
        return conns;
    }

    /** Sends a normal close on each and waits (up to 30 s in all) for the server's close; returns how many came. */
    static int closeAll(List<Conn> conns) {
        for (Conn c : conns) {
            if (c.opened) {
                c.expectClose = true;
                try {
                    c.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
                } catch (RuntimeException e) {
                    c.socket.abort();
                }
            }
        }
        int closed = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (Conn c : conns) {
            if (!c.opened) {
                continue;
            }
            try {
                c.closed.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                closed++;
            } catch (Exception e) {
                c.socket.abort();
            }
        }
        return closed;
    }

    private static String failureSummary(List<Conn> conns) {
        return conns.stream().filter(c -> !c.opened && c.failure != null)
                .collect(java.util.stream.Collectors.groupingBy(c -> c.failure.getClass().getSimpleName()
                        + (c.failure.getMessage() == null ? "" : ": " + c.failure.getMessage()),
                        java.util.stream.Collectors.counting()))
                .toString();
    }

    private static Throwable rootOf(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.max(0, (int) Math.ceil(sorted.length * p) - 1)] / 1e6;
    }

    static String mint(HttpClient http, String base, String orgKey, String client) throws Exception {
        HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/generate_access_token"))
                .header("Authorization", "Bearer " + orgKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"client_id\":\"" + client + "\",\"duration_secs\":3600}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = TOKEN.matcher(reply.body());
        if (reply.statusCode() != 200 || !m.find()) {
            throw new IllegalStateException("mint answered " + reply.statusCode());
        }
        return m.group(1);
    }

    /** The server's used heap right after a full GC, and its resident set. */
    record Mem(long heapKb, long rssKb, long fds) {
        static Mem of(long pid, String phase) throws Exception {
            jcmd(pid, "GC.run");
            jcmd(pid, "GC.run"); // a second pass: whatever the first one only made unreachable
            String histograms = System.getenv("WS_HOLD_HISTOGRAMS"); // a directory: class histograms per phase
            if (histograms != null && !histograms.isEmpty()) {
                Files.writeString(Path.of(histograms, phase + ".txt"), jcmd(pid, "GC.class_histogram"));
            }
            String info = jcmd(pid, "GC.heap_info");
            long used = 0;
            Matcher g1 = G1_USED.matcher(info);
            if (g1.find()) {
                used = Long.parseLong(g1.group(1));
            } else {
                Matcher gen = GEN_USED.matcher(info); // serial and parallel collectors: young + old
                while (gen.find()) {
                    used += Long.parseLong(gen.group(1));
                }
            }
            if (used == 0) {
                throw new IllegalStateException("no used heap in GC.heap_info:\n" + info);
            }
            Matcher rss = RSS.matcher(Files.readString(Path.of("/proc/" + pid + "/status")));
            long fds;
            try (var entries = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                fds = entries.count();
            }
            return new Mem(used, rss.find() ? Long.parseLong(rss.group(1)) : 0, fds);
        }

        private static String jcmd(long pid, String command) throws Exception {
            Process p = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + command + " failed:\n" + out);
            }
            return out;
        }
    }

    static final class Conn implements WebSocket.Listener {
        final int tokenIndex;
        final String client;
        volatile WebSocket socket;
        volatile boolean opened;
        volatile boolean expectClose;
        volatile long handshakeNanos;
        volatile Throwable failure;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final CompletableFuture<Void> session = new CompletableFuture<>();
        final CompletableFuture<Void> pong = new CompletableFuture<>();
        final CompletableFuture<Void> message = new CompletableFuture<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();

        Conn(int tokenIndex, String client) {
            this.tokenIndex = tokenIndex;
            this.client = client;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                if (text.indexOf("\"session\"") >= 0) {
                    session.complete(null);
                } else if (text.indexOf("\"pong\"") >= 0) {
                    pong.complete(null);
                } else if (text.indexOf("\"message\"") >= 0) {
                    message.complete(null);
                }
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            if (!expectClose && unexpectedCloses.incrementAndGet() <= 5) {
                System.out.printf("  unexpected close of a connection: %d %s%n", statusCode, reason);
            }
            session.completeExceptionally(new IllegalStateException("closed " + statusCode + " " + reason));
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            if (!expectClose && opened && unexpectedCloses.incrementAndGet() <= 5) {
                System.out.printf("  connection error: %s%n", error);
            }
            session.completeExceptionally(error);
            closed.completeExceptionally(error);
        }
    }
}
