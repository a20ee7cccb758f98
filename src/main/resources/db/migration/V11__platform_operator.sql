-- Several organizations, run by a platform operator (access model: "Platform operator → organizations").
-- A suspended organization's tokens are refused everywhere; its data stays.
ALTER TABLE organizations ADD COLUMN suspended_at timestamptz;

-- Credentials that act above every organization: today the operator token, kept as a SHA-256 hash. Every instance
-- accepts the token whose hash is here (the first start writes it, or rollcall.operator.token-file sets it).
CREATE TABLE platform_credentials (
    name        text        PRIMARY KEY,
    secret_hash text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Organization names are unique in any case ("Acme" and "acme" would be one customer to a person).
CREATE UNIQUE INDEX organizations_lower_name ON organizations (lower(name));

-- Deleting an organization cascades to its users and groups, whose deferred count triggers then run at commit, after
-- the organization (and its counts) are gone: a deleted row of an organization that no longer exists counts nothing.
CREATE OR REPLACE FUNCTION count_resources() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO resource_counts (org_id, resource, shard, n)
        VALUES (NEW.org_id, TG_TABLE_NAME, floor(random() * 16)::smallint, 1)
        ON CONFLICT (org_id, resource, shard) DO UPDATE SET n = resource_counts.n + 1;
        RETURN NEW;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM organizations WHERE id = OLD.org_id) THEN
        RETURN OLD;
    END IF;
    INSERT INTO resource_counts (org_id, resource, shard, n)
    VALUES (OLD.org_id, TG_TABLE_NAME, floor(random() * 16)::smallint, -1)
    ON CONFLICT (org_id, resource, shard) DO UPDATE SET n = resource_counts.n - 1;
    RETURN OLD;
END
$$;
