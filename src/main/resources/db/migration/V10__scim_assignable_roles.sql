-- The identity provider's authority to assign roles is delegated by the organization (access model rule 6b):
-- settings.scimAssignableRoles lists the ids of the roles SCIM may bind; without it, every customer-visible role but
-- Organization Owner and SCIM Client. ownerAssignableOverScim folds into it: where it was on, the list is the default
-- one plus Organization Owner.
UPDATE organizations o
   SET settings = (o.settings - 'ownerAssignableOverScim')
       || CASE WHEN COALESCE((o.settings ->> 'ownerAssignableOverScim')::boolean, false)
               THEN jsonb_build_object('scimAssignableRoles',
                        COALESCE((SELECT jsonb_agg(CAST(r.id AS text) ORDER BY lower(r.name), r.id)
                                    FROM roles r
                                   WHERE r.org_id = o.id AND NOT r.internal AND r.value <> 'scim-client'), '[]'::jsonb))
               ELSE '{}'::jsonb END;

ALTER TABLE organizations ALTER COLUMN settings SET DEFAULT '{"fallbackRole": "knowledge-base-user"}'::jsonb;
