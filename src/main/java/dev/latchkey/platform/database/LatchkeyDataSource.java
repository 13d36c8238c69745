package dev.latchkey.platform.database;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The raw connection source behind the server's pool {@code java:app/jdbc/latchkey}.
 * It reads {@code LATCHKEY_DB_URL}, {@code _USER} and {@code _PASSWORD} at run time through MicroProfile
 * Config (nothing is baked into the WAR) and picks the JDBC driver from the URL: the embedded H2 file
 * under {@code ./data} by default, PostgreSQL in production. Pooling, validation and transactions are
 * the server's; this class only opens connections.
 *
 * <p>It is a JavaBean data source as every Jakarta EE server expects of a {@code @DataSourceDefinition} class: its one
 * property, {@link #setDefaultUrl(String) defaultUrl}, is set by the definition (see platform D1).
 */
public class LatchkeyDataSource implements DataSource {

    public static final String DEFAULT_URL = "jdbc:h2:file:./data/latchkey";

    private volatile Target target;
    private volatile String defaultUrl = DEFAULT_URL;
    private PrintWriter logWriter;
    private int loginTimeout;

    private record Target(Driver driver, String url, Properties credentials) {
    }

    @Override
    public Connection getConnection() throws SQLException {
        Target resolved = target();
        Connection connection = resolved.driver().connect(resolved.url(), resolved.credentials());
        if (connection == null) {
            throw new SQLException("The JDBC driver does not accept the configured LATCHKEY_DB_URL");
        }
        return connection;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    private Target target() throws SQLException {
        Target resolved = target;
        if (resolved == null) {
            Config config = ConfigProvider.getConfig(LatchkeyDataSource.class.getClassLoader());
            String url = config.getOptionalValue("LATCHKEY_DB_URL", String.class).orElse(defaultUrl);
            Properties credentials = new Properties();
            config.getOptionalValue("LATCHKEY_DB_USER", String.class)
                    .ifPresent(user -> credentials.setProperty("user", user));
            config.getOptionalValue("LATCHKEY_DB_PASSWORD", String.class)
                    .ifPresent(password -> credentials.setProperty("password", password));
            if (url.startsWith("jdbc:h2:")) {
                // H2 2.2 re-uses the last result of a cached query while its modification counter is unchanged,
                // and a commit of an update executed earlier does not move that counter: a token read between
                // the UPDATE and the COMMIT of its revocation stayed "not revoked" for later readers until the
                // next write (RaceIT caught it). Without the per-session query cache every query runs afresh.
                credentials.setProperty("QUERY_CACHE_SIZE", "0");
            }
            if (url.startsWith("jdbc:postgresql:")) {
                // bounded waits while the database is unreachable (seconds; settings in the URL take precedence):
                // a host that drops packets costs a new connection at most 1 s, the contract's bound for a 500
                credentials.setProperty("connectTimeout", "1");
                credentials.setProperty("socketTimeout", "30");
            }
            resolved = new Target(driverFor(url), url, credentials);
            target = resolved;
        }
        return resolved;
    }

    private static Driver driverFor(String url) throws SQLException {
        String driverClass;
        if (url.startsWith("jdbc:h2:")) {
            driverClass = "org.h2.Driver";
        } else if (url.startsWith("jdbc:postgresql:")) {
            driverClass = "org.postgresql.Driver";
        } else {
            throw new SQLException("LATCHKEY_DB_URL must start with jdbc:h2: or jdbc:postgresql:");
        }
        try {
            return (Driver) Class.forName(driverClass, true, LatchkeyDataSource.class.getClassLoader())
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new SQLException("JDBC driver " + driverClass + " is not available", e);
        }
    }

    /** The JDBC URL used while {@code LATCHKEY_DB_URL} is not set; {@value #DEFAULT_URL} unless a definition says. */
    public String getDefaultUrl() {
        return defaultUrl;
    }

    public void setDefaultUrl(String defaultUrl) {
        this.defaultUrl = defaultUrl;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("Not a wrapper for " + type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
