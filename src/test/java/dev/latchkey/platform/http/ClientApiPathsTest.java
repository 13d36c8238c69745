package dev.latchkey.platform.http;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one reading of client API paths that the edge filter, the proxy and the token filter share. */
class ClientApiPathsTest {

    @Test
    void theSessionAndWhatIsBelowItAreTheClientApis() {
        assertAll(
                () -> assertTrue(ClientApiPaths.isClientApi("client_api", 0)),
                () -> assertTrue(ClientApiPaths.isClientApi("/client_api", 0)),
                () -> assertTrue(ClientApiPaths.isClientApi("//client_api/x", 0)),
                () -> assertTrue(ClientApiPaths.isClientApi("/api/v1/client_api", "/api/v1".length())),
                () -> assertFalse(ClientApiPaths.isClientApi("client_apix", 0)),
                () -> assertFalse(ClientApiPaths.isClientApi("client_ws", 0)),
                () -> assertFalse(ClientApiPaths.isClientApi("x/client_api", 0)),
                () -> assertFalse(ClientApiPaths.isClientApi("", 0)));
    }

    @Test
    void onlyAPathWithMoreThanSlashesBelowTheSessionIsProxied() {
        assertAll(
                () -> assertTrue(ClientApiPaths.isBelowClientApi("/client_api/x", 0)),
                () -> assertTrue(ClientApiPaths.isBelowClientApi("//client_api//x/", 0)),
                () -> assertFalse(ClientApiPaths.isBelowClientApi("/client_api", 0)),
                () -> assertFalse(ClientApiPaths.isBelowClientApi("/client_api/", 0)),
                () -> assertFalse(ClientApiPaths.isBelowClientApi("/client_api///", 0)),
                () -> assertFalse(ClientApiPaths.isBelowClientApi("/client_apix/y", 0)));
    }

    @Test
    void theRestStartsAfterTheSlashThatFollowsTheSegment() {
        String uri = "/api/v1//client_api/orders/7";
        assertAll(
                () -> assertEquals("orders/7", uri.substring(ClientApiPaths.restStart(uri, "/api/v1/".length()))),
                () -> assertEquals(-1, ClientApiPaths.restStart("/api/v1/client_api", "/api/v1/".length())),
                () -> assertEquals(-1, ClientApiPaths.restStart("/api/v1/client_apix/y", "/api/v1/".length())));
    }

    /** The token filter's quick check (paths with escapes or matrix parameters are covered over HTTP, ClientValidationIT). */
    @Test
    void everyOtherPathIsNotTheClientApis() {
        for (String path : new String[] {"client_api/", "client_api/messages", "client_api/a/b"}) {
            assertTrue(ClientApiPaths.isClientApi(path, 0), path);
        }
        for (String path : new String[] {"", "/", "client", "client_ap", "client_apix", "client_api_x",
                "Client_api", "x/client_api", "generate_access_token", "client_tokens"}) {
            assertFalse(ClientApiPaths.isClientApi(path, 0), path);
        }
    }
}
