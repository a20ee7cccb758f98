-- SCIM Users and Groups. The SCIM representation lives in `data` (JSONB, attribute names in their schema spelling,
-- without id, meta, password and the computed `groups`); what identity providers match and sort on most has its own
-- indexed column, kept equal to `data` by the service layer.

-- Lower-cased values of one sub-attribute across a multi-valued attribute (e.g. every emails[].value), for GIN indexes.
CREATE FUNCTION scim_lower_values(items jsonb, sub text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$
    SELECT COALESCE(array_agg(lower(item ->> sub)) FILTER (WHERE item ->> sub IS NOT NULL), '{}')
      FROM jsonb_array_elements(CASE WHEN jsonb_typeof(items) = 'array' THEN items ELSE '[]'::jsonb END) AS item
$$;

CREATE TABLE users (
    id             uuid        PRIMARY KEY,
    org_id         uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_name      text        NOT NULL,
    external_id    text,
    display_name   text,
    active         boolean     NOT NULL DEFAULT true,
    data           jsonb       NOT NULL,
    password_hash  text,
    version        bigint      NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
-- userName is unique per organization, case-insensitively (RFC 7643 §4.1.1: caseExact false, uniqueness server).
CREATE UNIQUE INDEX users_org_user_name ON users (org_id, lower(user_name));
CREATE INDEX users_org_external_id ON users (org_id, external_id);
CREATE INDEX users_org_display_name ON users (org_id, lower(display_name));
CREATE INDEX users_org_created ON users (org_id, created_at, id);
CREATE INDEX users_org_updated ON users (org_id, updated_at, id);
CREATE INDEX users_emails ON users USING gin (scim_lower_values(data -> 'emails', 'value'));

CREATE TABLE groups (
    id             uuid        PRIMARY KEY,
    org_id         uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    display_name   text        NOT NULL,
    external_id    text,
    data           jsonb       NOT NULL,
    version        bigint      NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX groups_org_display_name ON groups (org_id, lower(display_name));
CREATE INDEX groups_org_external_id ON groups (org_id, external_id);
CREATE INDEX groups_org_created ON groups (org_id, created_at, id);

-- Membership is its own table so that adding or removing one member costs the same for 10 or 100,000 members.
-- member_id is a user or a group of the same organization (no FK: two tables); deleting either removes its rows.
CREATE TABLE group_members (
    group_id     uuid        NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    member_id    uuid        NOT NULL,
    member_type  text        NOT NULL CHECK (member_type IN ('User', 'Group')),
    org_id       uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    added_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, member_id)
);
CREATE INDEX group_members_member ON group_members (member_id, group_id);
