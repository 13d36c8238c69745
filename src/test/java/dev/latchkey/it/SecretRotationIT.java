package dev.latchkey.it;

import static dev.latchkey.it.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rotating an environment-given signing secret (contract, section 5): {@code LATCHKEY_JWT_SECRET} is a
 * comma-separated list whose first secret signs and whose others keep verifying. Three starts of the built jar,
 * A, then "B,A", then "C,B": no live token fails at a restart while its secret is still listed, each start signs
 * with its first secret, and a token whose secret was dropped is refused. Signing keys from the environment never
 * touch the database, so this runs in the H2 execution only (three starts cost about a minute each here).
 */
@DisabledIfSystemProperty(named = "latchkey.it.database", matches = "postgres")
class SecretRotationIT {

    private static final String ORG_KEY = Api.ORG_KEY;
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path workDir;

    @Test
    void rotatingThroughTwoRestartsFailsNoLiveToken() throws Exception {
        String a = secret();
        String b = secret();
        String c = secret();
        int port = MicroJar.freePort();
        String[] tokens = new String[3];

        run(port, 1, a, api -> tokens[0] = mint(api));
        run(port, 2, b + "," + a, api -> {
            assertEquals(200, api.get("api/v1/client_api", bearer(tokens[0])).status(), "A's token after B,A");
            tokens[1] = mint(api);
            assertNotEquals(ForgedTokens.kid(tokens[0]), ForgedTokens.kid(tokens[1]), "B signs now");
            api.post("api/v1/admin/signing_keys/rotate", bearer(Api.ADMIN_KEY), "").assertError(409,
                    "The signing keys come from LATCHKEY_JWT_SECRET: rotate by putting a new secret first in that "
                            + "comma-separated list, keeping the old one after it");
        });
        run(port, 3, " " + c + " , " + b, api -> {
            assertEquals(200, api.get("api/v1/client_api", bearer(tokens[1])).status(), "B's token after C,B");
            tokens[2] = mint(api);
            assertEquals(200, api.get("api/v1/client_api", bearer(tokens[2])).status());
            assertNotEquals(ForgedTokens.kid(tokens[1]), ForgedTokens.kid(tokens[2]), "C signs now");
            api.get("api/v1/client_api", bearer(tokens[0])).assertError(401, "Invalid token format");
        });
    }

    private static String secret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String mint(Api api) {
        Api.Reply minted = api.post("api/v1/generate_access_token", bearer(ORG_KEY),
                "{\"client_id\":\"rotation-user\",\"duration_secs\":600}");
        assertEquals(200, minted.status(), minted.body());
        return minted.json().getString("access_token");
    }

    /** A start with this secret list, on its own H2 database under ./data (the tests' H2 file is the Arquillian server's). */
    private void run(int port, int round, String secrets, Consumer<Api> session) throws Exception {
        MicroJar.run(workDir, "rotation-" + round, port, environment -> {
            environment.remove("LATCHKEY_DB_URL");
            environment.remove("LATCHKEY_DB_USER");
            environment.remove("LATCHKEY_DB_PASSWORD");
            environment.put("LATCHKEY_ORG_API_KEY", ORG_KEY);
            environment.put("LATCHKEY_JWT_SECRET", secrets);
        }, (api, base) -> session.accept(api));
    }
}
