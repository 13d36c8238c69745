-- Latchkey schema version 6: limits per client, one row per organization that has any (docs/limits.md).
-- A null limit is unlimited; an action is stored with its limit, a burst with its rate.
-- tokens_on_limit: refuse | revoke_oldest; sockets_on_limit: refuse | close_oldest.
CREATE TABLE client_limits (
    org_id VARCHAR(36) PRIMARY KEY REFERENCES organization (org_id),
    max_active_tokens INTEGER,
    tokens_on_limit VARCHAR(16),
    max_sockets INTEGER,
    sockets_on_limit VARCHAR(16),
    rate_per_second INTEGER,
    rate_burst INTEGER,
    updated_at BIGINT NOT NULL
);
