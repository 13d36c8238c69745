package dev.latchkey.tokens.control;

import dev.latchkey.platform.http.BearerCredentials;

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

    /**
     * The detail for a credential that came from a {@code client_key} query parameter (a WebSocket handshake, or
     * the original URI forward auth is asked about): the scheme failure names the parameter rather than a header
     * that was not sent, and shows the format. Every other row reads as {@link #detail()}.
     */
    public String detail(boolean fromClientKey) {
        return fromClientKey && this == NOT_BEARER ? CLIENT_KEY_NOT_BEARER : detail;
    }

    /** The scheme failure of a {@code client_key}: its value is the header's, percent-encoded. */
    public static final String CLIENT_KEY_NOT_BEARER = "client_key must start with Bearer: client_key=Bearer%20<JWT>";
}
