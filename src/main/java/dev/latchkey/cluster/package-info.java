/**
 * Several nodes on one PostgreSQL database, joined by the Hazelcast that Payara Micro ships. PostgreSQL is the
 * single source of truth; Hazelcast only makes things fast (waking nodes up, collecting acknowledgements,
 * carrying pushes). The design, and why a broadcast alone cannot keep the revocation promise, is in
 * {@code docs/clustering.md}; the decisions:
 * <ul>
 *   <li>D1: a node answers from memory only under a lease ({@code platform.cache.CacheLease}) that it renews by first
 *       writing {@code node_lease} (expiry on the database's clock) and then replaying {@code change_log}.
 *       Why: a paused or cut-off node loses the lease by itself, on its monotonic clock. Rejected: reading
 *       PostgreSQL on every request (correct, but a round trip on the hot path), a broadcast alone (Hazelcast
 *       topics are fire-and-forget).</li>
 *   <li>D2: a revocation is answered once every node holding an unexpired lease has acknowledged that it replayed
 *       the change, or its lease has run out. Why: the answer then means "no node accepts it any more".
 *       Typical cost: one topic round trip and one database read on each node, a few milliseconds; at most one
 *       lease length (1 s) when a node is paused or gone.</li>
 *   <li>D3: only strings (JSON text) travel between nodes. Why: application classes failed to deserialize on
 *       receiving members in Payara ({@code ClassNotFoundException}).</li>
 *   <li>D4: the limits per client ({@code docs/limits.md}) use what the open-source Hazelcast has: membership
 *       events give every node the member count, so each holds {@code 1/N} of every client's rate
 *       ({@code limits.control.RateLimits}); {@code max_sockets} reads the client's entries of every live member in
 *       an {@code IMap} of strings ({@code HazelcastSocketLedger}, each node writing only its own). Why: no network
 *       round trip on the session path, and no CP subsystem (enterprise-only in later Hazelcast, unsafe here).</li>
 * </ul>
 */
package dev.latchkey.cluster;
