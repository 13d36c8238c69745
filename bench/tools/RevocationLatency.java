import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Revocation reaching open WebSockets: opens N authenticated /client_ws connections (one token each), then
 * revokes them one at a time (half by revoke_token, half by revoke_client_tokens) and measures, per
 * connection, the time from the revoke's 200 response to the 4401 close frame (negative: the close arrived
 * before the response), from sending the revoke to the close, and the revoke's own answer time.
 * Given several nodes (comma-separated), connection i opens on node i mod n and its token is revoked on the next
 * node, so every revocation crosses nodes. Any error (a revoke not answered 200, a close code other than 4401, a
 * socket not closed within 10 s) ends the run with a non-zero exit status.
 *
 * Run: java bench/tools/RevocationLatency.java http://127.0.0.1:PORT[,http://...] [connections]   (org key in env ORG_KEY)
 */
public class RevocationLatency {

    private static final Pattern TOKEN = Pattern.compile("\"access_token\":\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        String[] bases = args[0].split(",");
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        String orgKey = System.getenv("ORG_KEY");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

        List<Conn> conns = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String base = bases[i % bases.length];
            String ws = base.replaceFirst("^http", "ws") + "/api/v1/client_ws?client_key=";
            Conn c = new Conn("bench-ws-" + UUID.randomUUID());
            c.token = mint(http, base, orgKey, c.client);
            c.socket = http.newWebSocketBuilder()
                    .buildAsync(URI.create(ws + URLEncoder.encode("Bearer " + c.token, StandardCharsets.UTF_8)), c)
                    .get(10, TimeUnit.SECONDS);
            c.session.get(10, TimeUnit.SECONDS);
            conns.add(c);
        }
        System.out.printf("%d connections open on %d node(s)%n", conns.size(), bases.length);

        long[] afterResponse = new long[count];
        long[] afterRequest = new long[count];
        long[] answer = new long[count];
        int wrongCode = 0;
        for (int i = 0; i < count; i++) {
            Conn c = conns.get(i);
            String base = bases[(i + 1) % bases.length];
            boolean wholeClient = i % 2 == 1;
            HttpRequest revoke = HttpRequest.newBuilder(URI.create(base + "/api/v1/"
                            + (wholeClient ? "revoke_client_tokens" : "revoke_token")))
                    .header("Authorization", "Bearer " + orgKey).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(wholeClient
                            ? "{\"client_id\":\"" + c.client + "\"}"
                            : "{\"access_token\":\"" + c.token + "\"}"))
                    .build();
            long sent = System.nanoTime();
            HttpResponse<String> reply = http.send(revoke, HttpResponse.BodyHandlers.ofString());
            long answered = System.nanoTime();
            if (reply.statusCode() != 200) {
                throw new IllegalStateException("revoke answered " + reply.statusCode());
            }
            long closed = c.closedAt.get(10, TimeUnit.SECONDS);
            if (c.closeCode != 4401) {
                wrongCode++;
            }
            afterResponse[i] = closed - answered;
            afterRequest[i] = closed - sent;
            answer[i] = answered - sent;
        }
        report("revoke request sent -> its answer", answer);
        report("revoke response -> close frame", afterResponse);
        report("revoke request sent -> close frame", afterRequest);
        System.out.printf("close code other than 4401: %d%n", wrongCode);
        if (wrongCode > 0) {
            System.exit(1);
        }
    }

    private static void report(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("%s over %d connections: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", what, sorted.length,
                sorted[(int) Math.ceil(sorted.length * 0.50) - 1] / 1e6,
                sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6, sorted[sorted.length - 1] / 1e6);
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

    static final class Conn implements WebSocket.Listener {
        final String client;
        String token;
        WebSocket socket;
        final CompletableFuture<Void> session = new CompletableFuture<>();
        final CompletableFuture<Long> closedAt = new CompletableFuture<>();
        volatile int closeCode;
        private final StringBuilder text = new StringBuilder();

        Conn(String client) {
            this.client = client;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                if (text.indexOf("\"session\"") >= 0) {
                    session.complete(null);
                }
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            long now = System.nanoTime();
            closeCode = statusCode;
            closedAt.complete(now);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            session.completeExceptionally(error);
            closedAt.completeExceptionally(error);
        }
    }
}
