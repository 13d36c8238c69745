package dev.latchkey.platform;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Brings the database schema to the current version before anything else touches it.
 * Migrations are versioned SQL files under {@code db/migration}, applied once each, in order,
 * and recorded in {@code latchkey_schema_version}; the schema is never dropped or re-created.
 * The SQL is plain enough to run unchanged on H2 and PostgreSQL.
 */
@DataSourceDefinition(
        name = SchemaMigrations.DATA_SOURCE,
        className = "dev.latchkey.platform.LatchkeyDataSource",
        minPoolSize = 2,
        maxPoolSize = 32,
        properties = {
            "fish.payara.is-connection-validation-required=true",
            "fish.payara.connection-validation-method=custom-validation",
            "fish.payara.validation-classname=org.glassfish.api.jdbc.validation.JDBC40ConnectionValidation",
            "fish.payara.fail-all-connections=true",
            "fish.payara.max-wait-time-in-millis=" + SchemaMigrations.MAX_WAIT_MILLIS
        })
@Singleton
@Startup
@TransactionManagement(TransactionManagementType.BEAN)
public class SchemaMigrations {

    public static final String DATA_SOURCE = "java:app/jdbc/latchkey";
    /**
     * How long a request waits for a pooled connection, in milliseconds. While the database is unreachable the pool
     * keeps trying to open a connection until this runs out, so it bounds how long the first requests of an outage
     * take to get their 500 (the contract allows 1 s); the circuit breakers ({@link DatabaseBreakers}) answer the
     * rest at once. A healthy pool of 32 connections that cannot serve a request within it is overloaded anyway.
     */
    public static final int MAX_WAIT_MILLIS = 500;

    /** Every migration, oldest first. Add new files at the end; never edit one that has shipped. */
    static final List<String> MIGRATIONS = List.of("V1__initial_schema.sql", "V2__cluster_lease.sql");

    private static final Logger LOG = Logger.getLogger(SchemaMigrations.class.getName());
    private static final String VERSION_TABLE = "latchkey_schema_version";

    @Resource(lookup = DATA_SOURCE)
    DataSource dataSource;

    @Inject
    Settings settings;

    @Inject
    StartupLock startupLock;

    @PostConstruct
    void migrate() {
        if (settings.clustered() && !settings.isPostgres()) {
            throw new IllegalStateException("Clustering needs PostgreSQL: LATCHKEY_CLUSTER_MEMBERS is set, "
                    + "so set LATCHKEY_DB_URL to a jdbc:postgresql: URL");
        }
        try (Connection connection = dataSource.getConnection()) {
            startupLock.hold(connection);
            try {
                connection.setAutoCommit(false);
                createVersionTable(connection);
                int current = currentVersion(connection);
                for (int version = current + 1; version <= MIGRATIONS.size(); version++) {
                    apply(connection, version, MIGRATIONS.get(version - 1));
                }
            } finally {
                connection.setAutoCommit(true);
                startupLock.release(connection);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Database schema migration failed: " + e.getMessage(), e);
        }
    }

    private void createVersionTable(Connection connection) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        boolean exists;
        try (ResultSet tables = meta.getTables(null, null, "%", new String[] {"TABLE"})) {
            exists = false;
            while (tables.next()) {
                exists |= VERSION_TABLE.equalsIgnoreCase(tables.getString("TABLE_NAME"));
            }
        }
        if (!exists) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE " + VERSION_TABLE
                        + " (version INTEGER PRIMARY KEY, script VARCHAR(255) NOT NULL, applied_at BIGINT NOT NULL)");
            }
            connection.commit();
        }
    }

    private int currentVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT MAX(version) FROM " + VERSION_TABLE)) {
            result.next();
            return result.getInt(1);
        }
    }

    private void apply(Connection connection, int version, String script) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements(read(script))) {
                statement.execute(sql);
            }
            try (PreparedStatement record = connection.prepareStatement(
                    "INSERT INTO " + VERSION_TABLE + " (version, script, applied_at) VALUES (?, ?, ?)")) {
                record.setInt(1, version);
                record.setString(2, script);
                record.setLong(3, System.currentTimeMillis());
                record.executeUpdate();
            }
            connection.commit();
            LOG.info(() -> "Applied database migration " + script);
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        }
    }

    /** Splits a script into statements: each ends with a semicolon at the end of a line; "--" lines are comments. */
    static List<String> statements(String script) {
        StringBuilder current = new StringBuilder();
        java.util.ArrayList<String> result = new java.util.ArrayList<>();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(trimmed).append(' ');
            if (trimmed.endsWith(";")) {
                String sql = current.toString().strip();
                result.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            result.add(current.toString().strip());
        }
        return result;
    }

    private static String read(String script) {
        try (InputStream in = SchemaMigrations.class.getResourceAsStream("/db/migration/" + script)) {
            if (in == null) {
                throw new IllegalStateException("Missing migration " + script);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
