package dev.latchkey.platform.operations;

import dev.latchkey.platform.cache.CacheLease;
import dev.latchkey.platform.config.Settings;
import dev.latchkey.platform.database.SchemaMigrations;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * The probes Payara Micro serves at {@code /health/live} and {@code /health/ready} (MicroProfile Health 4):
 * 200 {@code {"status":"UP"}} or 503 {@code {"status":"DOWN"}}, each with a check named {@code latchkey}.
 * Before the application is deployed Payara itself answers 503.
 *
 * <p>Ready means a load balancer may send this node traffic: the application has started and is not draining
 * for a shutdown, the database answers within {@value #DATABASE_TIMEOUT_SECS} s, and a clustered node has joined
 * and holds its lease ({@link CacheLease}). Live means the process should not be restarted: it only says the
 * application is deployed (a database outage is not a reason to restart a node).
 */
@ApplicationScoped
public class HealthChecks {

    static final int DATABASE_TIMEOUT_SECS = 1;
    private static final Logger LOG = Logger.getLogger(HealthChecks.class.getName());

    @Inject
    Lifecycle lifecycle;

    @Inject
    Settings settings;

    @Inject
    CacheLease lease;

    @Resource(lookup = SchemaMigrations.DATA_SOURCE)
    DataSource database;

    @Produces
    @Readiness
    HealthCheck readiness() {
        return this::ready;
    }

    @Produces
    @Liveness
    HealthCheck liveness() {
        return () -> HealthCheckResponse.named("latchkey").up().build();
    }

    HealthCheckResponse ready() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("latchkey");
        if (!lifecycle.isServing()) {
            return response.down().withData("state", lifecycle.isDraining() ? "shutting down" : "starting").build();
        }
        boolean databaseUp = databaseAnswers();
        response.withData("database", databaseUp ? "up" : "down");
        boolean joined = true;
        if (settings.clustered()) {
            joined = lease.isRequired() && lease.isHeld();
            response.withData("cluster", joined ? "joined" : "not joined");
        }
        return response.status(databaseUp && joined).build();
    }

    private boolean databaseAnswers() {
        try (Connection connection = database.getConnection()) {
            return connection.isValid(DATABASE_TIMEOUT_SECS);
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.FINE, "Readiness: the database does not answer: {0}", e.getClass().getName());
            return false;
        }
    }
}
