/**
 * Latchkey: a self-hosted client-token service. Read this first: it says where code goes.
 *
 * <p><b>Features, lowest first.</b> Each may use the ones above it in this list, never one below it:
 * <ol>
 *   <li>{@code platform}: configuration, the database, the cache lease, JSON, the HTTP edge and its errors,
 *       operations (health, metrics, the node's life), each in a sub-package of its own. It knows nothing of tokens
 *       or organizations.</li>
 *   <li>{@code orgs}: organizations, their API keys, the org-key and admin-key guards.</li>
 *   <li>{@code limits}: limits per client of an organization (live tokens, open sockets, a rate), their admin API,
 *       and the checks the features below call through small hooks ({@code docs/limits.md}).</li>
 *   <li>{@code tokens}: client tokens: the org endpoints, the JWT codec, signing keys, the token store, and the
 *       one {@code TokenValidator} with its failure table ({@code TokenFailure}: the validation table, one
 *       constant per row, in the order the checks run).</li>
 *   <li>{@code access}: the client transports that call the validator: the REST filter and {@code /client_api},
 *       CORS, the WebSocket handshake and endpoint, the live connections and the org's pushes to them.</li>
 *   <li>{@code gateway}: the organization's own API behind Latchkey: the upstream proxy below
 *       {@code /client_api}, forward auth, clients' messages to the organization, the admin's upstream settings.
 *       It learns of WebSocket {@code send} messages through the {@code access} feature's {@code ClientSend}
 *       event.</li>
 *   <li>{@code cluster}: several nodes on one database: the lease under which a node answers from memory,
 *       the change log it replays, and the fan-out of revocations and pushes over Payara's Hazelcast.</li>
 * </ol>
 * Within a feature, {@code boundary} (HTTP and WebSocket adapters) may use {@code control} (logic), which may
 * use {@code entity} (JPA); never the reverse. A lower feature learns of a higher one's needs through CDI events
 * it fires ({@code Revocation}, {@code OrgKeyRevoked}, {@code SigningKeyRotated}, {@code ClientSend}) or interfaces it owns
 * ({@code platform.cache.CacheLease}). {@code LayersTest} fails the build when an import breaks this order.
 */
package dev.latchkey;
