package io.rollcall.support;

import static io.rollcall.support.AdminFixtures.as;

import java.util.List;
import java.util.Map;

/**
 * Who holds Organization Owner (rule 3), read straight from the database, and a way to make chosen users the last
 * active human owners: every other active human owner — bound directly, or a member of a group holding the role,
 * nested groups too — is deactivated over SCIM, as an identity provider would. The tests share one organization, so a
 * test that needs "the last owners" makes them so itself.
 */
public final class Owners {

    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    /** Active users holding Organization Owner at organization scope, directly or through (nested) groups. */
    private static final String ACTIVE_OWNERS = """
            WITH RECURSIVE owner_groups(group_id) AS (
                SELECT b.principal_id FROM role_bindings b JOIN roles r ON r.id = b.role_id
                 WHERE b.org_id = CAST(? AS uuid) AND r.value = 'organization-owner' AND b.principal_kind = 'group'
                   AND b.workspace_id IS NULL
                UNION
                SELECT gm.member_id FROM group_members gm JOIN owner_groups o ON gm.group_id = o.group_id
                 WHERE gm.member_type = 'Group'
            ), owners(user_id) AS (
                SELECT b.principal_id FROM role_bindings b JOIN roles r ON r.id = b.role_id
                 WHERE b.org_id = CAST(? AS uuid) AND r.value = 'organization-owner' AND b.principal_kind = 'user'
                   AND b.workspace_id IS NULL
                UNION
                SELECT gm.member_id FROM group_members gm
                 WHERE gm.group_id IN (SELECT group_id FROM owner_groups) AND gm.member_type = 'User')
            SELECT CAST(u.id AS text) FROM users u
             WHERE u.org_id = CAST(? AS uuid) AND u.active AND u.id IN (SELECT user_id FROM owners)
             ORDER BY u.id
            """;

    private Owners() {
    }

    public static List<String> active() {
        String org = AccessRows.orgId();
        return AccessRows.strings(ACTIVE_OWNERS, org, org, org);
    }

    public static boolean isActiveOwner(String userId) {
        return active().contains(userId);
    }

    /** Deactivates every other active human owner; the given users must be active owners already. */
    public static void makeLastOwners(String... userIds) {
        List<String> keep = List.of(userIds);
        List<String> before = active();
        if (!before.containsAll(keep)) {
            throw new AssertionError("Not all of " + keep + " are active owners: " + before);
        }
        for (String other : before) {
            if (!keep.contains(other)) {
                int status = deactivate(other);
                if (status != 200) {
                    throw new AssertionError("Deactivating owner " + other + " answered " + status);
                }
            }
        }
        List<String> after = active();
        if (!after.equals(before.stream().filter(keep::contains).toList())) {
            throw new AssertionError("Expected only " + keep + " as active owners, found " + after);
        }
    }

    /** SCIM PATCH {@code active: false}, as Okta and Entra deactivate; returns the status. */
    public static int deactivate(String userId) {
        return as(AdminFixtures.scimToken()).contentType(AdminFixtures.SCIM_JSON)
                .body(Map.of("schemas", List.of(PATCH_OP), "Operations",
                        List.of(Map.of("op", "replace", "value", Map.of("active", false)))))
                .when().patch("/scim/v2/Users/" + userId).statusCode();
    }
}
