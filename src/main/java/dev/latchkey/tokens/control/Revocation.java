package dev.latchkey.tokens.control;

/**
 * Fired (as a CDI event) after a revocation has committed: one token ({@code tokenId} set) or every token of
 * one client ({@code clientId} set) of an organization. Live connections observe it to close at once;
 * a cluster can forward it to other nodes.
 */
public record Revocation(String orgId, String tokenId, String clientId) {

    public static Revocation ofToken(String orgId, String tokenId) {
        return new Revocation(orgId, tokenId, null);
    }

    public static Revocation ofClient(String orgId, String clientId) {
        return new Revocation(orgId, null, clientId);
    }

    public boolean isWholeClient() {
        return clientId != null;
    }
}
