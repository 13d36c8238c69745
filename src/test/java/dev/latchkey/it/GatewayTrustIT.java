package dev.latchkey.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an upstream behind Latchkey can trust, tried as an attacker would with the inputs of public advisories
 * against gateways doing the same job. Requests are written to Latchkey byte for byte on a raw socket, and the
 * upstream ({@link RawUpstream}) records what arrives exactly as sent, header names unnormalized. Each test names
 * the reports it guards against; a refused request must never reach the upstream.
 */
class GatewayTrustIT extends BlackBoxTest {

    private static final Pattern STATUS_LINE = Pattern.compile("(?m)^HTTP/1\\.1 (\\d{3}) ");

    private static RawUpstream upstream;

    private String orgKey;
    private String token;
    private String client;
    /** The address of the last connection {@link #exchange} made, as Latchkey sees it. */
    private String clientAddress;

    @BeforeAll
    static void startUpstream() throws IOException {
        upstream = new RawUpstream();
    }

    @AfterAll
    static void stopUpstream() throws IOException {
        upstream.close();
    }

    @BeforeEach
    void organization() {
        JsonObject created = api.createOrg();
        orgKey = created.getString("api_key");
        Api.Reply put = api.send(api.request("api/v1/admin/orgs/" + created.getString("org_id") + "/upstream",
                        Api.bearer(Api.ADMIN_KEY)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + upstream.url() + "/base\"}")));
        assertEquals(200, put.status(), put.body());
        client = Api.uniqueClient();
        token = new Api(base, orgKey).mintToken(client, 600);
    }

    private static String marker() {
        return "m" + UUID.randomUUID().toString().replace("-", "");
    }

    /** Writes the bytes to Latchkey on a new connection and reads until Latchkey closes it (at most 10 s). */
    private String exchange(String request) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            clientAddress = socket.getLocalAddress().getHostAddress();
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int read = in.read(buffer); read != -1; read = in.read(buffer)) {
                    answer.write(buffer, 0, read);
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("Latchkey kept the connection open 10 s; it answered: " + answer, e);
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    /** A request line and headers for Latchkey, with the test's token unless the headers bring another credential. */
    private String request(String method, String target, String... headerLines) {
        StringBuilder request = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: "
                + base.getHost() + ":" + base.getPort() + "\r\n");
        if (List.of(headerLines).stream().noneMatch(h -> h.startsWith("Authorization:") || h.startsWith("NoAuth"))) {
            request.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        for (String header : headerLines) {
            if (!header.startsWith("NoAuth")) {
                request.append(header).append("\r\n");
            }
        }
        return request.append("\r\n").toString();
    }

    private static List<Integer> statuses(String answer) {
        Matcher matcher = STATUS_LINE.matcher(answer);
        return matcher.results().map(m -> Integer.parseInt(m.group(1))).toList();
    }

    private static void assertRefused(String answer, int status, String detail) {
        assertEquals(List.of(status), statuses(answer), answer);
        assertTrue(answer.contains("\r\nContent-Type: application/json"), answer);
        assertTrue(answer.endsWith("{\"detail\":\"" + detail + "\"}"), answer);
    }

    private static List<String> folded(List<String> names) {
        return names.stream().map(name -> name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "-")).toList();
    }

    // ---- 0. one credential ----

    /**
     * A server that reads one occurrence of a repeated header reads whichever its API picks (NousResearch/hermes-agent
     * pull request 80779: {@code headers.get} chose one {@code X-Forwarded-For} of several; the Servlet API's
     * {@code getHeader} gives the first). RFC 9110 section 5.3 allows no second {@code Authorization} (divviup/janus
     * issue 3163): the proxy refuses it, whichever comes first, and the upstream never hears of the request.
     */
    @Test
    void aSecondAuthorizationHeaderIsRefusedOnTheProxy() throws IOException {
        String marker = marker();
        for (String second : List.of("Bearer not-a-jwt", "Bearer " + token)) {
            assertRefused(exchange(request("GET", "/api/v1/client_api/" + marker, "Authorization: Bearer " + token,
                    "Authorization: " + second, "Connection: close")), 400,
                    "More than one credential: send exactly one");
        }
        assertEquals(List.of(), upstream.requestsWith(marker));
    }

    // ---- 1. header names ----

    /**
     * Traefik CVE-2024-45410 and GHSA-x677-9fxg-v5c5 (its dot-alias follow-up), oauth2-proxy CVE-2025-64484, Caddy
     * GHSA-f59h-q822-g45g: a header whose name differs from an identity header only in punctuation is read as that
     * header by CGI, WSGI, PHP and nginx's underscores_in_headers. None reaches the upstream; Latchkey's own
     * headers arrive once each, with Latchkey's values.
     */
    @Test
    void lookAlikesOfIdentityAndForwardingHeadersNeverReachTheUpstream() throws IOException {
        String marker = marker();
        StringBuilder lookAlikes = new StringBuilder();
        for (char c : "_.~!*|^'#$%&+`".toCharArray()) {
            for (String name : List.of("X-Latchkey-Client-Id", "X-Forwarded-Host", "X-Forwarded-For", "X-Real-IP")) {
                lookAlikes.append(name.replace('-', c)).append(": someone-else\r\n");
            }
        }
        String answer = exchange(request("GET", "/api/v1/client_api/" + marker, lookAlikes.toString().trim(),
                "X-Keep-Me: kept", "Connection: close"));
        assertEquals(List.of(200), statuses(answer), answer);

        RawUpstream.Received got = upstream.requestsWith(marker).get(0);
        List<String> folded = folded(got.names());
        for (String own : List.of("x-latchkey-client-id", "x-forwarded-host", "x-forwarded-for")) {
            assertEquals(1, folded.stream().filter(own::equals).count(), own + " in " + got.headerLines());
        }
        assertEquals(0, folded.stream().filter("x-real-ip"::equals).count(), got.headerLines().toString());
        assertEquals(List.of(client), got.values("X-Latchkey-Client-Id"));
        assertEquals(List.of(clientAddress), got.values("X-Forwarded-For"));
        assertEquals(List.of("kept"), got.values("X-Keep-Me"));
        assertTrue(got.headerLines().stream().noneMatch(line -> line.contains("someone-else")), got.headerLines().toString());
    }

    /**
     * Traefik CVE-2021-32813 and CVE-2024-45410: a header the client names in {@code Connection} is dropped (hop by
     * hop), also when named by a look-alike, but naming Latchkey's own headers never removes them.
     */
    @Test
    void connectionCanDropTheClientsHeadersButNeverLatchkeys() throws IOException {
        String marker = marker();
        String answer = exchange(request("GET", "/api/v1/client_api/" + marker,
                "X-Api-Key: secret", "Connection: close", "Connection: X_Api_Key, X-Latchkey-Client-Id, X-Forwarded-For"));
        assertEquals(List.of(200), statuses(answer), answer);
        RawUpstream.Received got = upstream.requestsWith(marker).get(0);
        assertEquals(List.of(), got.values("X-Api-Key"));
        assertEquals(List.of(client), got.values("X-Latchkey-Client-Id"));
        assertEquals(1, got.values("X-Forwarded-For").size());
        assertEquals(List.of(), got.values("Connection").stream().filter(v -> v.contains("atchkey")).toList());
    }

    /**
     * Traefik CVE-2026-39858 and Caddy GHSA-f59h-q822-g45g: forward auth cannot drop a header from the request
     * the organization's proxy forwards, so a look-alike of one it would set is refused; the exact names stay
     * allowed (the documented proxy configurations replace them).
     */
    @Test
    void forwardAuthRefusesLookAlikesOfIdentityHeaders() throws IOException {
        for (String name : List.of("X_Latchkey_Client_Id", "X.Latchkey.Org.Id", "X_Forwarded_User", "x_real_ip",
                "X-Forwarded_Uri")) {
            assertRefused(exchange(request("GET", "/api/v1/forward_auth", name + ": admin", "Connection: close")),
                    400, "Header name imitates an identity or forwarding header");
        }
        String allowed = exchange(request("GET", "/api/v1/forward_auth", "X-Latchkey-Client-Id: admin",
                "X-Forwarded-For: 203.0.113.9", "Connection: close"));
        assertEquals(List.of(200), statuses(allowed), allowed);
        assertTrue(allowed.contains("\r\nX-Latchkey-Client-Id: " + client + "\r\n"), allowed);
    }

    /**
     * A kept-alive connection the upstream closes just as a request arrives on it (the upstream's idle timeout ran
     * out at that moment): a {@code POST} is never sent a second time (it may have been acted on: RFC 9110 section
     * 9.2.2; the client gets 502 and may decide), and a {@code GET} is sent once more on another connection, as the
     * JDK's HTTP client did before (its ConnectionExpiredException retry), so the client never sees that race.
     */
    @Test
    void aRequestTheUpstreamDroppedIsResentOnlyWhenItIsAGet() throws IOException {
        String warm = marker(); // a connection for the next request to reuse
        assertEquals(List.of(200), statuses(exchange(request("GET", "/api/v1/client_api/" + warm, "Connection: close"))));

        String post = marker() + "/" + RawUpstream.DROP_ONCE;
        assertRefused(exchange(request("POST", "/api/v1/client_api/" + post, "Content-Type: text/plain",
                "Content-Length: 5", "Connection: close") + "hello"), 502, "Upstream unavailable");
        assertEquals(1, upstream.requestsWith(post).size(), "the POST reached the upstream once");

        assertEquals(List.of(200), statuses(exchange(request("GET", "/api/v1/client_api/" + warm, "Connection: close"))));
        String get = marker() + "/" + RawUpstream.DROP_ONCE;
        String answer = exchange(request("GET", "/api/v1/client_api/" + get, "Connection: close"));
        assertEquals(List.of(200), statuses(answer), answer);
        assertEquals(2, upstream.requestsWith(get).size(), "dropped once, then answered");
    }

    // ---- 2. framing ----

    /**
     * RFC 9112 section 6.3 and request smuggling through Content-Length with Transfer-Encoding (Node.js
     * CVE-2022-32215, node-http-proxy CVE-2026-29057, OpenLiteSpeed issue 392): whichever way Latchkey's container
     * reads such a request, the bytes after its chunked body are never read as a second request, nothing of it
     * reaches the upstream, and the connection is closed.
     */
    @Test
    void contentLengthWithChunkedNeverSmugglesASecondRequest() throws IOException {
        for (String framing : List.of("Content-Length: 4\r\nTransfer-Encoding: chunked",
                "Transfer-Encoding: chunked\r\nContent-Length: 4")) {
            String smuggled = marker();
            String answer = exchange(request("POST", "/api/v1/client_api/" + marker(), framing)
                    + "0\r\n\r\n" + request("GET", "/api/v1/client_api/" + smuggled, "Connection: close"));
            List<Integer> statuses = statuses(answer);
            assertTrue(statuses.equals(List.of(200)) || statuses.equals(List.of(400)), answer);
            assertTrue(answer.contains("\r\nConnection: close\r\n"), answer);
            assertEquals(List.of(), upstream.requestsWith(smuggled), framing);
        }
    }

    /**
     * RFC 9112 section 6.1: a Transfer-Encoding whose last coding is not chunked leaves the length undetermined
     * (tinyproxy issue 616: {@code chunked,}, {@code chunked, gzip} passed an exact-match check; Node.js
     * CVE-2022-32213): 400, nothing forwarded, and what follows on the connection is not read either.
     */
    @Test
    void transferEncodingOtherThanChunkedIsRefused() throws IOException {
        for (String coding : List.of("chunked, identity", "identity", "gzip", "chunked, chunked", "chunked,",
                "gzip, chunked")) {
            String first = marker();
            String smuggled = marker();
            String answer = exchange(request("POST", "/api/v1/client_api/" + first, "Transfer-Encoding: " + coding)
                    + "0\r\n\r\n" + request("GET", "/api/v1/client_api/" + smuggled, "Connection: close"));
            assertRefused(answer, 400, "Ambiguous request framing: Transfer-Encoding must be exactly chunked");
            assertTrue(answer.contains("\r\nConnection: close\r\n"), answer);
            assertEquals(List.of(), upstream.requestsWith(first), coding);
            assertEquals(List.of(), upstream.requestsWith(smuggled), coding);
        }
        // chunked itself is streamed to the upstream, and the connection closed after the answer
        String marker = marker();
        String answer = exchange(request("POST", "/api/v1/client_api/" + marker, "Transfer-Encoding: chunked")
                + "5\r\nhello\r\n0\r\n\r\n");
        assertEquals(List.of(200), statuses(answer), answer);
        assertEquals("hello", upstream.requestsWith(marker).get(0).body());
    }

    /** RFC 9112 section 3.2 (Jetty issue 8716: the front end checked the first Host, Jetty used the second): 400. */
    @Test
    void twoHostHeadersAreRefusedEverywhere() throws IOException {
        String marker = marker();
        for (String target : List.of("/api/v1/client_api/" + marker, "/api/v1/client_api", "/api/v1/forward_auth",
                "/api/v1/client_ws?client_key=Bearer%20" + token)) {
            String answer = exchange(request("GET", target, "Host: evil.example", "Connection: close"));
            assertRefused(answer, 400, "More than one Host header: send exactly one");
            String listed = exchange(request("GET", target, "Connection: close").replaceFirst("Host: ",
                    "Host: evil.example, "));
            assertRefused(listed, 400, "More than one Host header: send exactly one");
        }
        assertEquals(List.of(), upstream.requestsWith(marker));
    }

    /** TRACE would reflect the request's credentials (cross-site tracing, RFC 9110 section 9.3.8): a JSON 405. */
    @Test
    void traceIsRefusedWithJson() throws IOException {
        for (String target : List.of("/api/v1/client_api", "/api/v1/client_api/" + marker(), "/")) {
            assertRefused(exchange(request("TRACE", target, "Connection: close")), 405, "Method not allowed");
        }
    }

    // ---- 3. targets ----

    /**
     * Traefik CVE-2023-47106 (a fragment forwarded as {@code %23}), Envoy CVE-2021-32779, oauth2-proxy
     * GHSA-pxq7-h93f-9jrg: a {@code #} is never part of a request-target (RFC 9112 section 3.2): 400, also on the
     * session path and the WebSocket handshake.
     */
    @Test
    void aFragmentInTheTargetIsRefused() throws IOException {
        String marker = marker();
        for (String target : List.of("/api/v1/client_api/" + marker + "?a=1#frag", "/api/v1/client_api/" + marker
                + "#frag", "/api/v1/client_api#x", "/api/v1/client_ws?client_key=Bearer%20" + token + "#x")) {
            assertRefused(exchange(request("GET", target, "Connection: close")), 400,
                    "Invalid request target: a fragment (#) is never sent");
        }
        assertEquals(List.of(), upstream.requestsWith(marker));
    }

    /**
     * Istio issue 27409 and Envoy's {@code normalize_path} (CVE-2026-73551), Quarkus issue 53930, Keycloak
     * CVE-2026-15573 ({@code %3B}): Tomcat, Jetty and Spring drop {@code ;} parameters before resolving dot
     * segments, so {@code ..;/admin} climbs out of the upstream's base there. Refused like {@code ..}.
     */
    @Test
    void dotSegmentsWithParametersAreRefused() throws IOException {
        String marker = marker();
        for (String path : List.of("..;/admin", "..;x=1/admin", "%2e%2e;/admin", ".%2E;jsessionid=1/admin",
                "..%3b/admin", "..%3B/admin", ".;/admin", "a/..;/..;/admin")) {
            String answer = exchange(request("GET", "/api/v1/client_api/" + path + "?" + marker, "Connection: close"));
            assertRefused(answer, 400, "Invalid path");
        }
        assertEquals(List.of(), upstream.requestsWith(marker));
        // a parameter on an ordinary segment is the upstream's business
        String kept = marker();
        assertEquals(List.of(200), statuses(exchange(request("GET", "/api/v1/client_api/" + kept + ";v=1/x",
                "Connection: close"))));
        assertEquals("/base/" + kept + ";v=1/x", upstream.requestsWith(kept).get(0).target());
    }

    /**
     * Go's ReverseProxy CVE-2022-2880, heimdall issue 716 (double encoding on the way upstream), Caddy issue 7537:
     * the query arrives as the client sent it; only what a URI cannot hold is percent-encoded, which every upstream
     * decodes to the same bytes. The signature covers what the upstream receives.
     */
    @Test
    void theQueryArrivesAsSent() throws IOException {
        String marker = marker();
        String answer = exchange(request("GET", "/api/v1/client_api/" + marker
                + "?/../../admin&x=%2F&y=a/b?c&q=a|b&semi=1;2", "Connection: close"));
        assertEquals(List.of(200), statuses(answer), answer);
        assertEquals("/base/" + marker + "?/../../admin&x=%2F&y=a/b?c&q=a%7Cb&semi=1;2",
                upstream.requestsWith(marker).get(0).target());
    }

    // ---- 4. forward auth ----

    /**
     * oauth2-proxy GHSA-7x63-xv5r-3p2x (a client-supplied {@code X-Forwarded-Uri} trusted) and Envoy CVE-2021-32777
     * (one of two values checked): a client can add either original-URI header to what its proxy sends, so two
     * different credentials across them are refused, as two credentials are everywhere else.
     */
    @Test
    void forwardAuthRefusesTwoOriginalUrisWithDifferentCredentials() throws IOException {
        String other = new Api(base, orgKey).mintToken(Api.uniqueClient(), 600);
        String mine = "/ws?client_key=Bearer%20" + token;
        String theirs = "/ws?client_key=Bearer%20" + other;
        for (String[] pair : List.of(new String[] {"X-Forwarded-Uri: " + mine, "X-Original-URI: " + theirs},
                new String[] {"X-Original-URI: " + mine, "X-Forwarded-Uri: " + theirs},
                new String[] {"X-Forwarded-Uri: " + mine, "X-Forwarded-Uri: " + theirs})) {
            assertRefused(exchange(request("GET", "/api/v1/forward_auth", "NoAuth", pair[0], pair[1],
                    "Connection: close")), 400, "More than one credential: send exactly one");
        }
        String same = exchange(request("GET", "/api/v1/forward_auth", "NoAuth", "X-Forwarded-Uri: " + mine,
                "X-Original-URI: " + mine, "Connection: close"));
        assertEquals(List.of(200), statuses(same), same);
        assertTrue(same.contains("\r\nX-Latchkey-Client-Id: " + client + "\r\n"), same);
    }
}
