package dev.latchkey.access.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The quick path check; paths with escapes or matrix parameters are covered over HTTP (ClientValidationIT). */
class ClientTokenFilterTest {

    @Test
    void theClientApiAndEverythingBelowItIsAClientPath() {
        for (String path : new String[] {"client_api", "client_api/", "client_api/messages", "client_api/a/b",
                "/client_api", "//client_api/x"}) {
            assertEquals(true, ClientTokenFilter.isClientPath(path), path);
        }
    }

    @Test
    void otherPathsAreNot() {
        for (String path : new String[] {"", "/", "client", "client_ap", "client_apix", "client_api_x",
                "Client_api", "x/client_api", "generate_access_token", "client_tokens"}) {
            assertEquals(false, ClientTokenFilter.isClientPath(path), path);
        }
    }
}
