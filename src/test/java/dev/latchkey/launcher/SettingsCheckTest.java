package dev.latchkey.launcher;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latchkey.platform.config.AllowedOrigins;
import dev.latchkey.platform.config.Settings;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SettingsCheckTest {

    private static final String KEY_32 = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
    private static final String KEY_31 = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[31]);

    private final Map<String, String> settings = new HashMap<>();

    /** A machine whose only addresses are the loopback ones. */
    private void check() throws ClusterSettings.Refusal {
        SettingsCheck.check(settings::get, InetAddress::isLoopbackAddress);
    }

    private String refusal() {
        return assertThrows(ClusterSettings.Refusal.class, this::check).getMessage();
    }

    @Test
    void unsetAndBlankSettingsTakeTheirDefaults() throws Exception {
        assertDoesNotThrow(this::check);
        for (String name : new String[] {"LATCHKEY_MAX_DURATION_SECS", "LATCHKEY_WS_EXPIRY_WARNING_SECS",
                "LATCHKEY_RETENTION_DAYS", "LATCHKEY_JWT_SECRET", "LATCHKEY_DB_URL", "LATCHKEY_ALLOWED_ORIGINS",
                "LATCHKEY_BIND_ADDRESS", "LATCHKEY_SIGNING_ALG"}) {
            settings.put(name, " ");
        }
        assertDoesNotThrow(this::check);

        // and the defaults they take are the documented ones (docs/operations.md's table): the launcher's own, ...
        assertEquals(Optional.empty(), SettingsCheck.bindAddress(null, InetAddress::isLoopbackAddress), "every interface");
        assertEquals(Optional.empty(), SettingsCheck.bindAddress(" ", InetAddress::isLoopbackAddress), "every interface");
        // ... and the application's: MicroProfile Config reads a blank value as unset, so both get defaultValue
        assertEquals("86400", defaultOf("maxDurationSecs", "LATCHKEY_MAX_DURATION_SECS"));
        assertEquals("60", defaultOf("wsExpiryWarningSecs", "LATCHKEY_WS_EXPIRY_WARNING_SECS"));
        assertEquals("7", defaultOf("retentionDays", "LATCHKEY_RETENTION_DAYS"));
        assertEquals(ConfigProperty.UNCONFIGURED_VALUE, defaultOf("jwtSecret", "LATCHKEY_JWT_SECRET"));
        assertEquals("ES256", defaultOf("signingAlg", "LATCHKEY_SIGNING_ALG"));
        assertEquals("latchkey", defaultOf("issuer", "LATCHKEY_ISSUER"));
        assertEquals(ConfigProperty.UNCONFIGURED_VALUE, defaultOf("allowedOriginsText", "LATCHKEY_ALLOWED_ORIGINS"));
        assertTrue(AllowedOrigins.parse(null).isAny(), "unset: any origin");
        assertTrue(AllowedOrigins.parse(" ").isAny(), "blank: any origin");
        Settings application = new Settings();
        for (String field : new String[] {"jwtSecret", "orgApiKey", "adminKey"}) {
            Field optional = Settings.class.getDeclaredField(field);
            optional.setAccessible(true);
            optional.set(application, Optional.of(" "));
        }
        assertEquals(Optional.empty(), application.jwtSecret(), "blank: a key generated once, kept in the database");
        assertEquals(Optional.empty(), application.orgApiKey());
        assertEquals(Optional.empty(), application.adminKey(), "blank: no admin API");
    }

    /** The {@code defaultValue} of the application's setting read into {@code field}, checked to be {@code name}. */
    private static String defaultOf(String field, String name) throws NoSuchFieldException {
        ConfigProperty property = Settings.class.getDeclaredField(field).getAnnotation(ConfigProperty.class);
        assertEquals(name, property.name());
        return property.defaultValue();
    }

    @Test
    void goodValuesPass() {
        settings.put("LATCHKEY_MAX_DURATION_SECS", "3600");
        settings.put("LATCHKEY_WS_EXPIRY_WARNING_SECS", "0");
        settings.put("LATCHKEY_RETENTION_DAYS", " 30 ");
        settings.put("LATCHKEY_JWT_SECRET", KEY_32 + "," + KEY_32 + "=");
        settings.put("LATCHKEY_DB_URL", "jdbc:postgresql://db:5432/latchkey");
        settings.put("LATCHKEY_ALLOWED_ORIGINS", "https://app.example, http://localhost:8080,http://[::1]:3000");
        settings.put("LATCHKEY_BIND_ADDRESS", "127.0.0.1");
        assertDoesNotThrow(this::check);
        settings.put("LATCHKEY_DB_URL", "jdbc:h2:file:./data/latchkey");
        assertDoesNotThrow(this::check);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "LATCHKEY_MAX_DURATION_SECS|1h|1|315360000",
        "LATCHKEY_MAX_DURATION_SECS|0|1|315360000",
        "LATCHKEY_MAX_DURATION_SECS|-5|1|315360000",
        "LATCHKEY_MAX_DURATION_SECS|315360001|1|315360000",
        "LATCHKEY_MAX_DURATION_SECS|99999999999999999999|1|315360000",
        "LATCHKEY_MAX_DURATION_SECS|86400.5|1|315360000",
        "LATCHKEY_WS_EXPIRY_WARNING_SECS|sixty|0|315360000",
        "LATCHKEY_WS_EXPIRY_WARNING_SECS|-1|0|315360000",
        "LATCHKEY_RETENTION_DAYS|7d|0|36500",
        "LATCHKEY_RETENTION_DAYS|36501|0|36500",
        "LATCHKEY_LIMIT_MAX_ACTIVE_TOKENS|two|1|1000000",
        "LATCHKEY_LIMIT_MAX_ACTIVE_TOKENS|0|1|1000000",
        "LATCHKEY_LIMIT_MAX_SOCKETS|1000001|1|1000000",
        "LATCHKEY_LIMIT_RATE_PER_SECOND|abc|1|1000000",
        "LATCHKEY_LIMIT_RATE_BURST|-3|1|1000000"})
    void aNumberOutOfShapeOrRangeIsRefused(String name, String value, long min, long max) {
        settings.put(name, value);
        assertEquals(name + ": \"" + value + "\" is not a whole number from " + min + " to " + max, refusal());
    }

    @Test
    void aShortSecretIsRefusedWithoutRepeatingIt() {
        settings.put("LATCHKEY_JWT_SECRET", KEY_31);
        assertEquals("LATCHKEY_JWT_SECRET: the key decodes to 31 bytes; at least 32 are needed", refusal());
        settings.put("LATCHKEY_JWT_SECRET", KEY_32 + "," + KEY_31);
        assertEquals("LATCHKEY_JWT_SECRET: key 2 decodes to 31 bytes; at least 32 are needed", refusal());
    }

    @ParameterizedTest
    @ValueSource(strings = {"c2VjcmV0K3NlY3JldCtzZWNyZXQrc2VjcmV0K3NlY3JldA+/", "not base64 at all but long enough"})
    void aSecretThatIsNotBase64urlIsRefused(String secret) {
        settings.put("LATCHKEY_JWT_SECRET", secret);
        String line = refusal();
        assertEquals("LATCHKEY_JWT_SECRET: the key is not base64url (A-Z a-z 0-9 - _; make one with:"
                + " openssl rand -base64 32 | tr '+/' '-_')", line);
        assertFalse(line.contains(secret));
    }

    @Test
    void anEmptyKeyInTheListIsRefused() {
        settings.put("LATCHKEY_JWT_SECRET", KEY_32 + ",");
        assertEquals("LATCHKEY_JWT_SECRET: key 2 is empty", refusal());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:mysql://db/latchkey?password=hunter2", "postgresql://db/latchkey?password=hunter2",
        "jdbc:postgres://db/latchkey?password=hunter2"})
    void anUnknownDatabaseIsRefusedWithoutRepeatingTheUrl(String url) {
        settings.put("LATCHKEY_DB_URL", url);
        String line = refusal();
        assertEquals("LATCHKEY_DB_URL: must start with jdbc:h2: (embedded) or jdbc:postgresql:"
                + " (the URL itself is not repeated here)", line);
        assertFalse(line.contains("hunter2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"app.example", "https://app.example/", "https://app.example/console", "https://App.example",
        "https://app.example?x=1", "https://user@app.example", "*", "null", "https://"})
    void anOriginThatIsNotAnOriginIsRefused(String origin) {
        settings.put("LATCHKEY_ALLOWED_ORIGINS", "https://ok.example," + origin);
        assertEquals("LATCHKEY_ALLOWED_ORIGINS: \"" + origin
                + "\" is not an origin (write scheme://host or scheme://host:port, lower case, no path)", refusal());
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", " 127.0.0.2 ", "0.0.0.0"})
    void theBindAddressIsAnAddressOfThisMachineOrEveryInterface(String value) {
        settings.put("LATCHKEY_BIND_ADDRESS", value);
        assertDoesNotThrow(this::check);
    }

    @Test
    void aBindAddressOfAnotherMachineIsRefused() {
        settings.put("LATCHKEY_BIND_ADDRESS", "192.0.2.77");
        assertEquals("LATCHKEY_BIND_ADDRESS: 192.0.2.77 is not an address of this machine", refusal());
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "::1", "127.0.0.256", "127.0.0.1:8080", "10.0.0"})
    void aBindAddressThatIsNoIpv4LiteralIsRefused(String value) {
        settings.put("LATCHKEY_BIND_ADDRESS", value);
        assertEquals("LATCHKEY_BIND_ADDRESS: \"" + value + "\" is not an IPv4 address such as 127.0.0.1", refusal());
    }

    @Test
    void theSigningAlgorithmIsOneOfThreeNamesSpelledExactly() throws Exception {
        for (String alg : new String[] {"ES256", "EdDSA", "HS256", " EdDSA "}) {
            settings.put("LATCHKEY_SIGNING_ALG", alg);
            assertDoesNotThrow(this::check, alg);
        }
        settings.put("LATCHKEY_SIGNING_ALG", "eddsa");
        assertEquals("LATCHKEY_SIGNING_ALG: \"eddsa\" is not ES256, EdDSA or HS256 (spelled exactly so)", refusal());
        settings.put("LATCHKEY_SIGNING_ALG", "none");
        assertEquals("LATCHKEY_SIGNING_ALG: \"none\" is not ES256, EdDSA or HS256 (spelled exactly so)", refusal());
    }

    /**
     * The limits of the {@code default} organization from the environment fail the start, not the first mint
     * (a newcomer's trial, 7 December 2026: {@code LATCHKEY_LIMIT_RATE_PER_SECOND=abc} started "ready" and every mint
     * then answered 500).
     */
    @Test
    void theDefaultOrganizationsLimitsAreCheckedBeforeTheStart() throws Exception {
        settings.put("LATCHKEY_LIMIT_MAX_ACTIVE_TOKENS", "5");
        settings.put("LATCHKEY_LIMIT_MAX_ACTIVE_TOKENS_ON_LIMIT", " revoke_oldest ");
        settings.put("LATCHKEY_LIMIT_MAX_SOCKETS", "3");
        settings.put("LATCHKEY_LIMIT_MAX_SOCKETS_ON_LIMIT", "close_oldest");
        settings.put("LATCHKEY_LIMIT_RATE_PER_SECOND", "10");
        settings.put("LATCHKEY_LIMIT_RATE_BURST", "20");
        assertDoesNotThrow(this::check);
        settings.put("LATCHKEY_LIMIT_MAX_SOCKETS_ON_LIMIT", "revoke_oldest");
        assertEquals("LATCHKEY_LIMIT_MAX_SOCKETS_ON_LIMIT: \"revoke_oldest\" is not refuse or close_oldest", refusal());
        settings.put("LATCHKEY_LIMIT_MAX_SOCKETS_ON_LIMIT", "refuse");
        settings.put("LATCHKEY_LIMIT_MAX_ACTIVE_TOKENS_ON_LIMIT", "close_oldest");
        assertEquals("LATCHKEY_LIMIT_MAX_ACTIVE_TOKENS_ON_LIMIT: \"close_oldest\" is not refuse or revoke_oldest",
                refusal());
        settings.put("LATCHKEY_LIMIT_MAX_ACTIVE_TOKENS_ON_LIMIT", "refuse");
        settings.remove("LATCHKEY_LIMIT_RATE_PER_SECOND");
        assertEquals("LATCHKEY_LIMIT_RATE_BURST is set without LATCHKEY_LIMIT_RATE_PER_SECOND", refusal());
    }
}
