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

    /** The query's bytes arrive as sent: nothing that RFC 3986 allows in a query is re-encoded (issue: "?/../../admin"). */
    @Test
    void passesTheQueryAsSentAndEncodesOnlyWhatAUriCannotHold() {
        assertEquals("https://api.example:8443/v2/a?/../../admin?x=%2F&y=a/b",
                UpstreamPaths.resolve(BASE, "a", "/../../admin?x=%2F&y=a/b").toString());
        assertEquals("https://api.example:8443/v2/a?q=a%20b%7Cc%22%C3%A9",
                UpstreamPaths.resolve(BASE, "a", "q=a b|c\"\u00c3\u00a9").toString());
    }

    @Test
    void refusesEveryWayOutOfTheBase() {
        for (String path : List.of("..", "../x", "a/../../x", "%2e%2e/x", "%2E%2e", ".%2e", ".", "a/./b", "a%2fb",
                "a%2F..%2Fb", "a%5cb", "a\\b", "/x", "//evil.example/x", "a//b", "", "a%00", "a%zz", "a b", "a#b",
                "a?b", "\u00e9", "..;", "..;/admin", "a/..;x=1/b", ".;", "%2e%2e;", "..%3b", "..%3Bjsessionid=1", ".%2E;a")) {
            assertThrows(IllegalArgumentException.class, () -> UpstreamPaths.resolve(BASE, path, null), path);
        }
        for (String query : List.of("x=#", "x=%g0", "x=%2", "x=\u0100")) {
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
        assertFalse(HopHeaders.toClient("x_drop", named));
        assertFalse(HopHeaders.toClient("Transfer-Encoding", Set.of()));
        assertTrue(HopHeaders.toClient("Set-Cookie", Set.of()));
        assertTrue(HopHeaders.toClient("Location", Set.of()));
    }

    /**
     * Traefik CVE-2024-45410 and GHSA-x677-9fxg-v5c5, oauth2-proxy CVE-2025-64484, Caddy GHSA-f59h-q822-g45g: CGI,
     * WSGI, PHP and nginx's underscores_in_headers read these names as the header Latchkey sets.
     */
    @Test
    void lookAlikesOfHeadersLatchkeySetsStayBehind() {
        assertEquals("x-latchkey-client-id", HopHeaders.folded("X_Latchkey.Client~Id"));
        Set<String> named = HopHeaders.namedByConnection(List.of("X_Api_Version"));
        for (char c : "_.~!*|^'#$%&+`".toCharArray()) {
            for (String name : List.of("X-Latchkey-Client-Id", "X-Forwarded-Host", "X-Forwarded-For", "X-Real-IP",
                    "X-Latchkey-Signature", "Transfer-Encoding")) {
                String lookAlike = name.replace('-', c);
                assertFalse(HopHeaders.toUpstream(lookAlike, named), lookAlike);
            }
        }
        assertFalse(HopHeaders.toUpstream("x-api-version", named));
        assertTrue(HopHeaders.toUpstream("X-Latchkey", named)); // not a name Latchkey sets
        assertTrue(HopHeaders.toUpstream("X_Request_Id", named));
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
