/**
 * The database, the single source of truth: the data source ({@code LatchkeyDataSource}, decision D1 below), schema
 * migrations run by Flyway before anything else touches the database ({@code SchemaMigrations}), the lock that
 * serializes the first starts of several nodes ({@code StartupLock}), the change log other nodes replay
 * ({@code ChangeLog}), the circuit breakers' settings ({@code DatabaseBreakers}) and EclipseLink's fail-fast session.
 *
 * <p>D1: the data source is {@code LatchkeyDataSource}, named by the {@code @DataSourceDefinition} on
 * {@code SchemaMigrations}, with one JavaBean property, {@code defaultUrl}, that the definition sets. It reads
 * {@code LATCHKEY_DB_URL}, {@code _USER} and {@code _PASSWORD} through MicroProfile Config when it opens its first
 * connection, so the same environment variables configure every server, and it adds the driver settings the code
 * relies on (H2 without its query cache, PostgreSQL's connect and socket timeouts). Why the property: WildFly's pool
 * (IronJacamar) refuses a data-source class with no connection property ({@code IJ031103}). Rejected:
 * {@code url = "${MPCONFIG=LATCHKEY_DB_URL}"} in the definition, which only Payara resolves (WildFly's expressions
 * read {@code ${env.X}}, and only when annotation property replacement is on); a data source in each server's
 * configuration, which would make the jar's one-command start a two-step one. The {@code fish.payara.} properties
 * are the pool's on Payara; WildFly warns once per property and ignores them (its pool keeps its own defaults).
 */
package dev.latchkey.platform.database;
