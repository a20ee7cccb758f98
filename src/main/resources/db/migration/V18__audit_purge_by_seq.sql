-- The retention purge of the audit log walks the oldest rows by seq (its primary key), as the outbox's does (V15),
-- rather than by occurred_at: rows are written in seq order with the time their transaction began, so the old ones come
-- first. The occurred_at index cost every audited change a fourth index entry (issue 15: the audit log's overhead).
DROP INDEX audit_events_occurred;
