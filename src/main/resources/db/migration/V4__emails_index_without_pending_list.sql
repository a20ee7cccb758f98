-- GIN indexes buffer new entries in a pending list that every lookup scans until autovacuum merges it; the emails
-- lookup is an IdP's matching query, so new users go straight into the index instead (slightly slower inserts).
ALTER INDEX users_emails SET (fastupdate = off);
