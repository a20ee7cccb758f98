package io.rollcall.scim;

import static io.restassured.RestAssured.given;
import static io.rollcall.support.AdminFixtures.asOwner;
import static io.rollcall.support.AdminFixtures.bind;
import static io.rollcall.support.AdminFixtures.bindings;
import static io.rollcall.support.AdminFixtures.createGroup;
import static io.rollcall.support.AdminFixtures.createUser;
import static io.rollcall.support.AdminFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.rollcall.support.AdminFixtures;
import io.rollcall.support.AdminFixtures.User;
import io.rollcall.support.PostgresResource;

/**
 * Rule 1 (every active user keeps at least one effective role) when a user's role comes through a group: an identity
 * provider taking the user out of the group, or deleting the group, leaves the organization's fallback role in its
 * place (source {@code system}); an administrator may remove a user's last direct role while a group still grants one
 * (the user keeps an effective role), but may not unbind a group's role from a member that holds nothing else (409).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class FallbackRuleThroughGroupsTest {

    private static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    private static final String GROUP_ROLE = "campaign-manager";

    /** A SCIM request that takes the user out of the group holding its only role. */
    enum Leaving {
        SCIM_PATCH_REMOVING_THE_MEMBER, SCIM_PUT_WITHOUT_THE_MEMBER, SCIM_DELETE_OF_THE_GROUP;

        Response apply(String group, String name, String member) {
            return switch (this) {
                case SCIM_PATCH_REMOVING_THE_MEMBER -> removeMember(group, member);
                case SCIM_PUT_WITHOUT_THE_MEMBER -> scim().body(Map.of("schemas", List.of(GROUP), "displayName", name,
                        "members", List.of())).when().put("/scim/v2/Groups/" + group);
                case SCIM_DELETE_OF_THE_GROUP -> scim().when().delete("/scim/v2/Groups/" + group);
            };
        }
    }

    @ParameterizedTest(name = "rule 1: after {0} the user holds the fallback role")
    @EnumSource(Leaving.class)
    void aUserWhoseOnlyRoleCameThroughAGroupGetsTheFallbackRoleWhenItLeavesTheGroup(Leaving leaving) {
        User user = createUser();
        String name = unique("campaigners");
        String group = createGroup(name, user.id());
        bind("groups", group, GROUP_ROLE, null);
        assertEquals(List.of(), bindings("users", user.id()), "the premise: the group's role replaced the fallback");
        assertEquals("allow", decision(user.id(), "campaigns:launch"));

        Response left = leaving.apply(group, name, user.id());

        assertTrue(left.statusCode() >= 200 && left.statusCode() < 300, left.statusCode() + " " + left.asString());
        assertEquals(List.of(fallbackRole() + " system"), bindings("users", user.id()),
                "rule 1: the fallback role fills in, source system");
        assertEquals("deny", decision(user.id(), "campaigns:launch"), "the group's role is gone");
    }

    @Test
    void aUserWithADirectRoleOfItsOwnLeavingAGroupGetsNoFallback() {
        User user = createUser();
        bind("users", user.id(), "content-manager", null);
        String group = createGroup(unique("campaigners"), user.id());
        bind("groups", group, GROUP_ROLE, null);

        assertEquals(204, removeMember(group, user.id()).statusCode());

        assertEquals(List.of("content-manager local"), bindings("users", user.id()));
    }

    @Test
    void anAdminMayRemoveAUsersLastDirectRoleWhileAGroupStillGrantsOne() {
        User user = createUser();
        String direct = bind("users", user.id(), "content-manager", null);
        String group = createGroup(unique("campaigners"), user.id());
        bind("groups", group, GROUP_ROLE, null);

        asOwner().when().delete("/admin/v1/users/" + user.id() + "/roles/" + direct).then().statusCode(204);

        assertEquals(List.of(), bindings("users", user.id()), "rule 1 holds through the group: no fallback needed");
        assertEquals("allow", decision(user.id(), "campaigns:launch"), "the group's role still applies");
        assertEquals("deny", decision(user.id(), "templates:manage"), "the direct role is gone");

        // and once the group lets the user go, the fallback arrives
        assertEquals(204, removeMember(group, user.id()).statusCode());
        assertEquals(List.of(fallbackRole() + " system"), bindings("users", user.id()));
    }

    @Test
    void anAdminCannotUnbindAGroupsRoleFromAMemberThatHoldsNoOtherRole() {
        User user = createUser();
        String group = createGroup(unique("campaigners"), user.id());
        String binding = bind("groups", group, GROUP_ROLE, null);

        Response refused = asOwner().when().delete("/admin/v1/groups/" + group + "/roles/" + binding);

        assertEquals(409, refused.statusCode(), refused.asString());
        assertTrue(refused.jsonPath().getString("detail").contains("at least one role"), refused.asString());
        assertTrue(refused.jsonPath().getString("detail").contains(user.userName()), "names the user: "
                + refused.asString());
        assertEquals(List.of(GROUP_ROLE + " local"), bindings("groups", group), "nothing changed");
        assertEquals(List.of(), bindings("users", user.id()), "nothing changed");
    }

    private static String fallbackRole() {
        return asOwner().when().get("/admin/v1/settings").then().statusCode(200).extract().path("fallbackRole");
    }

    private static String decision(String userId, String permission) {
        return asOwner().queryParam("principal", "user:" + userId).queryParam("permission", permission)
                .when().get("/admin/v1/authz/check").then().statusCode(200).extract().path("decision");
    }

    private static Response removeMember(String group, String member) {
        return scim().body(Map.of("schemas", List.of(PATCH_OP), "Operations",
                List.of(Map.of("op", "remove", "path", "members[value eq \"" + member + "\"]"))))
                .when().patch("/scim/v2/Groups/" + group);
    }

    private static RequestSpecification scim() {
        return given().auth().oauth2(AdminFixtures.scimToken()).contentType(AdminFixtures.SCIM_JSON);
    }
}
