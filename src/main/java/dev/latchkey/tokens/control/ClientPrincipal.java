package dev.latchkey.tokens.control;

import java.security.Principal;

/** A client whose token passed every check: what the client endpoints know about the caller. */
public record ClientPrincipal(String orgId, String clientId, String tokenId, long issuedAt, long expiresAt)
        implements Principal {

    @Override
    public String getName() {
        return clientId;
    }
}
