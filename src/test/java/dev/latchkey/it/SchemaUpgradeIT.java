package dev.latchkey.it;

import static dev.latchkey.it.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latchkey.orgs.control.ApiKeys;
import dev.latchkey.tokens.control.JwtCodec;
import dev.latchkey.tokens.control.KeyRing;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database created by Latchkey 0.1 (before Flyway: its own table {@code latchkey_schema_version} at version 1)
 * is upgraded in place by the built jar: the organization, its key, the signing key and a live token all keep
 * working, Flyway baselines at version 1 and applies only the newer files, and nothing is dropped. The old
 * database is written here exactly as 0.1 wrote it: its version-1 script (a frozen copy of 0.1's, in
 * {@code src/test/resources/latchkey-0.1}, not today's file), its version table, its rows. The jar runs without
 * {@code LATCHKEY_ORG_API_KEY}: with it, the bootstrap would re-add the key if the upgrade had lost its row.
 * On H2 with the H2 that Payara Micro ships; on PostgreSQL in a database of its own.
 */
class SchemaUpgradeIT {

    private static final String ORG_KEY = "fl-upgrade-tests-only-0123456789abcdefghijklmnop";

    @TempDir
    Path workDir;

    @Test
    void aDatabaseOfLatchkey01IsUpgradedWithEverythingKept() throws Exception {
        boolean postgres = System.getProperty("latchkey.it.pg-script") != null;
        String url = postgres ? freshPostgresDatabase() : "jdbc:h2:file:" + workDir.resolve("legacy/latchkey");
        String orgId = UUID.randomUUID().toString();
        String tokenId = UUID.randomUUID().toString();
        String keyId = UUID.randomUUID().toString();
        String kid = "legacy-kid-0001";
        byte[] secret = "latchkey-0.1-signing-key-for-tests!".getBytes(StandardCharsets.US_ASCII);
        long now = System.currentTimeMillis();
        long expiresAt = now + 3_600_000;

        try (Connection db = connect(url)) {
            db.setAutoCommit(false);
            try (Statement statement = db.createStatement()) {
                for (String sql : version1Statements()) {
                    statement.execute(sql);
                }
                statement.execute("CREATE TABLE latchkey_schema_version (version INTEGER PRIMARY KEY,"
                        + " script VARCHAR(255) NOT NULL, applied_at BIGINT NOT NULL)");
            }
            insert(db, "INSERT INTO latchkey_schema_version VALUES (?, ?, ?)", 1, "V1__initial_schema.sql", now);
            insert(db, "INSERT INTO organization VALUES (?, ?, ?)", orgId, "default", now);
            insert(db, "INSERT INTO api_key (key_id, org_id, key_hash, key_prefix, created_at) VALUES (?, ?, ?, ?, ?)",
                    keyId, orgId, ApiKeys.hash(ORG_KEY), ApiKeys.prefix(ORG_KEY), now);
            insert(db, "INSERT INTO signing_key (kid, secret, created_at) VALUES (?, ?, ?)",
                    kid, Base64.getUrlEncoder().withoutPadding().encodeToString(secret), now);
            insert(db, "INSERT INTO client_token (token_id, org_id, client_id, issued_at, expires_at, metadata)"
                    + " VALUES (?, ?, ?, ?, ?, ?)", tokenId, orgId, "legacy-client", now, expiresAt, "{}");
            db.commit();
        }
        String token = new JwtCodec(() -> new KeyRing(kid, Map.of(kid, KeyRing.hmac(secret))))
                .sign(orgId, "legacy-client", tokenId, now, expiresAt);

        String log = MicroJar.run(workDir, "upgrade", MicroJar.freePort(), environment -> {
            environment.keySet().removeIf(name -> name.startsWith("LATCHKEY_"));
            environment.put("LATCHKEY_DB_URL", url);
            if (postgres) {
                environment.put("LATCHKEY_DB_USER", "latchkey");
                environment.put("LATCHKEY_DB_PASSWORD", "latchkey-test-only");
            }
            // no LATCHKEY_ORG_API_KEY: the org key must work from its upgraded row alone
        }, (api, base) -> {
            Api.Reply session = api.get("api/v1/client_api", bearer(token));
            assertEquals(200, session.status(), session.body());
            assertEquals(tokenId, session.json().getString("token_id"));
            Api.Reply listing = new Api(base, ORG_KEY).listTokens("legacy-client");
            assertEquals(200, listing.status(), listing.body());
            assertEquals(tokenId, listing.json().getJsonArray("tokens").getJsonObject(0).getString("token_id"));
            Api.Reply revoked = new Api(base, ORG_KEY).revoke(token);
            assertEquals(200, revoked.status(), revoked.body());
            api.get("api/v1/client_api", bearer(token)).assertError(401, "Token has been revoked");
        });
        assertFalse(log.contains("Created organization"), log);
        assertFalse(log.contains("now holds the key"), log);

        try (Connection db = connect(url); Statement statement = db.createStatement()) {
            List<String> history = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("SELECT \"version\", \"type\", \"success\""
                    + " FROM \"flyway_schema_history\" WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
                while (rows.next()) {
                    history.add(rows.getString(1) + " " + rows.getString(2) + " " + rows.getBoolean(3));
                }
            }
            assertEquals("1 BASELINE true", history.get(0), history.toString());
            assertTrue(history.contains("2 SQL true"), history.toString());
            assertFalse(history.stream().anyMatch(row -> row.startsWith("1 SQL")), "version 1 ran only once: " + history);
            try (ResultSet legacy = statement.executeQuery("SELECT COUNT(*) FROM latchkey_schema_version")) {
                legacy.next();
                assertEquals(1, legacy.getInt(1), "the old version table is kept");
            }
            // the org and its one key are the rows 0.1 wrote, not new ones
            try (ResultSet orgs = statement.executeQuery("SELECT org_id FROM organization")) {
                assertTrue(orgs.next());
                assertEquals(orgId, orgs.getString(1));
                assertFalse(orgs.next(), "one organization");
            }
            try (ResultSet keys = statement.executeQuery("SELECT key_id, org_id, key_hash FROM api_key")) {
                assertTrue(keys.next(), "the org key's row is kept");
                assertEquals(keyId, keys.getString(1));
                assertEquals(orgId, keys.getString(2));
                assertEquals(ApiKeys.hash(ORG_KEY), keys.getString(3));
                assertFalse(keys.next(), "one key");
            }
        }
    }

    /**
     * Version 1 as Latchkey 0.1 ran it, from the copy of 0.1's file frozen in the test resources (today's
     * V1__initial_schema.sql could change without this test noticing): statements end with a semicolon at the end
     * of a line; "--" lines are comments.
     */
    private static List<String> version1Statements() throws Exception {
        String script = Files.readString(Path.of("src/test/resources/latchkey-0.1/V1__initial_schema.sql"));
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(trimmed).append(' ');
            if (trimmed.endsWith(";")) {
                String sql = current.toString().strip();
                statements.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        return statements;
    }

    private static void insert(Connection db, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            statement.executeUpdate();
        }
    }

    /** A new, empty database {@code latchkey_upgrade} on the test cluster (dropped first if an earlier run left it). */
    private static String freshPostgresDatabase() throws SQLException {
        String server = System.getProperty("latchkey.it.fresh-db-url").replaceAll("/[^/]+$", "");
        try (Connection admin = DriverManager.getConnection(server + "/latchkey", "latchkey", "latchkey-test-only");
             Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS latchkey_upgrade");
            statement.execute("CREATE DATABASE latchkey_upgrade");
        }
        return server + "/latchkey_upgrade";
    }

    /** PostgreSQL through its driver; H2 through the h2.jar inside Payara Micro, the version Latchkey runs on. */
    private Connection connect(String url) throws Exception {
        if (url.startsWith("jdbc:postgresql:")) {
            return DriverManager.getConnection(url, "latchkey", "latchkey-test-only");
        }
        Path h2 = workDir.resolve("h2.jar");
        if (!Files.exists(h2)) {
            try (ZipFile micro = new ZipFile(System.getProperty("payara.microJar"));
                 InputStream jar = micro.getInputStream(micro.getEntry("MICRO-INF/runtime/h2.jar"))) {
                Files.copy(jar, h2, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        URLClassLoader loader = new URLClassLoader(new URL[] {h2.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        Driver driver = (Driver) Class.forName("org.h2.Driver", true, loader).getDeclaredConstructor().newInstance();
        return driver.connect(url, new Properties());
    }
}
