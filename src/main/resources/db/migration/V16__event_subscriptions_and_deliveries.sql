-- Change events out (issue 15): webhook subscriptions and one delivery row per (subscription, event). V15's outbox
-- rows are written by the services in the transaction of each change; this trigger fans each one out, in that same
-- transaction, to the organization's subscriptions whose event types match. Fanning out at insert (rather than a
-- worker reading the outbox after a high-water mark) means an event that commits late with a lower seq cannot be
-- skipped: its deliveries become visible exactly when it does.

CREATE TABLE event_subscriptions (
    id            uuid        PRIMARY KEY,
    org_id        uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    url           text        NOT NULL,
    -- V15's vocabulary (user.created, group.members_changed, ...) or '*' for every type
    event_types   text[]      NOT NULL,
    signing       text        NOT NULL CHECK (signing IN ('hmac', 'jwt')),
    -- the HMAC secret, AES-256-GCM sealed under a key derived from the token signing key; null for 'jwt'
    sealed_secret bytea,
    paused        boolean     NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    CHECK ((signing = 'hmac') = (sealed_secret IS NOT NULL))
);
CREATE INDEX event_subscriptions_org ON event_subscriptions (org_id, created_at, id);

-- state: pending (due at next_attempt_at; a worker that claims it moves next_attempt_at past its lease), delivered,
-- dead (attempts reached rollcall.events.max-attempts; re-driven through the admin API)
CREATE TABLE event_deliveries (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id          uuid        NOT NULL,
    subscription_id uuid        NOT NULL REFERENCES event_subscriptions (id) ON DELETE CASCADE,
    event_seq       bigint      NOT NULL REFERENCES change_events (seq) ON DELETE CASCADE,
    resource_id     uuid        NOT NULL,
    state           text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'dead')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_attempt_at timestamptz,
    last_status     integer,
    last_error      text,
    delivered_at    timestamptz,
    UNIQUE (subscription_id, event_seq)
);
-- what the worker claims, oldest due first
CREATE INDEX event_deliveries_due ON event_deliveries (next_attempt_at, id) WHERE state = 'pending';
-- order per resource per subscription: a delivery waits while an earlier one of its resource is pending
CREATE INDEX event_deliveries_pending_order ON event_deliveries (subscription_id, resource_id, event_seq)
    WHERE state = 'pending';
CREATE INDEX event_deliveries_dead ON event_deliveries (subscription_id, event_seq) WHERE state = 'dead';
-- a subscription's last delivery, as the admin API shows it
CREATE INDEX event_deliveries_delivered ON event_deliveries (subscription_id, delivered_at) WHERE state = 'delivered';
-- the foreign key's cascade when outbox rows are purged
CREATE INDEX event_deliveries_event ON event_deliveries (event_seq);

CREATE FUNCTION fan_out_change_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- FOR KEY SHARE: a subscription deleted by a transaction that commits meanwhile is skipped rather than failing
    -- the change with a foreign-key error; one deleted later cascades to these rows
    INSERT INTO event_deliveries (org_id, subscription_id, event_seq, resource_id)
    SELECT NEW.org_id, s.id, NEW.seq, NEW.resource_id
      FROM event_subscriptions s
     WHERE s.org_id = NEW.org_id
       AND (NEW.event_type = ANY (s.event_types) OR '*' = ANY (s.event_types))
       FOR KEY SHARE OF s;
    RETURN NULL;
END
$$;

CREATE TRIGGER change_events_fan_out AFTER INSERT ON change_events
    FOR EACH ROW EXECUTE FUNCTION fan_out_change_event();
