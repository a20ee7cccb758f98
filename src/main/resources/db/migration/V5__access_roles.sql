-- Access roles over SCIM and the admin API: organization settings, roles authored from permissions, workspaces as a
-- resource, and the indexes the role rules query by.

-- fallbackRole: the role value a user keeps when nothing else grants one (rule 1);
-- ownerAssignableOverScim: whether an IdP may bind Organization Owner (rule 6).
ALTER TABLE organizations
    ALTER COLUMN settings SET DEFAULT '{"fallbackRole": "knowledge-base-user", "ownerAssignableOverScim": false}'::jsonb;
UPDATE organizations
   SET settings = '{"fallbackRole": "knowledge-base-user", "ownerAssignableOverScim": false}'::jsonb || settings;

-- A custom role authored by ticking permissions keeps them in a policy private to it (not listed, deleted with it).
ALTER TABLE policies ADD COLUMN role_id uuid REFERENCES roles (id) ON DELETE CASCADE;
CREATE INDEX policies_role ON policies (role_id) WHERE role_id IS NOT NULL;

-- Role references take the form value@workspace, so a workspace name never contains '@'.
ALTER TABLE workspaces ADD COLUMN description text NOT NULL DEFAULT '';
ALTER TABLE workspaces ADD CONSTRAINT workspaces_name_without_at CHECK (position('@' IN name) = 0);

-- Members of a role, and the bindings a deleted workspace takes with it.
CREATE INDEX role_bindings_org_role ON role_bindings (org_id, role_id, principal_kind);
CREATE INDEX role_bindings_workspace ON role_bindings (workspace_id) WHERE workspace_id IS NOT NULL;

-- Whether a statement's permission pattern ('*', 'campaigns:*' or a key) matches a catalogue key.
CREATE FUNCTION permission_matches(pattern text, key text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$
    SELECT pattern = '*' OR pattern = key
        OR (right(pattern, 2) = ':*' AND left(key, length(pattern) - 1) = left(pattern, -1))
$$;

-- The catalogue permissions a role grants anywhere: named by an allow statement, not denied everywhere
-- (the same as io.rollcall.access.RolePermissions.grantable).
CREATE FUNCTION role_permissions(target_role uuid) RETURNS SETOF text
    LANGUAGE sql STABLE
AS $$
    SELECT p.key FROM permissions p
     WHERE EXISTS (SELECT 1 FROM role_policies rp JOIN policy_statements s ON s.policy_id = rp.policy_id
                    WHERE rp.role_id = target_role AND s.effect = 'allow'
                      AND EXISTS (SELECT 1 FROM unnest(s.permissions) AS pattern WHERE permission_matches(pattern, p.key)))
       AND NOT EXISTS (SELECT 1 FROM role_policies rp JOIN policy_statements s ON s.policy_id = rp.policy_id
                        WHERE rp.role_id = target_role AND s.effect = 'deny' AND '*' = ANY (s.resources)
                          AND EXISTS (SELECT 1 FROM unnest(s.permissions) AS pattern
                                       WHERE permission_matches(pattern, p.key)))
$$;

-- The users holding a role, directly or through groups (nested groups included).
CREATE FUNCTION role_users(target_role uuid) RETURNS SETOF uuid
    LANGUAGE sql STABLE
AS $$
    WITH RECURSIVE bound_groups(group_id) AS (
        SELECT b.principal_id FROM role_bindings b WHERE b.role_id = target_role AND b.principal_kind = 'group'
        UNION
        SELECT gm.member_id FROM group_members gm JOIN bound_groups g ON gm.group_id = g.group_id
         WHERE gm.member_type = 'Group')
    SELECT b.principal_id FROM role_bindings b WHERE b.role_id = target_role AND b.principal_kind = 'user'
    UNION
    SELECT gm.member_id FROM group_members gm
     WHERE gm.group_id IN (SELECT group_id FROM bound_groups) AND gm.member_type = 'User'
$$;

-- Roles as SCIM resources (/scim/v2/Roles): the representation in `data`, shaped like a stored SCIM document so that
-- filters, sorting and projection work as for Users and Groups. Internal roles are never shown.
CREATE VIEW scim_roles AS
SELECT r.id, r.org_id, r.value, r.name, r.type, r.version, r.created_at, r.updated_at,
       jsonb_build_object(
           'schemas', jsonb_build_array('urn:okta:scim:schemas:core:1.0:Role',
                                        'urn:rollcall:scim:schemas:extension:access:2.0:Role'),
           'displayName', r.name,
           'description', r.description,
           'urn:rollcall:scim:schemas:extension:access:2.0:Role', jsonb_build_object(
               'value', r.value,
               'type', r.type,
               'internal', r.internal,
               'policies', COALESCE((SELECT jsonb_agg(jsonb_build_object('value', p.id, 'display', p.name, 'type', p.type)
                                                      ORDER BY p.name)
                                       FROM role_policies rp JOIN policies p ON p.id = rp.policy_id
                                      WHERE rp.role_id = r.id AND p.role_id IS NULL), '[]'::jsonb),
               'permissions', COALESCE((SELECT jsonb_agg(k ORDER BY k) FROM role_permissions(r.id) AS k), '[]'::jsonb),
               'counts', jsonb_build_object(
                   'users', (SELECT count(*) FROM role_users(r.id)),
                   'groups', (SELECT count(*) FROM role_bindings b WHERE b.role_id = r.id AND b.principal_kind = 'group'),
                   'accessKeys', (SELECT count(*) FROM role_bindings b
                                   WHERE b.role_id = r.id AND b.principal_kind = 'access_key'),
                   'permissions', (SELECT count(*) FROM role_permissions(r.id)),
                   'scopes', (SELECT count(DISTINCT resource)
                                FROM role_policies rp JOIN policy_statements s ON s.policy_id = rp.policy_id,
                                     unnest(s.resources) AS resource
                               WHERE rp.role_id = r.id AND s.effect = 'allow')))) AS data
  FROM roles r
 WHERE NOT r.internal;
