-- Per-organization counts of users and groups, so that an unfiltered list answers totalResults without counting
-- 100,000 rows per request. Kept by triggers in the same transaction as the insert or delete; spread over 16 rows per
-- organization and table so that parallel creates do not queue on one counter row.

CREATE TABLE resource_counts (
    org_id    uuid     NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    resource  text     NOT NULL,
    shard     smallint NOT NULL,
    n         bigint   NOT NULL,
    PRIMARY KEY (org_id, resource, shard)
);

CREATE FUNCTION count_resources() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO resource_counts (org_id, resource, shard, n)
        VALUES (NEW.org_id, TG_TABLE_NAME, floor(random() * 16)::smallint, 1)
        ON CONFLICT (org_id, resource, shard) DO UPDATE SET n = resource_counts.n + 1;
        RETURN NEW;
    END IF;
    INSERT INTO resource_counts (org_id, resource, shard, n)
    VALUES (OLD.org_id, TG_TABLE_NAME, floor(random() * 16)::smallint, -1)
    ON CONFLICT (org_id, resource, shard) DO UPDATE SET n = resource_counts.n - 1;
    RETURN OLD;
END
$$;

CREATE TRIGGER users_count AFTER INSERT OR DELETE ON users FOR EACH ROW EXECUTE FUNCTION count_resources();
CREATE TRIGGER groups_count AFTER INSERT OR DELETE ON groups FOR EACH ROW EXECUTE FUNCTION count_resources();

INSERT INTO resource_counts (org_id, resource, shard, n)
SELECT org_id, 'users', 0, count(*) FROM users GROUP BY org_id
UNION ALL
SELECT org_id, 'groups', 0, count(*) FROM groups GROUP BY org_id;
