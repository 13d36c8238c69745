package dev.latchkey.tokens.control;

import dev.latchkey.platform.BearerCredentials;

/**
 * The validation table: every way a client credential can fail, one constant per row, in the order the checks run,
 * each with its HTTP status and exact detail text (the README's "Errors" section prints the same table). REST, the
 * WebSocket handshake and reauth answer with these; tests and docs name a row by its constant.
 */
public enum TokenFailure {
    MISSING_CREDENTIAL(401, BearerCredentials.Problem.MISSING.detail()),
    NOT_BEARER(401, BearerCredentials.Problem.NOT_BEARER.detail()),
    INVALID_FORMAT(401, "Invalid token format"),
    MISSING_FIELDS(401, "Invalid token format: missing required fields"),
    JWT_EXPIRED(401, "Token has expired"),
    NOT_IN_DATABASE(401, "Invalid token, token not found in database"),
    REVOKED(401, "Token has been revoked"),
    DATABASE_EXPIRED(401, "Token has expired"),
    CLIENT_MISMATCH(401, "Invalid token, client_id mismatch"),
    INTERNAL_ERROR(500, "Internal server error during token validation");

    private final int status;
    private final String detail;

    TokenFailure(int status, String detail) {
        this.status = status;
        this.detail = detail;
    }

    public int status() {
        return status;
    }

    public String detail() {
        return detail;
    }
}
