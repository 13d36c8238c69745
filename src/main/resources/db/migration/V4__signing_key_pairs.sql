-- Latchkey schema version 4: public-key signing keys (ES256, EdDSA) beside the HMAC ones, and the key ring's states.
-- alg: the one JWS algorithm the key signs and verifies (HS256, ES256 or EdDSA); a token naming another is refused.
-- public_key: X.509 SubjectPublicKeyInfo, base64url (ES256 and EdDSA only; published in /.well-known/jwks.json).
-- private_key: PKCS#8, base64url (ES256 and EdDSA only; never leaves the server). secret: HS256 only.
-- state: NEXT (published ahead, signs after the next rotation), CURRENT (signs), RETIRED (signs no more, verifies
-- the tokens it signed until they expire), EXPIRED (verifies nothing; retired_at is when it stopped verifying).
-- stopped_signing_at: when a RETIRED key stopped signing; it expires once the longest token lifetime has passed.
ALTER TABLE signing_key ADD COLUMN alg VARCHAR(16) DEFAULT 'HS256' NOT NULL;
ALTER TABLE signing_key ADD COLUMN public_key VARCHAR(512);
ALTER TABLE signing_key ADD COLUMN private_key VARCHAR(512);
ALTER TABLE signing_key ADD COLUMN state VARCHAR(16) DEFAULT 'RETIRED' NOT NULL;
ALTER TABLE signing_key ADD COLUMN stopped_signing_at BIGINT;
ALTER TABLE signing_key ALTER COLUMN secret DROP NOT NULL;

-- The keys of an earlier version: the newest unretired one signed, each older one stopped when its successor came.
UPDATE signing_key SET state = 'EXPIRED' WHERE retired_at IS NOT NULL;
UPDATE signing_key SET stopped_signing_at = (SELECT MIN(n.created_at) FROM signing_key n
    WHERE n.created_at > signing_key.created_at) WHERE retired_at IS NULL;
UPDATE signing_key SET state = 'CURRENT' WHERE retired_at IS NULL AND stopped_signing_at IS NULL;
