package io.rollcall.admin;

import static io.rollcall.support.AdminFixtures.as;
import static io.rollcall.support.AdminFixtures.asOwner;
import static io.rollcall.support.AdminFixtures.bind;
import static io.rollcall.support.AdminFixtures.bindings;
import static io.rollcall.support.AdminFixtures.createUser;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rollcall.support.AccessRows;
import io.rollcall.support.AdminFixtures;
import io.rollcall.support.PostgresResource;

/**
 * Rules 1 and 3 under concurrency: two parallel requests that each remove one of a user's last two roles, or each
 * deactivate one of the organization's last two human owners, cannot both succeed.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class RoleRulesConcurrencyTest {

    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    private static List<Integer> race(Callable<Integer> first, Callable<Integer> second) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> answers = pool.invokeAll(List.of(first, second));
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
            statuses.sort(Integer::compare);
            return statuses;
        } finally {
            pool.shutdown();
        }
    }

    private static int deactivate(String userId) {
        return as(AdminFixtures.scimToken()).contentType("application/scim+json")
                .body(Map.of("schemas", List.of(PATCH_OP), "Operations",
                        List.of(Map.of("op", "replace", "value", Map.of("active", false)))))
                .when().patch("/scim/v2/Users/" + userId).statusCode();
    }

    @Test
    void twoParallelRemovalsOfAUsersLastTwoRolesLeaveOne() throws Exception {
        var user = createUser();
        String first = bind("users", user.id(), "campaign-manager", null);
        String second = bind("users", user.id(), "content-manager", null);
        assertEquals(List.of("campaign-manager local", "content-manager local"), bindings("users", user.id()));
        List<Integer> statuses = race(
                () -> asOwner().when().delete("/admin/v1/users/" + user.id() + "/roles/" + first).statusCode(),
                () -> asOwner().when().delete("/admin/v1/users/" + user.id() + "/roles/" + second).statusCode());
        assertEquals(List.of(204, 409), statuses);
        assertEquals(1, bindings("users", user.id()).size());
    }

    @Test
    void twoParallelDeactivationsOfTheLastTwoOwnersLeaveOne() throws Exception {
        var a = createUser();
        var b = createUser();
        bind("users", a.id(), "organization-owner", null);
        bind("users", b.id(), "organization-owner", null);
        // every other active human owner steps down first, so that a and b are the last two
        for (String other : AccessRows.strings("""
                SELECT CAST(u.id AS text) FROM users u JOIN role_bindings b ON b.principal_id = u.id
                  JOIN roles r ON r.id = b.role_id
                 WHERE u.org_id = CAST(? AS uuid) AND u.active AND r.value = 'organization-owner'
                   AND b.principal_kind = 'user' AND u.id NOT IN (CAST(? AS uuid), CAST(? AS uuid))
                """, AccessRows.orgId(), a.id(), b.id())) {
            assertEquals(200, deactivate(other));
        }
        for (String group : AccessRows.strings("""
                SELECT CAST(b.id AS text) || ' ' || CAST(b.principal_id AS text) FROM role_bindings b
                  JOIN roles r ON r.id = b.role_id
                 WHERE b.org_id = CAST(? AS uuid) AND b.principal_kind = 'group' AND r.value = 'organization-owner'
                """, AccessRows.orgId())) {
            String[] parts = group.split(" ");
            asOwner().when().delete("/admin/v1/groups/" + parts[1] + "/roles/" + parts[0]).then().statusCode(204);
        }

        List<Integer> statuses = race(() -> deactivate(a.id()), () -> deactivate(b.id()));
        assertEquals(List.of(200, 409), statuses);

        String last = AccessRows.strings("SELECT CAST(id AS text) FROM users WHERE id IN (CAST(? AS uuid), CAST(? AS uuid)) "
                + "AND active", a.id(), b.id()).get(0);
        // the last owner can be neither deactivated, deleted, nor unbound
        assertEquals(409, deactivate(last));
        assertEquals(409, as(AdminFixtures.scimToken()).when().delete("/scim/v2/Users/" + last).statusCode());
        String binding = asOwner().when().get("/admin/v1/users/" + last + "/roles").then().statusCode(200).extract()
                .jsonPath().getString("items.find { it.role.value == 'organization-owner' }.id");
        assertEquals(409, asOwner().when().delete("/admin/v1/users/" + last + "/roles/" + binding).statusCode());
        // a new owner first, then the old one may go
        var next = createUser();
        bind("users", next.id(), "organization-owner", null);
        assertEquals(200, deactivate(last));
    }
}
