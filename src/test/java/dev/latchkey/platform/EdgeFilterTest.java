package dev.latchkey.platform;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

/** Which requests the edge filter hands to the upstream relay. */
class EdgeFilterTest {

    private static HttpServletRequest request(String servletPath, String pathInfo) {
        return (HttpServletRequest) Proxy.newProxyInstance(EdgeFilterTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, call, args) -> switch (call.getName()) {
                    case "getServletPath" -> servletPath;
                    case "getPathInfo" -> pathInfo;
                    default -> throw new UnsupportedOperationException(call.getName());
                });
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
