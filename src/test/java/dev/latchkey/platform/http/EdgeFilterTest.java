package dev.latchkey.platform.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

/** Which requests the edge filter hands to the upstream relay. */
class EdgeFilterTest {

    /** A request the container mapped to these paths, sent as {@code sent} (below the context path "/ctx"). */
    private static HttpServletRequest request(String servletPath, String pathInfo, String sent) {
        return (HttpServletRequest) Proxy.newProxyInstance(EdgeFilterTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, call, args) -> switch (call.getName()) {
                    case "getServletPath" -> servletPath;
                    case "getPathInfo" -> pathInfo;
                    case "getContextPath" -> "/ctx";
                    case "getRequestURI" -> "/ctx" + sent;
                    default -> throw new UnsupportedOperationException(call.getName());
                });
    }

    private static HttpServletRequest request(String servletPath, String pathInfo) {
        return request(servletPath, pathInfo, servletPath + (pathInfo == null ? "" : pathInfo));
    }

    /** The container resolves '..' and '..;' before mapping; the sent target still goes to the relay's refusal. */
    @Test
    void pathsThatWalkOutOfTheClientApiAsSentAreProxied() {
        assertTrue(EdgeFilter.isProxied(request("/api/v1", "/admin", "/api/v1/client_api/a/..;/..;/admin")));
        assertTrue(EdgeFilter.isProxied(request("/api/v1", "/admin", "/api/v1/client_api/..;/admin")));
        assertTrue(EdgeFilter.isProxied(request("/api/v1", "/client_api", "/api/v1/client_api/x/..")));
        assertTrue(EdgeFilter.isProxied(request("/console", "/x", "/api/v1/client_api/../../console/x")));
        assertFalse(EdgeFilter.isProxied(request("/api/v1", "/client_api", "/api/v1/client_api;x=1")));
        assertFalse(EdgeFilter.isProxied(request("/api/v1", "/admin", "/api/v1client_api/x")));
    }

    @Test
    void pathsBelowTheClientApiAreProxied() {
        assertTrue(EdgeFilter.isProxied(request("/api/v1", "/client_api/x")));
        assertTrue(EdgeFilter.isProxied(request("/api/v1", "/client_api/client_api")));
        assertTrue(EdgeFilter.isProxied(request("/api/v1", "//client_api//x/")));
    }

    @Test
    void theSessionAndEveryOtherPathAreNot() {
        assertFalse(EdgeFilter.isProxied(request("/api/v1", "/client_api")));
        assertFalse(EdgeFilter.isProxied(request("/api/v1", "/client_api/")));
        assertFalse(EdgeFilter.isProxied(request("/api/v1", "/client_api///")));
        assertFalse(EdgeFilter.isProxied(request("/api/v1", "/client_apix/y")));
        assertFalse(EdgeFilter.isProxied(request("/api/v1", "/client_ws/x")));
        assertFalse(EdgeFilter.isProxied(request("/api/v1", "/forward_auth/client_api/x")));
        assertFalse(EdgeFilter.isProxied(request("/api/v1", null)));
        assertFalse(EdgeFilter.isProxied(request("/console", "/client_api/x")));
        assertFalse(EdgeFilter.isProxied(request("/api/v1/client_ws", null)));
    }
}
