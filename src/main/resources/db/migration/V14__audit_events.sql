-- The audit log (issue 15): one row per change made through SCIM, the admin API, the operator API or the console,
-- written in the transaction of the change; a refused change that reached the service is recorded too, in its own
-- transaction, with the status it was refused with. Rows are kept for rollcall.audit.retention (a scheduled purge).
--
-- An organization's rows go with it (deleting an organization removes every row it owns); the operator's deletion
-- of it is recorded without organization (org_id NULL, the organization as resource), so that it outlives it.
-- attributes: the names of the attributes the change set (a JSON array of strings), never their values.
CREATE TABLE audit_events (
    seq           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id            uuid        NOT NULL,
    occurred_at   timestamptz NOT NULL,
    org_id        uuid        REFERENCES organizations (id) ON DELETE CASCADE,
    actor_kind    text        NOT NULL CHECK (actor_kind IN ('access_key', 'operator')),
    actor_id      uuid,
    actor_name    text        NOT NULL,
    channel       text        NOT NULL CHECK (channel IN ('scim', 'admin', 'console', 'operator', 'oauth', 'system')),
    action        text        NOT NULL,
    resource_type text        NOT NULL,
    resource_id   text,
    attributes    jsonb       NOT NULL DEFAULT '[]'::jsonb,
    result        text        NOT NULL CHECK (result IN ('success', 'refused', 'failed')),
    status        integer     NOT NULL,
    request_id    text
);
-- the admin API lists an organization's rows newest first (seq descending), and one resource's history
CREATE INDEX audit_events_org_seq ON audit_events (org_id, seq);
CREATE INDEX audit_events_resource ON audit_events (org_id, resource_id, seq);
-- the retention purge
CREATE INDEX audit_events_occurred ON audit_events (occurred_at);
