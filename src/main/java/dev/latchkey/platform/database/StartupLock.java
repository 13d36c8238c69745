package dev.latchkey.platform.database;

import dev.latchkey.platform.config.Settings;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Serializes the first starts of several nodes on one PostgreSQL database: schema migrations, the {@code default}
 * organization and the first signing key are each created once, by whichever node gets the lock first, and the
 * others find them done. A PostgreSQL advisory lock; nothing on H2, where one process owns the database file.
 */
@ApplicationScoped
public class StartupLock {

    /** The advisory-lock key (any fixed number: "latchkey" in ASCII). */
    static final long KEY = 0x6c617463686b6579L;

    @Inject
    Settings settings;

    /** Holds the lock until the caller's JTA transaction ends (commit or rollback). */
    public void holdForTransaction(EntityManager em) {
        if (settings.isPostgres()) {
            em.createNativeQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(?)) AS locked")
                    .setParameter(1, KEY).getSingleResult();
        }
    }

    /** Holds the lock on this connection's session until {@link #release} (call it in a finally block). */
    public void hold(Connection connection) throws SQLException {
        run(connection, "SELECT pg_advisory_lock(?)");
    }

    public void release(Connection connection) throws SQLException {
        run(connection, "SELECT pg_advisory_unlock(?)");
    }

    private void run(Connection connection, String sql) throws SQLException {
        if (settings.isPostgres()) {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setLong(1, KEY);
                statement.executeQuery().close();
            }
        }
    }
}
