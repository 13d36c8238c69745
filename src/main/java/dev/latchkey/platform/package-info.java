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
 *       Payara-only too: the cluster (Payara's Hazelcast). H2 is the server's own (WildFly: the
 *       {@code com.h2database.h2} module, named in {@code WEB-INF/jboss-deployment-structure.xml}); PostgreSQL's driver is inside the WAR. The JPA provider is
 *       the server's (EclipseLink on Payara, Hibernate on WildFly); {@code FailFastSession} applies to EclipseLink
 *       only.</li>
 *   <li>D3: ambiguous requests are refused in {@code EdgeFilter}, the first filter of every request, not in the
 *       gateway: a request whose framing two readers split differently is a risk on every path once a proxy sits in
 *       front of Latchkey ({@code RequestFraming}). The servlet API can neither see every {@code Content-Length}
 *       (Grizzly drops one sent before {@code Transfer-Encoding: chunked}) nor close a connection, and Grizzly
 *       reads requests pipelined behind a {@code Connection: close} answer before it closes; so each refusal and
 *       each chunked request marks its connection (client address and port) for ten seconds and a request
 *       arriving on it is refused ({@code ClosedConnections}). Rejected: a Grizzly add-on in the HTTP listener,
 *       which would see the raw bytes but is Payara-only and outside the WAR; refusing every chunked request,
 *       which would end chunked uploads through the gateway. Cost on the session path: one {@code isEmpty()},
 *       a few header lookups ({@code docs/performance.md} has the figures).</li>
 * </ul>
 */
package dev.latchkey.platform;
