package dev.latchkey.access.control;

import dev.latchkey.tokens.control.ClientPrincipal;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * This node's open connections, indexed by the governing {@code token_id} and by (org, {@code client_id}).
 * Each index entry is an immutable set replaced atomically per key, and a key disappears with its last
 * connection, so readers get a stable snapshot and nothing lingers after a close. A connection's own
 * changes (added, token replaced, ended) run under its lock, so they never interleave.
 */
final class LiveConnectionRegistry {

    /** A client is named by its organization and its client_id: the same client_id in two orgs is two clients. */
    record ClientKey(String orgId, String clientId) {
    }

    private final ConcurrentMap<String, Set<LiveConnection>> byToken = new ConcurrentHashMap<>();
    private final ConcurrentMap<ClientKey, Set<LiveConnection>> byClient = new ConcurrentHashMap<>();

    void add(LiveConnection connection) {
        synchronized (connection) {
            if (!connection.ended) {
                put(byToken, connection.principal.tokenId(), connection);
                put(byClient, clientOf(connection.principal), connection);
            }
        }
    }

    /**
     * Makes {@code next} (a token of the same client) the governing token and re-indexes the connection.
     * False when the connection has already ended.
     */
    boolean replace(LiveConnection connection, ClientPrincipal next) {
        synchronized (connection) {
            if (connection.ended) {
                return false;
            }
            ClientPrincipal previous = connection.principal;
            if (!clientOf(previous).equals(clientOf(next))) {
                throw new IllegalArgumentException("a connection stays with its client");
            }
            drop(byToken, previous.tokenId(), connection);
            connection.principal = next;
            put(byToken, next.tokenId(), connection);
            return true;
        }
    }

    /**
     * Ends the connection if it is still live and, when {@code expectedTokenId} is given, still governed by that
     * token: unindexes it and cancels its timers. Returns the principal it had, or null when nothing was ended
     * (already ended, or a reauth moved it to another token). Only one caller ever wins.
     */
    ClientPrincipal end(LiveConnection connection, String expectedTokenId) {
        synchronized (connection) {
            ClientPrincipal principal = connection.principal;
            if (connection.ended || (expectedTokenId != null && !expectedTokenId.equals(principal.tokenId()))) {
                return null;
            }
            connection.ended = true;
            connection.cancelTimers();
            drop(byToken, principal.tokenId(), connection);
            drop(byClient, clientOf(principal), connection);
            return principal;
        }
    }

    List<LiveConnection> governedBy(String tokenId) {
        return List.copyOf(byToken.getOrDefault(tokenId, Set.of()));
    }

    List<LiveConnection> ofClient(String orgId, String clientId) {
        return List.copyOf(byClient.getOrDefault(new ClientKey(orgId, clientId), Set.of()));
    }

    /** Every open connection (a snapshot). */
    List<LiveConnection> all() {
        return byClient.values().stream().flatMap(Set::stream).toList();
    }

    /** How many connections are open. */
    int size() {
        return byClient.values().stream().mapToInt(Set::size).sum();
    }

    /** True when no index holds anything, not even an empty entry. */
    boolean isEmpty() {
        return byToken.isEmpty() && byClient.isEmpty();
    }

    private static ClientKey clientOf(ClientPrincipal principal) {
        return new ClientKey(principal.orgId(), principal.clientId());
    }

    private static <K> void put(ConcurrentMap<K, Set<LiveConnection>> index, K key, LiveConnection connection) {
        index.compute(key, (k, present) -> {
            if (present == null) {
                return Set.of(connection);
            }
            Set<LiveConnection> copy = new HashSet<>(present);
            copy.add(connection);
            return Set.copyOf(copy);
        });
    }

    private static <K> void drop(ConcurrentMap<K, Set<LiveConnection>> index, K key, LiveConnection connection) {
        index.computeIfPresent(key, (k, present) -> {
            if (!present.contains(connection)) {
                return present;
            }
            if (present.size() == 1) {
                return null; // removes the key
            }
            Set<LiveConnection> copy = new HashSet<>(present);
            copy.remove(connection);
            return Set.copyOf(copy);
        });
    }
}
