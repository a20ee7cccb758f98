package io.rollcall.admin;

import static io.rollcall.support.AdminFixtures.as;
import static io.rollcall.support.AdminFixtures.asOwner;
import static io.rollcall.support.AdminFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.sql.Connection;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rollcall.store.CatalogueRepository;
import io.rollcall.support.AccessRows;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Race;
import io.rollcall.support.Tokens;

/**
 * Rule 6 under concurrency: two changes each within the caller's permissions must not add up to a grant beyond them.
 * A role masks {@code reports:read} (allowed by a managed policy it might pick, denied by a custom policy it uses);
 * one request adds the allowing policy to the role, the other drops the deny from the custom policy. Either alone is
 * fine, both together would grant {@code reports:read}: the policy change locks the roles using the policy and checks
 * them after the other change has committed, so at most one of the two succeeds.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class RoleDefinitionRaceTest {

    private static final String ROLES = "/admin/v1/roles";
    private static final String POLICIES = "/admin/v1/policies";
    private static final int ROUNDS = 12;

    @Test
    void aRoleChangeAndAPolicyChangeRacingCannotTogetherGrantWhatTheCallerLacks() throws Exception {
        String managerRole = asOwner().body(Map.of("name", unique("Racing manager"), "permissions",
                List.of("roles:read", "roles:manage", "campaigns:read"))).when().post(ROLES).then().statusCode(201)
                .extract().path("id");
        String manager = Tokens.withRoles(managerRole);
        List<String> outcomes = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            String deny = asOwner().body(Map.of("name", unique("No reports"), "statements", List.of(Map.of("effect",
                    "deny", "permissions", List.of("reports:read"))))).when().post(POLICIES).then().statusCode(201)
                    .extract().path("id");
            String roleName = unique("Masked");
            String role = asOwner().body(Map.of("name", roleName, "permissions", List.of("campaigns:read"),
                    "policies", List.of(deny))).when().post(ROLES).then().statusCode(201).extract().path("id");

            List<Integer> statuses = Race.of(
                    () -> as(manager).body(Map.of("name", roleName, "permissions", List.of("campaigns:read"),
                            "policies", List.of(deny, "ReportsRead"))).when().put(ROLES + "/" + role).then()
                            .extract().statusCode(),
                    () -> as(manager).body(Map.of("name", unique("No campaigns"), "statements", List.of(Map.of(
                            "effect", "deny", "permissions", List.of("campaigns:launch"))))).when()
                            .put(POLICIES + "/" + deny).then().extract().statusCode());

            List<String> granted = asOwner().when().get(ROLES + "/" + role).then().statusCode(200).extract()
                    .jsonPath().getList("permissions");
            assertFalse(granted.contains("reports:read"), "round " + round + " " + statuses + ": the role grants "
                    + granted);
            assertTrue(statuses.contains(403), "round " + round + ": both changes passed " + statuses);
            assertTrue(statuses.stream().allMatch(s -> s == 200 || s == 403), statuses.toString());
            outcomes.add(statuses.get(0) == 200 ? "role first" : statuses.get(1) == 200 ? "policy first" : "neither");
        }
        assertEquals(ROUNDS, outcomes.size());
        System.out.println("RoleDefinitionRaceTest outcomes: " + outcomes);
    }

    /**
     * The same race, played step by step: a role change holds the role's row (here a connection of the test's own)
     * when the policy change arrives; the policy change waits for it, then sees the role as changed and refuses.
     */
    @Test
    void aPolicyChangeWaitsForAConcurrentChangeOfARoleUsingItAndChecksTheResult() throws Exception {
        String managerRole = asOwner().body(Map.of("name", unique("Waiting manager"), "permissions",
                List.of("roles:read", "roles:manage", "campaigns:read"))).when().post(ROLES).then().statusCode(201)
                .extract().path("id");
        String manager = Tokens.withRoles(managerRole);
        String deny = asOwner().body(Map.of("name", unique("No reports"), "statements", List.of(Map.of("effect",
                "deny", "permissions", List.of("reports:read"))))).when().post(POLICIES).then().statusCode(201)
                .extract().path("id");
        String role = asOwner().body(Map.of("name", unique("Masked"), "permissions", List.of("campaigns:read"),
                "policies", List.of(deny))).when().post(ROLES).then().statusCode(201).extract().path("id");
        try (Connection roleChange = AccessRows.connect()) {
            roleChange.setAutoCommit(false);
            roleChange.createStatement().execute("SELECT 1 FROM roles WHERE id = '" + role + "' FOR UPDATE");
            CompletableFuture<Integer> policyChange = CompletableFuture.supplyAsync(() -> as(manager)
                    .body(Map.of("name", unique("No campaigns"), "statements", List.of(Map.of("effect", "deny",
                            "permissions", List.of("campaigns:launch"))))).when().put(POLICIES + "/" + deny).then()
                    .extract().statusCode());
            Thread.sleep(1500);
            assertFalse(policyChange.isDone(), "the policy change did not wait for the role change: "
                    + (policyChange.isDone() ? policyChange.get() : ""));
            roleChange.createStatement().execute("INSERT INTO role_policies (role_id, policy_id) VALUES ('" + role
                    + "', '" + CatalogueRepository.managedPolicyId("ReportsRead") + "')");
            roleChange.commit();
            assertEquals(403, policyChange.get(20, TimeUnit.SECONDS));
        }
        List<String> permissions = asOwner().when().get(POLICIES + "/" + deny).then().statusCode(200).extract()
                .jsonPath().getList("statements[0].permissions");
        assertEquals(List.of("reports:read"), permissions, "the deny stayed");
    }
}
