package dev.latchkey.platform.database;

import org.eclipse.persistence.config.SessionCustomizer;
import org.eclipse.persistence.sessions.DatabaseLogin;
import org.eclipse.persistence.sessions.Session;

/**
 * Turns off EclipseLink's query retries. When a query fails for lack of a connection, EclipseLink by default
 * sleeps 5 s on the calling thread and tries again, up to three times ({@link DatabaseLogin#setQueryRetryAttemptCount},
 * {@link DatabaseLogin#setDelayBetweenConnectionAttempts}): a request that needs an unreachable database then
 * answers after 10 s or more instead of at once. The pool already replaces broken connections, and a caller that
 * gets the contract's 500 can retry by itself. Named in {@code persistence.xml} ({@code eclipselink.session.customizer}).
 */
public class FailFastSession implements SessionCustomizer {

    @Override
    public void customize(Session session) {
        if (session.getDatasourceLogin() instanceof DatabaseLogin login) {
            login.setQueryRetryAttemptCount(0);
            login.setDelayBetweenConnectionAttempts(0);
        }
    }
}
