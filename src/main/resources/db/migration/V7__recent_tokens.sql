-- Latchkey schema version 7: the organization's tokens newest first, without naming a client
-- (GET /client_tokens without client_id, the console's "recent tokens").
CREATE INDEX client_token_org_recent ON client_token (org_id, issued_at);
