package io.rollcall.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.ResultSet;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rollcall.support.PostgresResource;

/**
 * A single user's groups (what {@code GET /Users/{id}} reads with the user, {@link UserRepository#computed}): each
 * group's display name is looked up once, though the array is ordered by it and shows it.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class UserGroupsArrayPlanTest {

    private static final String[] TABLES = { "users", "groups", "group_members" };

    @Test
    void aUsersGroupNamesAreReadOncePerGroup() throws Exception {
        PlanAssertions.onTableCopies(TABLES, sql -> {
            UUID org = UUID.randomUUID();
            UUID user = UUID.randomUUID();
            sql.execute("INSERT INTO users (id, org_id, user_name, data) VALUES ('" + user + "', '" + org
                    + "', 'ana', '{}')");
            sql.execute("INSERT INTO groups (id, org_id, display_name, data) SELECT gen_random_uuid(), '" + org
                    + "', 'Group ' || n, '{}' FROM generate_series(1, 50) AS n");
            sql.execute("INSERT INTO group_members (group_id, member_id, member_type, org_id) SELECT id, '" + user
                    + "', 'User', '" + org + "' FROM groups WHERE display_name IN ('Group 1', 'Group 2', 'Group 3')");
            for (String table : TABLES) {
                sql.execute("VACUUM ANALYZE " + table);
            }

            JsonNode plan;
            try (ResultSet rows = sql.executeQuery("EXPLAIN (ANALYZE, FORMAT JSON) SELECT "
                    + UserRepository.computed(true, false) + " FROM users u WHERE u.id = '" + user + "'")) {
                rows.next();
                plan = PlanAssertions.rootNode(rows.getString(1));
            }

            long groupReads = PlanAssertions.reads(plan, "groups");
            assertEquals(3, groupReads, "the user's 3 groups read " + groupReads + " times: "
                    + PlanAssertions.describe(plan));
        });
    }
}
