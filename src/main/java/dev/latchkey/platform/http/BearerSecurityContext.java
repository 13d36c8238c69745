package dev.latchkey.platform.http;

import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;

/** The security context an authentication filter installs: the authenticated principal, no roles. */
public record BearerSecurityContext(Principal principal, boolean secure) implements SecurityContext {

    @Override
    public Principal getUserPrincipal() {
        return principal;
    }

    @Override
    public boolean isUserInRole(String role) {
        return false;
    }

    @Override
    public boolean isSecure() {
        return secure;
    }

    @Override
    public String getAuthenticationScheme() {
        return "Bearer";
    }
}
