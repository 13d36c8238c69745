/**
 * Cross-cutting plumbing that knows nothing about tokens or organizations, one sub-package per concern:
 * <ul>
 *   <li>{@code config}: the {@code LATCHKEY_*} settings, allowed web origins, the clock.</li>
 *   <li>{@code database}: the data source (D1), schema migrations, the startup lock, the change log, the circuit
 *       breakers' settings.</li>
 *   <li>{@code cache}: the lease under which caches answer from memory ({@code CacheLease}) and the cache that is
 *       never stale once invalidated ({@code FreshCache}).</li>
 *   <li>{@code json}: strict request bodies, the JSON-P provider, the hot path's JSON text, timestamps.</li>
 *   <li>{@code http}: the first filter of every request ({@code EdgeFilter}: security headers, the access log,
 *       ambiguous framing, D3), bearer-credential extraction, the JSON error shape on every path.</li>
 *   <li>{@code operations}: the node's life from start to drain, health, metrics (D2), the OpenAPI examples.</li>
 * </ul>
 *
 * <p>The WAR runs on Payara Micro (the main runtime, {@code latchkey-micro.jar}) and on WildFly 35
 * ({@code docs/operations.md}, proven by {@code WildFlySmokeIT}); decisions D1 (the data source), D2 (what degrades
 * on WildFly) and D3 (ambiguous requests refused at the edge) are written in the sub-package each concerns.
 */
package dev.latchkey.platform;
