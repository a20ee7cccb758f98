package io.rollcall.store;

/**
 * The walks through nested groups, written once: a group's members may be groups (RFC 7643 §4.2), and a role bound to a
 * group reaches the users of every group nested in it. Each walk is a recursive CTE over {@code group_members} that
 * tolerates cycles ({@code UNION} drops groups already seen); statements include the fragment they need.
 */
final class NestedGroups {

    private NestedGroups() {
    }

    /**
     * The recursive step up: the groups that contain a group of the CTE {@code walk(group_id, …)}.
     *
     * @param columns the select list over {@code gm.group_id} (the containing group) and the walk's own columns
     */
    static String containing(String walk, String columns) {
        return "SELECT " + columns + " FROM group_members gm JOIN " + walk + " ON gm.member_id = " + walk + ".group_id"
                + " WHERE gm.member_type = 'Group'";
    }

    /**
     * The recursive step down: the groups that are members of a group of the CTE {@code walk(group_id, …)}.
     *
     * @param columns the select list over {@code gm.member_id} (the nested group) and the walk's own columns
     */
    static String nestedIn(String walk, String columns) {
        return "SELECT " + columns + " FROM group_members gm JOIN " + walk + " ON gm.group_id = " + walk + ".group_id"
                + " WHERE gm.member_type = 'Group'";
    }

    /** The groups containing the user, directly or through nested groups (cycles tolerated). */
    static final String GROUPS_OF_USER = """
            WITH RECURSIVE memberships(group_id) AS (
                SELECT gm.group_id FROM group_members gm WHERE gm.org_id = :org AND gm.member_id = :user
                UNION
                """ + NestedGroups.containing("memberships", "gm.group_id") + """
                )
            """;

    /** The group and every group containing it, directly or through nested groups (cycles tolerated). */
    static final String GROUP_AND_ANCESTORS = """
            WITH RECURSIVE memberships(group_id) AS (
                SELECT CAST(:group AS uuid)
                UNION
                """ + NestedGroups.containing("memberships", "gm.group_id") + """
                )
            """;

    /** Group {@code :group} and the groups nested in it, then the users in any of them. */
    static final String SUBGROUPS_AND_THEIR_USERS = """
            subgroups(group_id) AS (
                SELECT CAST(:group AS uuid)
                UNION
                """ + NestedGroups.nestedIn("subgroups", "gm.member_id") + """
            ), targets(user_id) AS (
                SELECT DISTINCT gm.member_id FROM group_members gm
                 WHERE gm.group_id IN (SELECT group_id FROM subgroups) AND gm.member_type = 'User'
            """;

    /** The users in group {@code :group}, directly or through nested groups. */
    static final String USERS_UNDER_GROUP = SUBGROUPS_AND_THEIR_USERS + ")\n";
}
