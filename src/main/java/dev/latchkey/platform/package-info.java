/**
 * Cross-cutting plumbing: configuration, the database and its schema, JSON bodies and the JSON error shape,
 * bearer-credential extraction, and the {@link dev.latchkey.platform.CacheLease} under which caches answer from
 * memory. Nothing here knows about tokens or organizations.
 *
 * <p>The WAR runs on Payara Micro (the main runtime, {@code latchkey-micro.jar}) and on WildFly 35
 * ({@code docs/operations.md}, proven by {@code WildFlySmokeIT}):
 * <ul>
 *   <li>D1: the data source is {@code LatchkeyDataSource}, named by the {@code @DataSourceDefinition} on
 *       {@code SchemaMigrations}, with one JavaBean property, {@code defaultUrl}, that the definition sets. It reads
 *       {@code LATCHKEY_DB_URL}, {@code _USER} and {@code _PASSWORD} through MicroProfile Config when it opens its
 *       first connection, so the same environment variables configure every server, and it adds the driver
 *       settings the code relies on (H2 without its query cache, PostgreSQL's connect and socket timeouts). Why the
 *       property: WildFly's pool (IronJacamar) refuses a data-source class with no connection property
 *       ({@code IJ031103}). Rejected: {@code url = "${MPCONFIG=LATCHKEY_DB_URL}"} in the definition, which only Payara
 *       resolves (WildFly's expressions read {@code ${env.X}}, and only when annotation property replacement is on);
 *       a data source in each server's configuration, which would make the jar's one-command start a two-step one.
 *       The {@code fish.payara.} properties are the pool's on Payara; WildFly warns once per property and ignores
 *       them (its pool keeps its own defaults).</li>
 *   <li>D2: where WildFly lacks a MicroProfile API the feature degrades, at start, never per request: the WAR carries
 *       the MicroProfile Metrics interfaces (Payara loads its own first), {@code Meters} finds no
 *       {@code MetricRegistry} and every meter counts nothing, so there are no {@code latchkey_} series on WildFly.
 *       Payara-only too: the cluster (Payara's Hazelcast) and the upstream proxy's streaming (Jersey's
 *       {@code ChunkedOutput}). H2 is the server's own (WildFly: the {@code com.h2database.h2} module, named in
 *       {@code WEB-INF/jboss-deployment-structure.xml}); PostgreSQL's driver is inside the WAR. The JPA provider is
 *       the server's (EclipseLink on Payara, Hibernate on WildFly); {@code FailFastSession} applies to EclipseLink
 *       only.</li>
 * </ul>
 */
package dev.latchkey.platform;
