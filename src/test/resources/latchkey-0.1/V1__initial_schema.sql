-- Latchkey schema version 1. Times are epoch milliseconds (UTC) in BIGINT columns,
-- which behave the same on H2 and PostgreSQL.

CREATE TABLE organization (
    org_id VARCHAR(36) PRIMARY KEY,
    name VARCHAR(255) NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX organization_name ON organization (name);

-- Org API keys: only the SHA-256 of the key is kept; the prefix identifies a key in listings and logs.
CREATE TABLE api_key (
    key_id VARCHAR(36) PRIMARY KEY,
    org_id VARCHAR(36) NOT NULL REFERENCES organization (org_id),
    key_hash VARCHAR(64) NOT NULL,
    key_prefix VARCHAR(16) NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE UNIQUE INDEX api_key_hash ON api_key (key_hash);
CREATE INDEX api_key_org ON api_key (org_id);

-- HMAC-SHA256 signing keys, selected by the JWT's kid header.
CREATE TABLE signing_key (
    kid VARCHAR(64) PRIMARY KEY,
    secret VARCHAR(128) NOT NULL,
    created_at BIGINT NOT NULL,
    retired_at BIGINT
);

-- One row per minted token, keyed by token_id; metadata is the org's JSON object, never in the JWT.
CREATE TABLE client_token (
    token_id VARCHAR(36) PRIMARY KEY,
    org_id VARCHAR(36) NOT NULL REFERENCES organization (org_id),
    client_id VARCHAR(255) NOT NULL,
    issued_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT,
    revocation_reason VARCHAR(1024),
    metadata VARCHAR(16384) NOT NULL
);
CREATE INDEX client_token_client ON client_token (org_id, client_id, issued_at);
CREATE INDEX client_token_expiry ON client_token (expires_at);
