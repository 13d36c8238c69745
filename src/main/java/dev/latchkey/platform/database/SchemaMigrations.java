package dev.latchkey.platform.database;

import dev.latchkey.platform.config.Settings;
import dev.latchkey.platform.operations.StartupFailure;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptors;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings the database schema to the current version before anything else touches it: Flyway applies the
 * versioned SQL files under {@code db/migration} once each, in order, recorded in {@code flyway_schema_history};
 * nothing is ever dropped. The SQL runs unchanged on H2 and PostgreSQL.
 *
 * <p>A database created before Flyway (by Latchkey 0.1, whose own table {@code latchkey_schema_version} says which
 * files it applied) is baselined at that version first, so its data is kept and only newer files run. On
 * PostgreSQL the whole step runs under the {@link StartupLock}, so nodes starting together migrate once.
 */
@DataSourceDefinition(
        name = SchemaMigrations.DATA_SOURCE,
        className = "dev.latchkey.platform.database.LatchkeyDataSource",
        minPoolSize = 2,
        maxPoolSize = 32,
        properties = {
            // the JavaBean property without which WildFly's pool refuses the class (platform D1)
            "defaultUrl=" + LatchkeyDataSource.DEFAULT_URL,
            "fish.payara.is-connection-validation-required=true",
            "fish.payara.connection-validation-method=custom-validation",
            "fish.payara.validation-classname=org.glassfish.api.jdbc.validation.JDBC40ConnectionValidation",
            "fish.payara.fail-all-connections=true",
            "fish.payara.max-wait-time-in-millis=" + SchemaMigrations.MAX_WAIT_MILLIS
        })
@Singleton
@Startup
@Interceptors(StartupFailure.class)
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

    /** The table in which Latchkey 0.1 recorded the migrations it applied, before Flyway. */
    static final String LEGACY_TABLE = "latchkey_schema_version";

    private static final Logger LOG = Logger.getLogger(SchemaMigrations.class.getName());

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
        try (Connection lock = dataSource.getConnection()) {
            startupLock.hold(lock);
            try {
                Optional<Integer> legacy = legacyVersion(lock);
                Flyway flyway = Flyway.configure(SchemaMigrations.class.getClassLoader())
                        .dataSource(dataSource)
                        .locations("classpath:db/migration")
                        .baselineVersion(String.valueOf(legacy.orElse(0)))
                        .baselineDescription("applied by Latchkey 0.1 (" + LEGACY_TABLE + ")")
                        .baselineOnMigrate(legacy.isPresent())
                        .load();
                MigrateResult result = flyway.migrate();
                // Flyway names no target version when nothing was applied: the current one is in its history
                MigrationInfo current = result.targetSchemaVersion == null ? flyway.info().current() : null;
                String version = current != null ? current.getVersion().getVersion() : result.targetSchemaVersion;
                LOG.info(() -> "Database schema at version " + version + " ("
                        + result.migrationsExecuted + " migrations applied now)");
            } finally {
                startupLock.release(lock);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Database schema migration failed: " + e.getMessage(), e);
        }
    }

    /** The last version Latchkey 0.1 applied, when its table exists and Flyway's does not yet. */
    private static Optional<Integer> legacyVersion(Connection connection) throws SQLException {
        if (!hasTable(connection, LEGACY_TABLE) || hasTable(connection, "flyway_schema_history")) {
            return Optional.empty();
        }
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT MAX(version) FROM " + LEGACY_TABLE)) {
            result.next();
            return Optional.of(result.getInt(1));
        }
    }

    private static boolean hasTable(Connection connection, String name) throws SQLException {
        try (ResultSet tables = connection.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
            while (tables.next()) {
                if (name.equalsIgnoreCase(tables.getString("TABLE_NAME"))) {
                    return true;
                }
            }
        }
        return false;
    }
}
