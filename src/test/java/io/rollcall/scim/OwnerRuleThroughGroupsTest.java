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
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.rollcall.support.AdminFixtures;
import io.rollcall.support.Owners;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Race;

/**
 * Rule 3 (at least one active human user keeps Organization Owner) when the role comes through a group: taking the
 * last owners out of the group (SCIM PATCH remove, SCIM PUT of a member list without them), deleting the group (SCIM
 * DELETE) and unbinding the role from the group (admin API) are refused with 409 and change nothing; with another
 * active owner bound directly, the same requests succeed. Two parallel requests taking away the last two owners, one
 * through the group and one by deactivating a direct owner, cannot both succeed.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class OwnerRuleThroughGroupsTest {

    private static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    /** A request that takes Organization Owner away from the members of a group holding it. */
    enum Removal {
        SCIM_PATCH_REMOVING_THE_MEMBER, SCIM_PUT_WITHOUT_THE_MEMBER, SCIM_DELETE_OF_THE_GROUP, ADMIN_UNBIND_FROM_THE_GROUP;

        Response apply(OwnerGroup group) {
            return switch (this) {
                case SCIM_PATCH_REMOVING_THE_MEMBER -> scim().body(Map.of("schemas", List.of(PATCH_OP), "Operations",
                        List.of(Map.of("op", "remove", "path", "members[value eq \"" + group.member() + "\"]"))))
                        .when().patch("/scim/v2/Groups/" + group.id());
                case SCIM_PUT_WITHOUT_THE_MEMBER -> scim().body(Map.of("schemas", List.of(GROUP), "displayName",
                        group.name() + " renamed", "members", List.of()))
                        .when().put("/scim/v2/Groups/" + group.id());
                case SCIM_DELETE_OF_THE_GROUP -> scim().when().delete("/scim/v2/Groups/" + group.id());
                case ADMIN_UNBIND_FROM_THE_GROUP -> asOwner().when()
                        .delete("/admin/v1/groups/" + group.id() + "/roles/" + group.ownerBinding());
            };
        }
    }

    /** A group holding Organization Owner (bound by an administrator) with one user in it. */
    record OwnerGroup(String id, String name, String member, String ownerBinding) {
    }

    /** What a refused request must leave as it was. */
    record Snapshot(String displayName, List<String> members, List<String> groupBindings, List<String> memberBindings,
            boolean memberIsActiveOwner) {
    }

    // --- Refused: the group's members are the last active owners ----------------------------------------------------

    @ParameterizedTest(name = "rule 3: {0} is refused when the group's member is the last owner")
    @EnumSource(Removal.class)
    void takingOwnerFromTheLastOwnersThroughTheirGroupIsRefusedAndChangesNothing(Removal removal) {
        OwnerGroup group = ownerGroupOfOne();
        Owners.makeLastOwners(group.member());
        Snapshot before = snapshot(group);

        Response refused = removal.apply(group);

        assertEquals(409, refused.statusCode(), refused.asString());
        assertTrue(refused.jsonPath().getString("detail").contains("without an active user holding Organization Owner"),
                "the detail names the rule: " + refused.asString());
        assertEquals(before, snapshot(group), "a refused change changes nothing");
        assertEquals(List.of(group.member()), Owners.active());
    }

    @Test
    void ofTwoLastOwnersInOneGroupTheFirstMayLeaveAndTheSecondMayNot() {
        var first = createUser();
        var second = createUser();
        bind("users", first.id(), "content-manager", null);
        bind("users", second.id(), "content-manager", null);
        String group = createGroup(unique("owners"), first.id(), second.id());
        bind("groups", group, "organization-owner", null);
        Owners.makeLastOwners(first.id(), second.id());

        assertTrue(removeMember(group, first.id()).statusCode() < 300, "rule 3: another owner remains");
        Response refused = removeMember(group, second.id());
        assertEquals(409, refused.statusCode(), "rule 3: the last owner stays: " + refused.asString());
        assertEquals(List.of(second.id()), Owners.active());
    }

    // --- Allowed: another active owner holds the role directly ------------------------------------------------------

    @ParameterizedTest(name = "rule 3: {0} succeeds while another direct owner remains")
    @EnumSource(Removal.class)
    void takingOwnerFromAGroupSucceedsWhileAnotherActiveOwnerHoldsItDirectly(Removal removal) {
        OwnerGroup group = ownerGroupOfOne();
        var direct = createUser();
        bind("users", direct.id(), "organization-owner", null);
        Owners.makeLastOwners(group.member(), direct.id());

        Response done = removal.apply(group);

        assertTrue(done.statusCode() >= 200 && done.statusCode() < 300, done.statusCode() + " " + done.asString());
        assertEquals(List.of(direct.id()), Owners.active(), "the group's member is no longer an owner");
        assertEquals(List.of("content-manager local"), bindings("users", group.member()),
                "the member keeps its own role (rule 1 is not in play)");
    }

    // --- Concurrency -------------------------------------------------------------------------------------------------

    /**
     * Rule 3 under concurrency, across two paths to the role: owner {@code a} through a group, owner {@code b} bound
     * directly; one request takes the role from {@code a} through the group (each removal in turn), the other
     * deactivates {@code b}. Exactly one succeeds, and one of them stays an active owner.
     */
    @Test
    void removingTheLastTwoOwnersInParallelThroughAGroupAndByDeactivationLetsExactlyOneThrough() throws Exception {
        int rounds = 12;
        for (int round = 0; round < rounds; round++) {
            Removal removal = Removal.values()[round % Removal.values().length];
            OwnerGroup group = ownerGroupOfOne();
            var direct = createUser();
            bind("users", direct.id(), "organization-owner", null);
            Owners.makeLastOwners(group.member(), direct.id());

            List<Integer> statuses = Race.of(() -> removal.apply(group).statusCode(),
                    () -> Owners.deactivate(direct.id()));

            String context = "round " + round + " (" + removal + " vs deactivation): " + statuses;
            assertEquals(1, statuses.stream().filter(s -> s == 409).count(), context);
            assertEquals(1, statuses.stream().filter(s -> s >= 200 && s < 300).count(), context);
            List<String> owners = Owners.active();
            assertEquals(1, owners.size(), context + ", owners " + owners);
            assertTrue(owners.contains(group.member()) || owners.contains(direct.id()), context);
        }
    }

    @Test
    void unbindingOwnerFromAnEmptyGroupWhileTheIdpDeletesItNeverDeadlocks() throws Exception {
        for (int round = 0; round < 8; round++) {
            String group = createGroup(unique("empty-owners"));
            String binding = bind("groups", group, "organization-owner", null);
            List<Integer> statuses = Race.of(
                    () -> asOwner().when().delete("/admin/v1/groups/" + group + "/roles/" + binding).statusCode(),
                    () -> scim().when().delete("/scim/v2/Groups/" + group).statusCode());
            // the admin's unbind answers 204, or 404 when the group went first; the IdP's delete always goes through
            assertTrue(statuses.get(0) == 204 || statuses.get(0) == 404, "round " + round + ": " + statuses);
            assertEquals(204, statuses.get(1), "round " + round + ": " + statuses);
            scim().when().get("/scim/v2/Groups/" + group).then().statusCode(404);
        }
    }

    // --- Helpers -----------------------------------------------------------------------------------------------------

    /** A new user holding a role of its own (so rule 1 never decides) in a new group holding Organization Owner. */
    private static OwnerGroup ownerGroupOfOne() {
        var member = createUser();
        bind("users", member.id(), "content-manager", null);
        String name = unique("owners");
        String group = createGroup(name, member.id());
        String binding = bind("groups", group, "organization-owner", null);
        assertTrue(Owners.isActiveOwner(member.id()), "the premise: the member is an owner through the group");
        return new OwnerGroup(group, name, member.id(), binding);
    }

    private static Snapshot snapshot(OwnerGroup group) {
        JsonPath read = scim().when().get("/scim/v2/Groups/" + group.id()).then().statusCode(200).extract().jsonPath();
        return new Snapshot(read.getString("displayName"), read.getList("members.value"),
                bindings("groups", group.id()), bindings("users", group.member()), Owners.isActiveOwner(group.member()));
    }

    private static Response removeMember(String group, String member) {
        return scim().body(Map.of("schemas", List.of(PATCH_OP), "Operations",
                List.of(Map.of("op", "remove", "path", "members[value eq \"" + member + "\"]"))))
                .when().patch("/scim/v2/Groups/" + group);
    }

    private static io.restassured.specification.RequestSpecification scim() {
        return given().auth().oauth2(AdminFixtures.scimToken()).contentType(AdminFixtures.SCIM_JSON);
    }
}
