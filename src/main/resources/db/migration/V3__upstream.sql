-- Latchkey schema version 3: the gateway. One row per organization that puts its API behind Latchkey:
-- where client requests below /client_api are forwarded (url), where WebSocket "send" messages are POSTed
-- (messages_url, optional), and the HMAC secret that signs both (shown to the admin once, kept to sign).
CREATE TABLE upstream (
    org_id VARCHAR(36) PRIMARY KEY REFERENCES organization (org_id),
    url VARCHAR(2048) NOT NULL,
    messages_url VARCHAR(2048),
    signing_secret VARCHAR(128) NOT NULL,
    updated_at BIGINT NOT NULL
);
