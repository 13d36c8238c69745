package dev.latchkey.orgs.control;

import java.security.Principal;

/** The organization an authenticated org API key belongs to, and which key it was (by id, never by text). */
public record OrgPrincipal(String orgId, String keyId) implements Principal {

    @Override
    public String getName() {
        return orgId;
    }
}
