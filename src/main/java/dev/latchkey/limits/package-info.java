/**
 * Limits per client of an organization ({@code docs/limits.md}): how many live tokens a client_id may hold, how many
 * {@code /client_ws} sockets it may keep open, and a token-bucket rate over every client surface. The admin API
 * sets them per organization (boundary); the model, the per-node cache, the per-client lock of a mint, the rate
 * buckets and the counters are in control; the stored row in entity.
 *
 * <ul>
 *   <li>L1: {@code max_active_tokens} is exact: the mint counts the client's live rows in its own transaction,
 *       under a lock per client (PostgreSQL: {@code pg_advisory_xact_lock}; H2, which only one node uses: a lock
 *       of this JVM held until the transaction completes). Why: two mints of one client on two nodes must not
 *       both see room for one.</li>
 *   <li>L2: the rate never leaves the node: each node holds a bucket per client with {@code 1/N} of the rate and
 *       of the burst, N being the live members ({@link dev.latchkey.limits.control.RateLimits#members}), set by
 *       the cluster feature on every membership change. Why: the session path is the hot path, and a round trip
 *       per request to a shared bucket would cost more than the request itself. The bound is in
 *       {@code docs/limits.md}.</li>
 *   <li>L3: the features that use a limit call it through small hooks ({@code TokenStore.mint},
 *       {@code ClientTokenFilter}, the WebSocket configurator and endpoint, the relay, forward auth); this feature
 *       sits between {@code orgs} and {@code tokens}, so it knows nothing of tokens or sockets.</li>
 * </ul>
 */
package dev.latchkey.limits;
