-- Change events (issue 15): the outbox. A row is written in the transaction of the change it describes, so an event
-- exists exactly when its change committed; the event worker delivers it afterwards to the organization's
-- subscriptions (V16). V14 is the audit log.
--
-- event_type, Rollcall's vocabulary (the SET format maps it to the SCIM events profile's URIs where one exists):
--   user.created, user.updated, user.deactivated, user.activated, user.deleted, user.roles_changed,
--   group.created, group.updated, group.deleted, group.members_changed, group.roles_changed
-- user.roles_changed is written for each user whose effective roles changed, whether the binding was the user's own or
-- came through a group (a group's binding change, or the user joining or leaving a group that holds roles).
-- payload: what the receiver needs beyond the envelope, e.g. {"attributes": ["name", "emails"]},
-- {"active": false}, {"added": [ids], "removed": [ids]}, {"roles": ["value", ...]}; never a password or a secret.
CREATE TABLE change_events (
    seq           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id            uuid        NOT NULL UNIQUE,
    org_id        uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    event_type    text        NOT NULL,
    resource_type text        NOT NULL CHECK (resource_type IN ('User', 'Group')),
    resource_id   uuid        NOT NULL,
    payload       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    request_id    text,
    occurred_at   timestamptz NOT NULL
);
-- the admin API lists an organization's events newest first; delivery follows seq per resource
CREATE INDEX change_events_org_seq ON change_events (org_id, seq);
CREATE INDEX change_events_resource ON change_events (org_id, resource_id, seq);
