/**
 * Running it: the node's life from start to drain ({@code Lifecycle}, {@code ShuttingDown}), readiness and liveness
 * ({@code HealthChecks}), the {@code latchkey_} series on {@code /metrics} ({@code Meters}), the OpenAPI examples
 * filter, the interceptor that reports the first start-up failure ({@code StartupFailure}) and the name this node
 * gives in {@code Latchkey-Node} ({@code NodeName}).
 *
 * <p>D2: where WildFly lacks a MicroProfile API the feature degrades, at start, never per request: the WAR carries
 * the MicroProfile Metrics interfaces (Payara loads its own first), {@code Meters} finds no {@code MetricRegistry}
 * and every meter counts nothing, so there are no {@code latchkey_} series on WildFly. Payara-only too: the cluster
 * (Payara's Hazelcast). H2 is the server's own (WildFly: the {@code com.h2database.h2} module, named in
 * {@code WEB-INF/jboss-deployment-structure.xml}); PostgreSQL's driver is inside the WAR. The JPA provider is the
 * server's (EclipseLink on Payara, Hibernate on WildFly); {@code FailFastSession} applies to EclipseLink only.
 */
package dev.latchkey.platform.operations;
