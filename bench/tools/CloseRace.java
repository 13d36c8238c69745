import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reproduces the WebSocket close race of Payara Micro 6 (docs/websocket.md, "Known defect"): ROUNDS times, opens
 * a socket, revokes its token (the server closes it with 4401 while the client answers the close frame at once),
 * then tries the revoked token's handshake again (must be 401); meanwhile two threads call GET /api/v1/client_api
 * without pause. Prints what each step got, grouped; every line but "4401 401 ..." and the background's odd=0 is
 * the defect showing. Usage: java CloseRace.java BASE_URL ROUNDS (ORG_KEY in the environment).
 */
public class CloseRace {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static String base;
    static String orgKey;

    public static void main(String[] args) throws Exception {
        base = args[0];
        int rounds = Integer.parseInt(args[1]);
        orgKey = System.getenv("ORG_KEY");
        String steady = mint("close-race-background");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger odd = new AtomicInteger();
        Runnable load = () -> {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            while (!stop.get()) {
                try {
                    HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/client_api"))
                            .header("Authorization", "Bearer " + steady).build(), HttpResponse.BodyHandlers.ofString());
                    if (answer.statusCode() == 200 && answer.body().startsWith("{\"client_id\":\"close-race-background\"")) {
                        ok.incrementAndGet();
                    } else {
                        odd.incrementAndGet();
                        System.out.println("background: " + answer.statusCode() + " " + answer.body());
                    }
                } catch (Exception e) {
                    odd.incrementAndGet();
                    System.out.println("background: " + e);
                }
            }
        };
        Thread[] threads = {new Thread(load), new Thread(load)};
        for (Thread thread : threads) {
            thread.start();
        }
        Map<String, Integer> seen = new TreeMap<>();
        for (int round = 0; round < rounds; round++) {
            seen.merge(round(), 1, Integer::sum);
        }
        stop.set(true);
        for (Thread thread : threads) {
            thread.join();
        }
        seen.forEach((outcome, count) -> System.out.println(count + "  " + outcome));
        System.out.println("background: ok=" + ok + " odd=" + odd);
    }

    static String round() throws Exception {
        String token = mint("close-race");
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        URI socket = URI.create(base.replace("http", "ws") + "/api/v1/client_ws?client_key=Bearer%20" + token);
        try {
            HTTP.newWebSocketBuilder().buildAsync(socket, new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onClose(WebSocket webSocket, int code, String reason) {
                    closed.complete(code);
                    return null;
                }

                @Override
                public void onError(WebSocket webSocket, Throwable error) {
                    closed.completeExceptionally(error);
                }
            }).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return "open failed: " + e.getCause();
        }
        post("revoke_token", "{\"access_token\":\"" + token + "\"}");
        String close;
        try {
            close = String.valueOf(closed.get(10, TimeUnit.SECONDS));
        } catch (ExecutionException e) {
            close = "socket failed: " + e.getCause();
        }
        String again;
        try {
            HTTP.newWebSocketBuilder().buildAsync(socket, new WebSocket.Listener() { }).get(10, TimeUnit.SECONDS);
            again = "revoked token's handshake ACCEPTED";
        } catch (ExecutionException e) {
            again = e.getCause() instanceof WebSocketHandshakeException refused
                    ? refused.getResponse().statusCode() + " " + refused.getResponse().body()
                    : "handshake failed: " + e.getCause();
        }
        return close + " " + again;
    }

    static String mint(String client) throws Exception {
        String body = post("generate_access_token", "{\"client_id\":\"" + client + "\",\"duration_secs\":600}");
        int start = body.indexOf("\"access_token\":\"") + 16;
        return body.substring(start, body.indexOf('"', start));
    }

    static String post(String path, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/" + path))
                .header("Authorization", "Bearer " + orgKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
