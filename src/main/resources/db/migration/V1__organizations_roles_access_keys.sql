-- Rollcall foundation: organizations, the role model's tables, access keys and role bindings.
-- Every customer row carries org_id; managed (platform) policies are the only rows without one.

CREATE TABLE organizations (
    id          uuid        PRIMARY KEY,
    name        text        NOT NULL UNIQUE,
    settings    jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE workspaces (
    id          uuid        PRIMARY KEY,
    org_id      uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name        text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX workspaces_org_name ON workspaces (org_id, lower(name));

-- The platform's closed permission catalogue, written from code (io.rollcall.access) at every start.
CREATE TABLE permissions (
    key          text PRIMARY KEY,
    section      text NOT NULL,
    level        text NOT NULL CHECK (level IN ('org', 'workspace')),
    description  text NOT NULL
);

CREATE TABLE policies (
    id           uuid        PRIMARY KEY,
    org_id       uuid        REFERENCES organizations (id) ON DELETE CASCADE,
    name         text        NOT NULL,
    description  text        NOT NULL DEFAULT '',
    type         text        NOT NULL CHECK (type IN ('managed', 'organization')),
    version      bigint      NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT policies_managed_have_no_org CHECK ((type = 'managed') = (org_id IS NULL))
);
CREATE UNIQUE INDEX policies_managed_name ON policies (name) WHERE org_id IS NULL;
CREATE UNIQUE INDEX policies_org_name ON policies (org_id, lower(name)) WHERE org_id IS NOT NULL;

-- resources are workspace selectors: '*' or workspace ids (a permission's scopes).
CREATE TABLE policy_statements (
    policy_id    uuid    NOT NULL REFERENCES policies (id) ON DELETE CASCADE,
    position     int     NOT NULL,
    effect       text    NOT NULL CHECK (effect IN ('allow', 'deny')),
    permissions  text[]  NOT NULL CHECK (cardinality(permissions) > 0),
    resources    text[]  NOT NULL DEFAULT '{*}' CHECK (cardinality(resources) > 0),
    PRIMARY KEY (policy_id, position)
);

CREATE TABLE roles (
    id           uuid        PRIMARY KEY,
    org_id       uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    value        text        NOT NULL,
    name         text        NOT NULL,
    description  text        NOT NULL DEFAULT '',
    type         text        NOT NULL CHECK (type IN ('managed', 'custom')),
    internal     boolean     NOT NULL DEFAULT false,
    version      bigint      NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT roles_value_unique UNIQUE (org_id, value)
);
CREATE UNIQUE INDEX roles_org_name ON roles (org_id, lower(name));

CREATE TABLE role_policies (
    role_id    uuid NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    policy_id  uuid NOT NULL REFERENCES policies (id) ON DELETE RESTRICT,
    PRIMARY KEY (role_id, policy_id)
);
CREATE INDEX role_policies_policy ON role_policies (policy_id);

CREATE TABLE access_keys (
    id            uuid        PRIMARY KEY,
    org_id        uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name          text        NOT NULL,
    token_id      uuid        NOT NULL UNIQUE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    expires_at    timestamptz,
    revoked_at    timestamptz
);
CREATE INDEX access_keys_org ON access_keys (org_id, created_at, id);

-- The one record of who holds which role where. workspace_id NULL = organization scope.
-- principal_id points at users, groups or access_keys depending on principal_kind (no FK: three tables).
CREATE TABLE role_bindings (
    id              uuid        PRIMARY KEY,
    org_id          uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    principal_kind  text        NOT NULL CHECK (principal_kind IN ('user', 'group', 'access_key')),
    principal_id    uuid        NOT NULL,
    role_id         uuid        NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    workspace_id    uuid        REFERENCES workspaces (id) ON DELETE CASCADE,
    source          text        NOT NULL CHECK (source IN ('scim', 'local', 'system')),
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX role_bindings_unique
    ON role_bindings (principal_kind, principal_id, role_id, COALESCE(workspace_id, '00000000-0000-0000-0000-000000000000'::uuid));
CREATE INDEX role_bindings_role ON role_bindings (role_id);
CREATE INDEX role_bindings_org_principal ON role_bindings (org_id, principal_kind, principal_id);
