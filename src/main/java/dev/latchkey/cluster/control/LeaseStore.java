package dev.latchkey.cluster.control;

import dev.latchkey.platform.database.ChangeLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQL of the cluster's two tables, on a connection in auto-commit mode (each statement commits on its own).
 * PostgreSQL only. Lease expiries are epoch milliseconds on the database's clock, so nodes never compare their
 * own clocks with each other: a node turns a remaining time into a deadline on its own monotonic clock.
 */
final class LeaseStore {

    /** The database's clock in epoch milliseconds, read when the statement runs (not when its transaction began). */
    private static final String DB_NOW = "(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::bigint";

    private LeaseStore() {
    }

    /** Commits this node's lease until the database's now plus {@code leaseMillis}. */
    static void renew(Connection connection, String nodeId, long leaseMillis) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO node_lease (node_id, expires_at) VALUES (?, " + DB_NOW + " + ?) "
                        + "ON CONFLICT (node_id) DO UPDATE SET expires_at = EXCLUDED.expires_at")) {
            statement.setString(1, nodeId);
            statement.setLong(2, leaseMillis);
            statement.executeUpdate();
        }
    }

    /** Gives up this node's lease (a clean stop): revocations stop waiting for it at once. */
    static void release(Connection connection, String nodeId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM node_lease WHERE node_id = ?")) {
            statement.setString(1, nodeId);
            statement.executeUpdate();
        }
    }

    /** Every other node's unexpired lease: node id to the milliseconds it has left. */
    static Map<String, Long> otherLeases(Connection connection, String nodeId) throws SQLException {
        Map<String, Long> leases = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT node_id, expires_at - " + DB_NOW + " FROM node_lease WHERE node_id <> ? AND expires_at > "
                        + DB_NOW)) {
            statement.setString(1, nodeId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    leases.put(rows.getString(1), Math.max(0, rows.getLong(2)));
                }
            }
        }
        return leases;
    }

    /** The newest change's number, 0 when there is none. */
    static long latestSeq(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM change_log");
             ResultSet row = statement.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    /** The changes after {@code seq}, oldest first. */
    static List<Change> changesSince(Connection connection, long seq) throws SQLException {
        List<Change> changes = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT seq, kind, org_id, subject FROM change_log WHERE seq > ? ORDER BY seq")) {
            statement.setLong(1, seq);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    changes.add(new Change(rows.getLong(1), ChangeLog.Kind.valueOf(rows.getString(2)),
                            rows.getString(3), rows.getString(4)));
                }
            }
        }
        return changes;
    }

    /** Deletes changes older than {@code keepMillis} and leases that expired that long ago; returns rows deleted. */
    static int purge(Connection connection, long keepMillis) throws SQLException {
        int deleted = 0;
        for (String sql : List.of(
                "DELETE FROM change_log WHERE created_at < " + DB_NOW + " - ? AND seq < (SELECT MAX(seq) FROM change_log)",
                "DELETE FROM node_lease WHERE expires_at < " + DB_NOW + " - ?")) {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setLong(1, keepMillis);
                deleted += statement.executeUpdate();
            }
        }
        return deleted;
    }
}
