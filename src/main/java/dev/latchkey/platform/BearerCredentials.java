package dev.latchkey.platform;

/**
 * Pulls the token out of a credential text: an {@code Authorization} header value or a WebSocket
 * {@code client_key} parameter. The scheme word is case-insensitive (RFC 7235, section 2.1); exactly one space
 * follows it. Org keys, admin keys and client tokens all arrive this way, so the first two refusals read the same
 * on every endpoint.
 */
public final class BearerCredentials {

    private static final String SCHEME = "Bearer";

    private BearerCredentials() {
    }

    /** Why a credential text holds no token: the first two rows of the validation table, shared by every endpoint. */
    public enum Problem {
        MISSING("Authorization header is missing"),
        NOT_BEARER("Authorization header must start with Bearer");

        private final String detail;

        Problem(String detail) {
            this.detail = detail;
        }

        /** The exact detail text of the 401. */
        public String detail() {
            return detail;
        }
    }

    /** Either the token ({@link Extracted#token()}) or the {@link Problem}. */
    public record Extracted(String token, Problem problem) {
    }

    public static Extracted extract(String credential) {
        if (credential == null || credential.isBlank()) {
            return new Extracted(null, Problem.MISSING);
        }
        int schemeEnd = SCHEME.length();
        if (credential.length() <= schemeEnd + 1
                || !credential.regionMatches(true, 0, SCHEME, 0, schemeEnd)
                || credential.charAt(schemeEnd) != ' ') {
            return new Extracted(null, Problem.NOT_BEARER);
        }
        String token = credential.substring(schemeEnd + 1);
        if (token.isBlank() || Character.isWhitespace(token.charAt(0))) {
            return new Extracted(null, Problem.NOT_BEARER);
        }
        return new Extracted(token, null);
    }
}
