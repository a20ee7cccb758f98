package io.rollcall.admin;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.rollcall.support.AccessRows;
import io.rollcall.support.AdminFixtures;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Race;
import io.rollcall.support.Tokens;

/**
 * Rules 1 and 3 under concurrency: two requests sent at the same moment (both released by a barrier) that each remove
 * one of a user's last two roles, or each deactivate one of the organization's last two human owners, cannot both
 * succeed; in every round the side that was refused is the one whose target is still there. The tests run in an
 * organization of their own, so that "the last owners" are made by the test and no other class's owners are touched.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class RoleRulesConcurrencyTest {

    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    private static final int ROUNDS = 10;

    private static String owner;
    private static String scim;

    private static synchronized void anOrganizationOfItsOwn() {
        if (owner == null) {
            owner = Tokens.newOrganization("role-rules-race-" + UUID.randomUUID()).token();
            scim = Tokens.withRolesIn(owner, "scim-client");
        }
    }

    @Test
    void twoParallelRemovalsOfAUsersLastTwoRolesLeaveOneTheRefusedOne() throws Exception {
        List<String> winners = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            String user = createUser();
            String first = bind(user, "campaign-manager");
            String second = bind(user, "content-manager");
            assertEquals(List.of("campaign-manager local", "content-manager local"), bindings(user), "the premise");

            List<Integer> statuses = Race.of(
                    () -> asOwner().when().delete("/admin/v1/users/" + user + "/roles/" + first).statusCode(),
                    () -> asOwner().when().delete("/admin/v1/users/" + user + "/roles/" + second).statusCode());

            String context = "round " + round + ": removals of campaign-manager, content-manager answered " + statuses;
            if (statuses.get(0) == 204) {
                assertEquals(409, statuses.get(1), context);
                assertEquals(List.of("content-manager local"), bindings(user), context + ": the refused one stays");
                winners.add("first");
            } else {
                assertEquals(List.of(409, 204), statuses, context);
                assertEquals(List.of("campaign-manager local"), bindings(user), context + ": the refused one stays");
                winners.add("second");
            }
        }
        System.out.println("last two roles, removal that won: " + winners);
    }

    @Test
    void twoParallelDeactivationsOfTheLastTwoOwnersLeaveOneTheRefusedOne() throws Exception {
        List<String> winners = new ArrayList<>();
        String last = null;
        for (int round = 0; round < ROUNDS; round++) {
            String a = createUser();
            String b = createUser();
            bind(a, "organization-owner");
            bind(b, "organization-owner");
            if (last != null) {
                // the previous round's survivor steps down now that it is no longer the last
                assertEquals(200, deactivate(last), "round " + round + ": the previous last owner steps down");
            }
            assertEquals(List.of(a, b).stream().sorted().toList(), activeHumanOwners(), "round " + round
                    + ": the premise, a and b are the organization's only active human owners");

            List<Integer> statuses = Race.of(() -> deactivate(a), () -> deactivate(b));

            String context = "round " + round + ": deactivations of a, b answered " + statuses;
            if (statuses.get(0) == 200) {
                assertEquals(409, statuses.get(1), context);
                last = b;
                winners.add("a");
            } else {
                assertEquals(List.of(409, 200), statuses, context);
                last = a;
                winners.add("b");
            }
            assertEquals(List.of(last), activeHumanOwners(), context + ": the refused one is the last owner, active");
        }
        System.out.println("last two owners, deactivation that won: " + winners);

        // the last owner can be neither deactivated, deleted, nor unbound
        String survivor = last;
        assertEquals(409, deactivate(survivor));
        assertEquals(409, scim().when().delete("/scim/v2/Users/" + survivor).statusCode());
        String binding = asOwner().when().get("/admin/v1/users/" + survivor + "/roles").then().statusCode(200).extract()
                .jsonPath().getString("items.find { it.role.value == 'organization-owner' }.id");
        assertEquals(409, asOwner().when().delete("/admin/v1/users/" + survivor + "/roles/" + binding).statusCode());
        assertEquals(List.of(survivor), activeHumanOwners());
        // a new owner first, then the old one may go
        String next = createUser();
        bind(next, "organization-owner");
        assertEquals(200, deactivate(survivor));
        assertEquals(List.of(next), activeHumanOwners());
    }

    // --- the organization's own users, bindings and owners ----------------------------------------------------------

    private static RequestSpecification asOwner() {
        anOrganizationOfItsOwn();
        return given().auth().oauth2(owner).contentType("application/json");
    }

    private static RequestSpecification scim() {
        anOrganizationOfItsOwn();
        return given().auth().oauth2(scim).contentType(AdminFixtures.SCIM_JSON);
    }

    private static String createUser() {
        return scim().body(Map.of("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:User"),
                "userName", AdminFixtures.unique("race") + "@example.com"))
                .when().post("/scim/v2/Users").then().statusCode(201).extract().path("id");
    }

    private static String bind(String user, String role) {
        Map<String, String> body = new HashMap<>();
        body.put("role", role);
        return asOwner().body(body).when().post("/admin/v1/users/" + user + "/roles").then().statusCode(201)
                .extract().path("id");
    }

    private static List<String> bindings(String user) {
        return asOwner().when().get("/admin/v1/users/" + user + "/roles").then().statusCode(200).extract().jsonPath()
                .getList("items", Map.class).stream()
                .map(item -> ((Map<?, ?>) item.get("role")).get("value") + " " + item.get("source")).sorted().toList();
    }

    private static int deactivate(String userId) {
        return scim().body(Map.of("schemas", List.of(PATCH_OP), "Operations",
                List.of(Map.of("op", "replace", "value", Map.of("active", false)))))
                .when().patch("/scim/v2/Users/" + userId).statusCode();
    }

    /** Active users of the organization bound to Organization Owner (it has no groups), read from the database. */
    private static List<String> activeHumanOwners() {
        anOrganizationOfItsOwn();
        String org = (String) Tokens.claimsOf(owner).get("org");
        return AccessRows.strings("""
                SELECT CAST(u.id AS text) FROM users u JOIN role_bindings b ON b.principal_id = u.id
                  JOIN roles r ON r.id = b.role_id
                 WHERE u.org_id = CAST(? AS uuid) AND u.active AND r.value = 'organization-owner'
                   AND b.principal_kind = 'user' AND b.workspace_id IS NULL
                 ORDER BY CAST(u.id AS text)
                """, org);
    }
}
