-- The organization keys of the audit log (V14) and the change-event outbox (V15) were checked for every row inserted:
-- every change of an organization, in every transaction, key-share-locked the organization's row, and with concurrent
-- changes PostgreSQL builds a multixact per added locker (V9 has the same story for memberships). Both rows take their
-- org_id from the authenticated caller, whose organization exists, in the statement that writes them; deleting an
-- organization deletes them explicitly (OrganizationRepository.deleteWithEverything).
ALTER TABLE audit_events DROP CONSTRAINT audit_events_org_id_fkey;
ALTER TABLE change_events DROP CONSTRAINT change_events_org_id_fkey;
