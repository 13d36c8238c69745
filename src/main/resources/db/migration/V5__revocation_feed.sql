-- Latchkey schema version 5: the revocation feed (GET /api/v1/revocations). Written on H2 and PostgreSQL alike, in
-- the transaction of the revocation itself, so an answered revocation is in the feed of every node.

-- One row per organization that has revoked a token: where its feed stands. last_seq numbers the organization's
-- entries 1, 2, 3... without gaps; a writer increments it first and holds the row's lock until it commits, so the
-- organization's entries become visible in seq order (a reader that sees entry n has seen every entry before it).
-- pruned_through: the entries up to it were deleted by housekeeping; a cursor before it is answered 410.
CREATE TABLE revocation_feed_head (
    org_id VARCHAR(36) PRIMARY KEY REFERENCES organization (org_id),
    last_seq BIGINT NOT NULL,
    pruned_through BIGINT NOT NULL
);

-- One entry per revocation. kind TOKEN: one token (token_id; expires_at is the token's). kind CLIENT: every token of
-- client_id whose JWT iat is before issued_before (expires_at: when the last of those tokens expires). Entries are
-- kept until LATCHKEY_RETENTION_DAYS after expires_at, like the token rows themselves.
CREATE TABLE revocation_feed (
    org_id VARCHAR(36) NOT NULL,
    seq BIGINT NOT NULL,
    kind VARCHAR(8) NOT NULL,
    token_id VARCHAR(36),
    client_id VARCHAR(255) NOT NULL,
    revoked_at BIGINT NOT NULL,
    issued_before BIGINT,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (org_id, seq)
);
