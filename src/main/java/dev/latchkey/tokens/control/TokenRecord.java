package dev.latchkey.tokens.control;

/** The database's view of one token, as the validator needs it. */
public record TokenRecord(String tokenId, String orgId, String clientId, long issuedAt, long expiresAt,
                          boolean revoked) {
}
