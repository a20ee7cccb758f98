package io.rollcall.admin;

import static io.restassured.RestAssured.given;
import static io.rollcall.support.AdminFixtures.asOwner;
import static io.rollcall.support.AdminFixtures.bind;
import static io.rollcall.support.AdminFixtures.bindings;
import static io.rollcall.support.AdminFixtures.createGroup;
import static io.rollcall.support.AdminFixtures.createUser;
import static io.rollcall.support.AdminFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.rollcall.support.AdminFixtures;
import io.rollcall.support.AdminFixtures.User;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Race;
import io.rollcall.support.Tokens;

/**
 * Rule 1 (every active user keeps at least one effective role) when the two channels change one user's roles at the
 * same moment: an administrator removing the user's last {@code local} role while an identity provider clears its
 * {@code scim} roles ({@code roles: []}, by PUT or PATCH); an administrator removing the user's last direct role
 * while an identity provider takes it out of the group that grants its other role; and an administrator unbinding a
 * group's role while an identity provider clears a member's own roles. In every round, whichever wins, the
 * user ends with a role: the administrator's removal is refused (409) if it comes second, and the fallback role fills
 * in if the identity provider's change comes second. Each test must see both orders across its rounds, so that both
 * outcomes were checked.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class FallbackRuleAcrossChannelsConcurrencyTest {

    /** Rounds raced from a barrier with no head start. */
    private static final int ROUNDS = 12;
    /** Rounds added, each with a longer head start, while one order has not come up yet. */
    private static final int MAX_EXTRA_ROUNDS = 8;
    private static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";
    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    private static final String LOCAL_ROLE = "content-manager";
    private static final String SCIM_ROLE = "chatbots-view-only";

    private static String scimToken;

    /** SCIM Client plus Organization Owner: it may grant any role but Organization Owner (rule 6). */
    private static synchronized String scimToken() {
        if (scimToken == null) {
            scimToken = Tokens.withRoles("scim-client", "organization-owner");
        }
        return scimToken;
    }

    /** How the identity provider clears the user's roles. */
    enum Clearing {
        SCIM_PUT_WITH_EMPTY_ROLES, SCIM_PATCH_REPLACING_ROLES_WITH_EMPTY;

        int apply(User user) {
            return switch (this) {
                case SCIM_PUT_WITH_EMPTY_ROLES -> scim().body(Map.of("schemas", List.of(USER), "userName",
                        user.userName(), "roles", List.of())).when().put("/scim/v2/Users/" + user.id()).statusCode();
                case SCIM_PATCH_REPLACING_ROLES_WITH_EMPTY -> scim().body(Map.of("schemas", List.of(PATCH_OP),
                        "Operations", List.of(Map.of("op", "replace", "path", "roles", "value", List.of()))))
                        .when().patch("/scim/v2/Users/" + user.id()).statusCode();
            };
        }
    }

    @ParameterizedTest(name = "rule 1: admin unbind of the last local role racing {0}")
    @EnumSource(Clearing.class)
    void anAdminUnbindOfTheLastLocalRoleRacingAnIdpClearingRolesLeavesTheUserARole(Clearing clearing) throws Exception {
        String fallback = fallbackRole();
        List<String> outcomes = new ArrayList<>();
        for (int round = 0; anotherRound(round, outcomes); round++) {
            User user = createUser();
            String local = bind("users", user.id(), LOCAL_ROLE, null);
            scim().body(Map.of("schemas", List.of(PATCH_OP), "Operations", List.of(Map.of("op", "add", "path", "roles",
                    "value", List.of(Map.of("value", SCIM_ROLE)))))).when().patch("/scim/v2/Users/" + user.id())
                    .then().statusCode(200);
            assertEquals(List.of(SCIM_ROLE + " scim", LOCAL_ROLE + " local"), bindings("users", user.id()),
                    "the premise");

            List<Integer> statuses = race(round, outcomes, "admin first",
                    () -> asOwner().when().delete("/admin/v1/users/" + user.id() + "/roles/" + local).statusCode(),
                    () -> clearing.apply(user));

            String context = "round " + round + ": admin unbind " + statuses.get(0) + ", " + clearing + " "
                    + statuses.get(1);
            assertEquals(200, statuses.get(1), context + ": the identity provider's change always applies");
            List<String> after = bindings("users", user.id());
            if (statuses.get(0) == 204) {
                assertEquals(List.of(fallback + " system"), after, context + ": the IdP cleared last, the fallback fills in");
            } else {
                assertEquals(409, statuses.get(0), context);
                assertEquals(List.of(LOCAL_ROLE + " local"), after, context + ": the admin came last and was refused");
            }
            outcomes.add(statuses.get(0) == 204 ? "admin first" : "IdP first");
        }
        System.out.println(clearing + " outcomes: " + outcomes);
        bothOutcomesOccurred(outcomes);
    }

    @Test
    void anAdminUnbindOfTheLastDirectRoleRacingAnIdpTakingTheUserOutOfItsGroupLeavesTheUserARole() throws Exception {
        String fallback = fallbackRole();
        List<String> outcomes = new ArrayList<>();
        for (int round = 0; anotherRound(round, outcomes); round++) {
            User user = createUser();
            String direct = bind("users", user.id(), LOCAL_ROLE, null);
            String group = createGroup(unique("race"), user.id());
            bind("groups", group, "campaign-manager", null);

            List<Integer> statuses = race(round, outcomes, "admin first",
                    () -> asOwner().when().delete("/admin/v1/users/" + user.id() + "/roles/" + direct).statusCode(),
                    () -> scim().body(Map.of("schemas", List.of(PATCH_OP), "Operations", List.of(Map.of("op", "remove",
                            "path", "members[value eq \"" + user.id() + "\"]"))))
                            .when().patch("/scim/v2/Groups/" + group).statusCode());

            String context = "round " + round + ": admin unbind " + statuses.get(0) + ", group member removal "
                    + statuses.get(1);
            assertEquals(204, statuses.get(1), context + ": the identity provider's change always applies");
            List<String> after = bindings("users", user.id());
            assertTrue(!after.isEmpty(), context + ": rule 1, the user holds no role at all");
            if (statuses.get(0) == 204) {
                assertEquals(List.of(fallback + " system"), after, context);
            } else {
                assertEquals(409, statuses.get(0), context);
                assertEquals(List.of(LOCAL_ROLE + " local"), after, context);
            }
            outcomes.add(statuses.get(0) == 204 ? "admin first" : "IdP first");
        }
        System.out.println("group removal outcomes: " + outcomes);
        bothOutcomesOccurred(outcomes);
    }

    @Test
    void anAdminUnbindOfAGroupsRoleRacingAnIdpClearingAMembersOwnRolesLeavesTheMemberARole() throws Exception {
        String fallback = fallbackRole();
        List<String> outcomes = new ArrayList<>();
        for (int round = 0; anotherRound(round, outcomes); round++) {
            User user = createUser();
            scim().body(Map.of("schemas", List.of(PATCH_OP), "Operations", List.of(Map.of("op", "add", "path", "roles",
                    "value", List.of(Map.of("value", SCIM_ROLE)))))).when().patch("/scim/v2/Users/" + user.id())
                    .then().statusCode(200);
            String group = createGroup(unique("race"), user.id());
            String groupBinding = bind("groups", group, "campaign-manager", null);

            List<Integer> statuses = race(round, outcomes, "admin first",
                    () -> asOwner().when().delete("/admin/v1/groups/" + group + "/roles/" + groupBinding).statusCode(),
                    () -> Clearing.SCIM_PATCH_REPLACING_ROLES_WITH_EMPTY.apply(user));

            String context = "round " + round + ": admin unbind of the group's role " + statuses.get(0)
                    + ", roles [] " + statuses.get(1);
            assertEquals(200, statuses.get(1), context + ": the identity provider's change always applies");
            List<String> after = bindings("users", user.id());
            if (statuses.get(0) == 204) {
                assertEquals(List.of(fallback + " system"), after, context + ": rule 1, the fallback fills in");
            } else {
                assertEquals(409, statuses.get(0), context);
                assertEquals(List.of(), after, context);
                assertEquals(List.of("campaign-manager local"), bindings("groups", group),
                        context + ": rule 1, the group's role stays");
            }
            outcomes.add(statuses.get(0) == 204 ? "admin first" : "IdP first");
        }
        System.out.println("group role unbind outcomes: " + outcomes);
        bothOutcomesOccurred(outcomes);
    }

    @Test
    void deletingACustomRoleRacingAnIdpClearingAHoldersOtherRolesLeavesTheHolderARole() throws Exception {
        String fallback = fallbackRole();
        List<String> outcomes = new ArrayList<>();
        for (int round = 0; anotherRound(round, outcomes); round++) {
            String custom = unique("race-role");
            String roleId = asOwner().contentType("application/json")
                    .body(Map.of("name", custom, "permissions", List.of("reports:read")))
                    .when().post("/admin/v1/roles").then().statusCode(201).extract().path("id");
            String value = asOwner().when().get("/admin/v1/roles/" + roleId).then().statusCode(200).extract().path("value");
            User user = createUser();
            bind("users", user.id(), value, null);
            scim().body(Map.of("schemas", List.of(PATCH_OP), "Operations", List.of(Map.of("op", "add", "path", "roles",
                    "value", List.of(Map.of("value", SCIM_ROLE)))))).when().patch("/scim/v2/Users/" + user.id())
                    .then().statusCode(200);

            List<Integer> statuses = race(round, outcomes, "delete first",
                    () -> asOwner().when().delete("/admin/v1/roles/" + roleId).statusCode(),
                    () -> Clearing.SCIM_PATCH_REPLACING_ROLES_WITH_EMPTY.apply(user));

            String context = "round " + round + ": delete of the custom role " + statuses.get(0) + ", roles [] "
                    + statuses.get(1);
            assertEquals(200, statuses.get(1), context + ": the identity provider's change always applies");
            List<String> after = bindings("users", user.id());
            if (statuses.get(0) == 204) {
                assertEquals(List.of(fallback + " system"), after, context + ": rule 1, the fallback fills in");
            } else {
                assertEquals(409, statuses.get(0), context + ": rule 8, the delete came last and was refused");
                assertEquals(List.of(value + " local"), after, context);
            }
            outcomes.add(statuses.get(0) == 204 ? "delete first" : "IdP first");
        }
        System.out.println("custom role delete outcomes: " + outcomes);
        bothOutcomesOccurred(outcomes);
    }

    /** The planned rounds, then more (up to {@link #MAX_EXTRA_ROUNDS}) while one of the two orders has not come up. */
    private static boolean anotherRound(int round, List<String> outcomes) {
        return round < ROUNDS || (round < ROUNDS + MAX_EXTRA_ROUNDS && new HashSet<>(outcomes).size() < 2);
    }

    /**
     * The administrator's and the identity provider's requests, released together by a barrier. In the extra rounds,
     * the side whose win has not come up yet starts earlier, by 10 ms, then 20, 40, … 640 ms: a server on which that
     * side can never come first (or whose outcome for it is wrong) fails the round or {@link #bothOutcomesOccurred}.
     */
    private static List<Integer> race(int round, List<String> outcomes, String adminWins, Callable<Integer> admin,
            Callable<Integer> idp) throws Exception {
        if (round < ROUNDS) {
            return Race.of(admin, idp);
        }
        long headStart = 10L << Math.min(round - ROUNDS, 6);
        return outcomes.contains(adminWins) ? Race.of(delayed(headStart, admin), idp)
                : Race.of(admin, delayed(headStart, idp));
    }

    private static Callable<Integer> delayed(long millis, Callable<Integer> request) {
        return () -> {
            Thread.sleep(millis);
            return request.call();
        };
    }

    /**
     * A race that one side always won tested only that side: across the rounds, each side must have come first at
     * least once, so that both branches of the round's assertions ran.
     */
    private static void bothOutcomesOccurred(List<String> outcomes) {
        assertEquals(2, new HashSet<>(outcomes).size(),
                "both orders must occur across " + outcomes.size() + " rounds, saw " + outcomes);
    }

    private static String fallbackRole() {
        return asOwner().when().get("/admin/v1/settings").then().statusCode(200).extract().path("fallbackRole");
    }

    private static RequestSpecification scim() {
        return given().auth().oauth2(scimToken()).contentType(AdminFixtures.SCIM_JSON);
    }
}
