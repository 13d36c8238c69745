package dev.latchkey.access.control;

/**
 * Pulls the token out of a credential text: an {@code Authorization} header value or a WebSocket
 * {@code client_key} parameter. The scheme word is case-insensitive (RFC 7235); exactly one space follows it.
 */
public final class BearerCredentials {

    private static final String SCHEME = "Bearer";

    private BearerCredentials() {
    }

    /** Either the token ({@link Extracted#token()}) or the failure of the table's rows 1 and 2. */
    public record Extracted(String token, TokenFailure failure) {
    }

    public static Extracted extract(String credential) {
        if (credential == null || credential.isBlank()) {
            return new Extracted(null, TokenFailure.MISSING_CREDENTIAL);
        }
        int schemeEnd = SCHEME.length();
        if (credential.length() <= schemeEnd + 1
                || !credential.regionMatches(true, 0, SCHEME, 0, schemeEnd)
                || credential.charAt(schemeEnd) != ' ') {
            return new Extracted(null, TokenFailure.NOT_BEARER);
        }
        String token = credential.substring(schemeEnd + 1);
        if (token.isBlank() || Character.isWhitespace(token.charAt(0))) {
            return new Extracted(null, TokenFailure.NOT_BEARER);
        }
        return new Extracted(token, null);
    }
}
