package io.rollcall.store;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

/**
 * The statements behind the owner rule (rule 3): an organization always keeps an active user holding Organization Owner
 * at organization scope, directly or through a group (nested too). Run inside the caller's transaction.
 */
@ApplicationScoped
public class OwnerRuleRepository {

    /** Groups holding Organization Owner at organization scope, and every group nested in them. */
    private static final String OWNER_GROUPS = """
            WITH RECURSIVE owner_groups(group_id) AS (
                SELECT b.principal_id FROM role_bindings b
                 WHERE b.org_id = :org AND b.role_id = :owner AND b.principal_kind = 'group' AND b.workspace_id IS NULL
                UNION
                """ + NestedGroups.nestedIn("owner_groups", "gm.member_id") + """
                )
            """;

    private static final String OWNERS = OWNER_GROUPS + """
            , owners(user_id) AS (
                SELECT b.principal_id FROM role_bindings b
                 WHERE b.org_id = :org AND b.role_id = :owner AND b.principal_kind = 'user' AND b.workspace_id IS NULL
                UNION ALL
                SELECT gm.member_id FROM group_members gm
                 WHERE gm.group_id IN (SELECT group_id FROM owner_groups) AND gm.member_type = 'User')
            """;

    private static final SessionStatements.Named HAS_ACTIVE_OWNER = SessionStatements.Named.of(OWNERS + """
            SELECT EXISTS (SELECT 1 FROM users u WHERE u.org_id = :org AND u.active AND u.id IN (SELECT user_id FROM owners))
            """);

    /** Walks up from the user (index lookups by member), so that it stays cheap in a generic plan. */
    private static final SessionStatements.Named IS_ACTIVE_OWNER = SessionStatements.Named.of(
            NestedGroups.GROUPS_OF_USER + """
            SELECT EXISTS (SELECT 1 FROM users u WHERE u.org_id = :org AND u.id = :user AND u.active)
               AND (EXISTS (SELECT 1 FROM role_bindings b
                             WHERE b.org_id = :org AND b.principal_kind = 'user' AND b.principal_id = :user
                               AND b.role_id = :owner AND b.workspace_id IS NULL)
                    OR EXISTS (SELECT 1 FROM role_bindings b
                                WHERE b.org_id = :org AND b.principal_kind = 'group' AND b.role_id = :owner
                                  AND b.workspace_id IS NULL AND b.principal_id IN (SELECT group_id FROM memberships)))
            """);

    private static final String LOCK_OWNERS = "SELECT CAST(pg_advisory_xact_lock(" + AdvisoryLocks.OWNERS
            + ", hashtext(CAST($1 AS text))) AS text)";

    /**
     * Serialises, per organization, the transactions that may take Organization Owner away from someone, so that two of
     * them cannot each see the other's owner and both remove theirs (rule 3).
     */
    public Uni<Void> lockOwners(UUID orgId) {
        return SessionStatements.select(LOCK_OWNERS, orgId.toString()).replaceWithVoid();
    }

    public Uni<Boolean> hasActiveOwner(UUID orgId, UUID ownerRoleId) {
        return exists(HAS_ACTIVE_OWNER, orgId, ownerRoleId, null);
    }

    public Uni<Boolean> isActiveOwner(UUID orgId, UUID ownerRoleId, UUID userId) {
        return exists(IS_ACTIVE_OWNER, orgId, ownerRoleId, userId);
    }

    private Uni<Boolean> exists(SessionStatements.Named sql, UUID orgId, UUID ownerRoleId, UUID userId) {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("org", orgId);
        parameters.put("owner", ownerRoleId);
        parameters.put("user", userId);
        return SessionStatements.select(sql, parameters).map(rows -> (Boolean) rows.get(0)[0]);
    }
}
