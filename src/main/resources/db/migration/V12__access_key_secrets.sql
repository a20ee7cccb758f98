-- OAuth 2.0 client credentials (RFC 6749 §4.4): an access key may have client secrets; the client id is the key's id.
-- Secrets are 256 random bits, stored as SHA-256 hashes (a slow hash adds nothing to a secret nobody can guess). An
-- access token issued for a secret carries the secret's id as its token id, so revoking the secret ends its tokens.
CREATE TABLE access_key_secrets (
    id            uuid        PRIMARY KEY,
    org_id        uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    access_key_id uuid        NOT NULL REFERENCES access_keys (id) ON DELETE CASCADE,
    secret_hash   text        NOT NULL,
    created_at    timestamptz NOT NULL,
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
CREATE INDEX access_key_secrets_key ON access_key_secrets (access_key_id);
