package dev.latchkey.tokens.control;

import dev.latchkey.platform.http.BearerCredentials;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one validator behind every client credential, REST and WebSocket alike. It runs the validation table ({@link TokenFailure})
 * in order and stops at the first failing check: format, required fields, JWT expiry, then the database
 * (exists, not revoked, database expiry, same client). Logs name the token_id and the reason, never the token.
 */
public final class TokenValidator {

    private static final Logger LOG = Logger.getLogger(TokenValidator.class.getName());

    private final JwtCodec codec;
    private final TokenLookup lookup;
    private final Clock clock;

    public TokenValidator(JwtCodec codec, TokenLookup lookup, Clock clock) {
        this.codec = codec;
        this.lookup = lookup;
        this.clock = clock;
    }

    /** Validates a credential text such as {@code "Bearer eyJ..."}: every {@link TokenFailure} in order. */
    public Verdict validateCredential(String credential) {
        BearerCredentials.Extracted extracted = BearerCredentials.extract(credential);
        if (extracted.problem() != null) {
            return Verdict.rejected(extracted.problem() == BearerCredentials.Problem.MISSING
                    ? TokenFailure.MISSING_CREDENTIAL : TokenFailure.NOT_BEARER);
        }
        return validateToken(extracted.token());
    }

    /** Validates a bare token (from {@link TokenFailure#INVALID_FORMAT} on), as sent in a WebSocket reauth message or to introspect. */
    public Verdict validateToken(String token) {
        JwtCodec.Decoded decoded = codec.decode(token);
        switch (decoded.outcome()) {
            case BAD_FORMAT:
                return Verdict.rejected(TokenFailure.INVALID_FORMAT);
            case MISSING_FIELDS:
                return Verdict.rejected(TokenFailure.MISSING_FIELDS);
            default:
                break;
        }
        long now = clock.millis();
        if (decoded.isExpiredAt(now)) {
            return rejected(decoded.tokenId(), TokenFailure.JWT_EXPIRED);
        }
        Optional<TokenRecord> found;
        try {
            found = lookup.find(decoded.tokenId());
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Token lookup failed for token_id " + decoded.tokenId() + ": " + e);
            return Verdict.rejected(TokenFailure.INTERNAL_ERROR);
        }
        if (found.isEmpty()) {
            return rejected(decoded.tokenId(), TokenFailure.NOT_IN_DATABASE);
        }
        TokenRecord row = found.get();
        if (row.revoked()) {
            return rejected(decoded.tokenId(), TokenFailure.REVOKED);
        }
        if (now >= row.expiresAt()) {
            return rejected(decoded.tokenId(), TokenFailure.DATABASE_EXPIRED);
        }
        if (!row.clientId().equals(decoded.clientId())) {
            return rejected(decoded.tokenId(), TokenFailure.CLIENT_MISMATCH);
        }
        return Verdict.accepted(
                new ClientPrincipal(row.orgId(), row.clientId(), row.tokenId(), row.issuedAt(), row.expiresAt()));
    }

    /**
     * Logs the refusal as "Token {token_id} refused: {detail}"; the third parameter, a map, becomes the JSON fields
     * {@code token_id} and {@code reason} (the metrics' reason label) under {@code LATCHKEY_LOG_FORMAT=json}.
     */
    private static Verdict rejected(String tokenId, TokenFailure failure) {
        if (LOG.isLoggable(Level.INFO)) {
            LOG.log(Level.INFO, "Token {0} refused: {1}", new Object[] {tokenId, failure.detail(),
                    Map.of("token_id", tokenId, "reason", failure.name().toLowerCase(Locale.ROOT))});
        }
        return Verdict.rejected(failure);
    }
}
