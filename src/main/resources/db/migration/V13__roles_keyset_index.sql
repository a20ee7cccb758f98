-- Cursor pages (RFC 9865) are keyset queries: WHERE org_id = $1 AND (created_at, id) > ($k, $id) ORDER BY created_at, id
-- on the default order, answered by a range scan of an (org_id, created_at, id) index at any depth. Users and groups
-- have theirs since V2 (users_org_created, groups_org_created); roles (read through the scim_roles view) get theirs.
CREATE INDEX roles_org_created ON roles (org_id, created_at, id);
