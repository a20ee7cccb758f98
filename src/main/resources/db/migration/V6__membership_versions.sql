-- A group's version (its ETag) and lastModified are split in two, so that membership changes to one group commit in
-- parallel instead of queueing on the group's row lock: groups.version / groups.updated_at count changes to the
-- document (create, PUT, a PATCH that changes more than members), and group_versions counts membership-only changes,
-- spread over up to 16 rows per group (a change adds 1 to one of them, picked at random). The group's version is
-- groups.version + the sum of its rows; its lastModified the latest of groups.updated_at and theirs. Existing groups
-- have no rows yet, so their versions stay what they were. See io.rollcall.store.GroupVersionCounters for the ETag rules.
CREATE TABLE group_versions (
    group_id    uuid        NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    shard       smallint    NOT NULL,
    n           bigint      NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (group_id, shard)
);

-- Checked per inserted membership row, this key-share-locked the group 1,000 times for a 1,000-member add. A deleted
-- group is caught by the version count instead (its group_versions rows go with it, and counting a change on a missing
-- group fails), and deleting a group deletes its membership rows itself.
ALTER TABLE group_members DROP CONSTRAINT group_members_group_id_fkey;
