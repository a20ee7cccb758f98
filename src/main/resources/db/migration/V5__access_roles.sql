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
