package dev.latchkey.platform.database;

import dev.latchkey.platform.http.ApiError;

/**
 * The settings of the MicroProfile Fault Tolerance circuit breakers on every bean that reads or writes the
 * database ({@code @CircuitBreaker(requestVolumeThreshold = DatabaseBreakers.VOLUME, ...)}). When the database is
 * down, a request that needs it would otherwise hold a request thread for the pool's whole wait
 * ({@link SchemaMigrations#MAX_WAIT_MILLIS}); with many such requests every thread waits, and the answers that
 * need no database (cached tokens, malformed tokens, health) stop too. A breaker that has seen half of the last
 * {@value #VOLUME} calls of a method fail opens: the method then fails at once, which every caller turns into the
 * contract's 500, for {@value #DELAY_MILLIS} ms; then one call tries the database again and, if it succeeds,
 * closes the breaker. So service resumes by itself within about a second of the database's return.
 *
 * <p>An {@link ApiError} is an answer, not a database failure, and never counts. Each value can be overridden
 * through MicroProfile Config, as the Fault Tolerance specification describes
 * ({@code dev.latchkey.tokens.control.TokenStore/CircuitBreaker/delay=2000}).
 */
public final class DatabaseBreakers {

    /** How many recent calls of one method the breaker judges. */
    public static final int VOLUME = 10;
    /** The share of failed calls among them that opens the breaker. */
    public static final double FAILURE_RATIO = 0.5;
    /** How long an open breaker fails calls without trying, in milliseconds. */
    public static final long DELAY_MILLIS = 1000;

    private DatabaseBreakers() {
    }
}
