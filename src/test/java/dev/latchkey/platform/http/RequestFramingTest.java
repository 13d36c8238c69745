package dev.latchkey.platform.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RequestFramingTest {

    /** A request with these parts; header names are matched ignoring case, as containers do. */
    private static HttpServletRequest request(String method, String uri, String query, int port,
                                              Map<String, List<String>> headers) {
        return (HttpServletRequest) Proxy.newProxyInstance(RequestFramingTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, call, args) -> switch (call.getName()) {
                    case "getMethod" -> method;
                    case "getRequestURI" -> uri;
                    case "getQueryString" -> query;
                    case "getRemoteAddr" -> "192.0.2.7";
                    case "getRemotePort" -> port;
                    case "getHeaders" -> Collections.enumeration(headers.entrySet().stream()
                            .filter(e -> e.getKey().equalsIgnoreCase((String) args[0]))
                            .flatMap(e -> e.getValue().stream()).toList());
                    default -> throw new UnsupportedOperationException(call.getName());
                });
    }

    private static HttpServletRequest get(Map<String, List<String>> headers) {
        return request("POST", "/api/v1/client_api/x", "a=1", 40000, headers);
    }

    @Test
    void acceptsOneHostOneLengthOrExactlyChunked() {
        assertNull(RequestFraming.check(get(Map.of("Host", List.of("a:1")))));
        assertNull(RequestFraming.check(get(Map.of("Host", List.of("a"), "Content-Length", List.of("5")))));
        assertNull(RequestFraming.check(get(Map.of("Transfer-Encoding", List.of(" Chunked ")))));
        assertNull(RequestFraming.check(get(Map.of())));
    }

    /** RFC 9112 sections 6.1, 6.3 and 3.2; Traefik CVE-2023-47106 for the fragment. */
    @Test
    void refusesWhatTwoReadersCouldReadDifferently() {
        assertEquals(RequestFraming.LENGTH_AND_CHUNKED, RequestFraming.check(get(Map.of("Content-Length", List.of("4"),
                "Transfer-Encoding", List.of("chunked")))));
        for (List<String> codings : List.of(List.of("chunked, identity"), List.of("gzip"), List.of("chunked,"),
                List.of("chunked", "chunked"), List.of("identity"))) {
            assertEquals(RequestFraming.NOT_CHUNKED, RequestFraming.check(get(Map.of("Transfer-Encoding", codings))),
                    codings.toString());
        }
        assertEquals(RequestFraming.TWO_LENGTHS, RequestFraming.check(get(Map.of("Content-Length", List.of("4", "4")))));
        assertEquals(RequestFraming.TWO_LENGTHS, RequestFraming.check(get(Map.of("Content-Length", List.of("4, 5")))));
        assertEquals(RequestFraming.TWO_HOSTS, RequestFraming.check(get(Map.of("Host", List.of("a", "b")))));
        assertEquals(RequestFraming.TWO_HOSTS, RequestFraming.check(get(Map.of("Host", List.of("a, b")))));
        assertEquals(RequestFraming.FRAGMENT, RequestFraming.check(request("GET", "/x#y", null, 1, Map.of())));
        assertEquals(RequestFraming.FRAGMENT, RequestFraming.check(request("GET", "/x", "a=1#y", 1, Map.of())));
        assertEquals(405, RequestFraming.check(request("TRACE", "/", null, 1, Map.of())).status());
        assertEquals(405, RequestFraming.check(request("CONNECT", "/", null, 1, Map.of())).status());
    }

    @Test
    void aClosedConnectionStaysClosedForItsWhile() {
        AtomicLong now = new AtomicLong(1_000);
        ClosedConnections closed = new ClosedConnections(now::get);
        HttpServletRequest first = request("GET", "/", null, 40001, Map.of());
        assertFalse(closed.isClosed(first));
        closed.close(first);
        assertTrue(closed.isClosed(request("GET", "/next", null, 40001, Map.of())));
        assertFalse(closed.isClosed(request("GET", "/next", null, 40002, Map.of())));
        now.addAndGet(TimeUnit.SECONDS.toNanos(ClosedConnections.KEEP_SECONDS) + 1);
        assertFalse(closed.isClosed(first));
    }
}
