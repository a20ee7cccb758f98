-- The organization key on group_members was checked per inserted row: a 1,000-member add key-share-locked the
-- organization's row 1,000 times, and every membership change of the organization, in every transaction, locked that
-- same row (PostgreSQL then builds a multixact per added locker). Organizations are never deleted by the application,
-- and a membership row's org_id is always copied from its group in the statement that inserts it (GroupRepository),
-- so the key protects nothing a statement could break.
ALTER TABLE group_members DROP CONSTRAINT group_members_org_id_fkey;
