package dev.latchkey.gateway.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UpstreamPathsTest {

    private static final URI BASE = URI.create("https://api.example:8443/v2");

    @Test
    void appendsPathAndQueryAsSent() {
        assertEquals("https://api.example:8443/v2/orders/a%20b?x=1&y=%2F",
                UpstreamPaths.resolve(BASE, "orders/a%20b", "x=1&y=%2F").toString());
        assertEquals("https://api.example:8443/v2/orders/",
                UpstreamPaths.resolve(URI.create("https://api.example:8443/v2/"), "orders/", null).toString());
        assertEquals("http://h/x:y@z", UpstreamPaths.resolve(URI.create("http://h"), "x:y@z", null).toString());
    }

    @Test
    void refusesEveryWayOutOfTheBase() {
        for (String path : List.of("..", "../x", "a/../../x", "%2e%2e/x", "%2E%2e", ".%2e", ".", "a/./b", "a%2fb",
                "a%2F..%2Fb", "a%5cb", "a\\b", "/x", "//evil.example/x", "a//b", "", "a%00", "a%zz", "a b", "a#b",
                "a?b", "\u00e9")) {
            assertThrows(IllegalArgumentException.class, () -> UpstreamPaths.resolve(BASE, path, null), path);
        }
        for (String query : List.of("a b", "x=#", "x=%g0", "x=\"")) {
            assertThrows(IllegalArgumentException.class, () -> UpstreamPaths.resolve(BASE, "a", query), query);
        }
    }

    @Test
    void hopByHopAndImpersonatingHeadersStayBehind() {
        Set<String> named = HopHeaders.namedByConnection(List.of("X-Drop, keep-alive", " Other "));
        assertEquals(Set.of("x-drop", "keep-alive", "other"), named);
        for (String name : List.of("Authorization", "X-Latchkey-Client-Id", "x-latchkey-signature", "Forwarded",
                "X-Forwarded-For", "X-Forwarded-Host", "Connection", "Keep-Alive", "TE", "Trailer",
                "Transfer-Encoding", "Upgrade", "Proxy-Authorization", "Host", "Content-Length", "X-Drop", "other")) {
            assertFalse(HopHeaders.toUpstream(name, named), name);
        }
        for (String name : List.of("Content-Type", "Accept", "Cookie", "X-Request-Id", "If-None-Match", "Origin")) {
            assertTrue(HopHeaders.toUpstream(name, named), name);
        }
        assertFalse(HopHeaders.toClient("Access-Control-Allow-Origin", Set.of()));
        assertFalse(HopHeaders.toClient("Transfer-Encoding", Set.of()));
        assertTrue(HopHeaders.toClient("Set-Cookie", Set.of()));
        assertTrue(HopHeaders.toClient("Location", Set.of()));
    }

    @Test
    void configuredUrlsAreHttpWithoutCredentialsQueryOrFragment() {
        assertEquals("https://api.example/v2", UpstreamTarget.checkUrl("https://api.example/v2/"));
        for (String bad : List.of("ftp://a", "file:///etc/passwd", "http://u:p@a", "http://a?x", "http://a#f",
                "a.example/x", "http://", "javascript:alert(1)", "http://a/" + "x".repeat(2048))) {
            assertThrows(IllegalArgumentException.class, () -> UpstreamTarget.checkUrl(bad), bad);
        }
    }

    @Test
    void clientIdsAreHeaderSafe() {
        assertEquals("user-42_x.y~z", Signing.headerSafe("user-42_x.y~z"));
        assertEquals("user%2042%2F%C3%A9%0A%2A", Signing.headerSafe("user 42/\u00e9\n*"));
    }
}
