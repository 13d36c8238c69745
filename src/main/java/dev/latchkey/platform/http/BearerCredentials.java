package dev.latchkey.platform.http;

import java.util.List;

/**
 * Pulls the token out of a credential text: an {@code Authorization} header value or a WebSocket
 * {@code client_key} parameter. The scheme word is case-insensitive (RFC 7235, section 2.1); exactly one space
 * follows it. Org keys, admin keys and client tokens all arrive this way, so the first two refusals read the same
 * on every endpoint.
 */
public final class BearerCredentials {

    private static final String SCHEME = "Bearer";
    /**
     * The detail of the 400 for a request with more than one credential (two {@code Authorization} headers, two
     * {@code client_key} parameters, a header and a parameter that differ): ambiguous, so refused rather than
     * guessed at (two parsers in a chain could each pick a different one). One text on every surface.
     */
    public static final String AMBIGUOUS = "More than one credential: send exactly one";

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

    /** Whether a request's {@code Authorization} header values (null when none) are more than one header. */
    public static boolean isRepeated(List<String> headerValues) {
        return headerValues != null && headerValues.size() > 1;
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
