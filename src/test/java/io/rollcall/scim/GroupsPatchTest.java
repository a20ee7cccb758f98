package io.rollcall.scim;

import static io.rollcall.scim.GroupsFixtures.GROUPS;
import static io.rollcall.scim.GroupsFixtures.GROUP_SCHEMA;
import static io.rollcall.scim.GroupsFixtures.createGroup;
import static io.rollcall.scim.GroupsFixtures.createUser;
import static io.rollcall.scim.GroupsFixtures.fixture;
import static io.rollcall.scim.GroupsFixtures.getGroup;
import static io.rollcall.scim.GroupsFixtures.groupVersion;
import static io.rollcall.scim.GroupsFixtures.memberIds;
import static io.rollcall.scim.GroupsFixtures.members;
import static io.rollcall.scim.GroupsFixtures.unique;
import static io.rollcall.scim.GroupsFixtures.values;
import static io.rollcall.scim.GroupsFixtures.version;
import static io.rollcall.support.ScimErrors.assertScimError;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * Group PATCH (RFC 7644 §3.5.2) in the request shapes identity providers send: Okta's SCIM 2.0 docs (members with
 * {@code display} and no {@code type}, {@code members[value eq "…"]} removal, {@code replace} of the whole list, a
 * no-path {@code replace} whose value carries {@code id} and {@code displayName}) and Microsoft Entra ID's "Develop and
 * plan provisioning for a SCIM endpoint" ({@code Add}/{@code Remove}/{@code Replace} capitalised, {@code "$ref": null},
 * removal by a value list). All operations of a request apply or none do; every PATCH bumps the version by one and
 * honours If-Match (RFC 7644 §3.14).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class GroupsPatchTest {

    private static String token;

    private static synchronized String token() {
        if (token == null) {
            token = Tokens.scimClient();
        }
        return token;
    }

    private static RequestSpecification scim() {
        return GroupsFixtures.scim(token());
    }

    private static String user(String prefix) {
        return createUser(token(), unique(prefix) + "@example.com");
    }

    private static String group(String displayName, String... memberIds) {
        return createGroup(token(), displayName, memberIds);
    }

    /** PATCHes the group with the fixture and expects 204 with an ETag one above the version it had. */
    private static void patch(String groupId, String fixture, Map<String, Object> values) {
        long before = groupVersion(token(), groupId);
        Response response = scim().body(fixture(fixture, values)).when().patch(GROUPS + "/" + groupId)
                .then().extract().response();
        assertEquals(204, response.statusCode(), () -> fixture + " answered " + response.asString());
        assertEquals("", response.asString(), "a 204 has no body");
        assertEquals(before + 1, version(response.header("ETag")), "ETag of the PATCH answer");
    }

    private static ValidatableResponse patchAnswer(String groupId, String fixture, Map<String, Object> values) {
        return scim().body(fixture(fixture, values)).when().patch(GROUPS + "/" + groupId).then();
    }

    // --- add (RFC 7644 §3.5.2.1) ------------------------------------------------------------------------------------

    @Test
    void rfc7644_3_5_2_1_oktaAddsOneMemberWithDisplayAndNoType() {
        String existing = user("existing");
        String addedName = unique("okta-added") + "@example.com";
        String added = createUser(token(), addedName);
        String id = group(unique("Okta Add"), existing);

        patch(id, "patch-add-member-okta.json", values("memberId", added, "display", addedName));

        JsonPath stored = getGroup(token(), id);
        assertEquals(Set.of(existing, added), Set.copyOf(stored.getList("members.value", String.class)));
        Map<String, Object> member = member(stored, added);
        assertEquals("User", member.get("type"));
        assertEquals(addedName, member.get("display"));
    }

    @Test
    void rfc7644_3_5_2_1_addsSeveralMembersWithoutTypeUsersAndAGroup() {
        String first = user("several-1");
        String second = user("several-2");
        String nested = group(unique("Several nested"));
        String id = group(unique("Several"));

        patch(id, "patch-add-members.json", values("first", first, "second", second, "third", nested));

        JsonPath stored = getGroup(token(), id);
        assertEquals(Set.of(first, second, nested), Set.copyOf(stored.getList("members.value", String.class)));
        assertEquals("User", member(stored, first).get("type"));
        assertEquals("User", member(stored, second).get("type"));
        assertEquals("Group", member(stored, nested).get("type"));
    }

    @Test
    void rfc7644_3_5_2_1_entraAddCapitalisedWithNullRef() {
        String existing = user("entra-existing");
        String added = user("entra-added");
        String id = group(unique("Entra Add"), existing);

        patch(id, "patch-add-member-entra.json", values("memberId", added));

        assertEquals(Set.of(existing, added), memberIds(token(), id));
    }

    @Test
    void rfc7644_3_5_2_1_addingAnExistingMemberAgainIsANoOp() {
        String member = user("again");
        String id = group(unique("Again"), member);

        patch(id, "patch-add-member-okta.json", values("memberId", member, "display", "again"));
        patch(id, "patch-add-member-entra.json", values("memberId", member));

        List<String> ids = getGroup(token(), id).getList("members.value", String.class);
        assertEquals(List.of(member), ids, "still exactly one entry");
    }

    @Test
    void rfc7643_4_2_addingAMemberWithTheWrongTypeIsInvalidValue() {
        assertAddRefusedAndNothingChanged(user("wrong-type"), "Group");
    }

    // --- remove (RFC 7644 §3.5.2.2) ---------------------------------------------------------------------------------

    @Test
    void rfc7644_3_5_2_2_removesOneMemberSelectedByValueFilter() {
        String removed = user("removed");
        String kept = user("kept");
        String id = group(unique("Remove one"), removed, kept);

        patch(id, "patch-remove-member.json", values("memberId", removed));

        assertEquals(Set.of(kept), memberIds(token(), id));
    }

    @Test
    void rfc7644_3_5_2_2_entraRemoveCapitalisedWithAValueList() {
        String removed = user("entra-removed");
        String kept = user("entra-kept");
        String id = group(unique("Entra Remove"), removed, kept);

        patch(id, "patch-remove-member-entra.json", values("memberId", removed));

        assertEquals(Set.of(kept), memberIds(token(), id));
    }

    @Test
    void rfc7644_3_5_2_2_removesSeveralMembersSelectedByAnOrFilter() {
        String a = user("or-a");
        String b = user("or-b");
        String c = user("or-c");
        String id = group(unique("Remove or"), a, b, c);

        patch(id, "patch-remove-members-or.json", values("first", a, "second", b));

        assertEquals(Set.of(c), memberIds(token(), id));
    }

    @Test
    void rfc7644_3_5_2_2_removeOfMembersWithoutValueRemovesEveryMember() {
        String id = group(unique("Remove all"), user("all-a"), user("all-b"), group(unique("all-nested")));

        patch(id, "patch-remove-all-members.json", values());

        scim().when().get(GROUPS + "/" + id).then().statusCode(200).body("members", nullValue());
    }

    @Test
    void rfc7644_3_5_2_2_removingANonMemberIsANoOp() {
        String member = user("member");
        String stranger = user("stranger");
        String id = group(unique("Remove stranger"), member);

        patch(id, "patch-remove-member.json", values("memberId", stranger));
        patch(id, "patch-remove-member-entra.json", values("memberId", UUID.randomUUID().toString()));

        assertEquals(Set.of(member), memberIds(token(), id));
    }

    @Test
    void rfc7644_3_5_2_oktaRemovesAndAddsInOneRequest() {
        String removed = user("okta-out");
        String kept = user("okta-stays");
        String addedName = unique("okta-in") + "@example.com";
        String added = createUser(token(), addedName);
        String id = group(unique("Okta membership"), removed, kept);

        patch(id, "patch-membership-okta.json", values("removedId", removed, "addedId", added,
                "addedDisplay", addedName));

        assertEquals(Set.of(kept, added), memberIds(token(), id));
    }

    // --- replace (RFC 7644 §3.5.2.3) --------------------------------------------------------------------------------

    @Test
    void rfc7644_3_5_2_3_oktaReplaceMembersWithAListSetsExactlyThatList() {
        String dropped = user("replace-dropped");
        String kept = user("replace-kept");
        String added = user("replace-added");
        String nested = group(unique("replace-nested"));
        String id = group(unique("Okta Replace"), dropped, kept);

        patch(id, "patch-replace-members-okta.json", values("members", members(List.of(kept, added, nested))));

        JsonPath stored = getGroup(token(), id);
        assertEquals(Set.of(kept, added, nested), Set.copyOf(stored.getList("members.value", String.class)));
        assertEquals("Group", member(stored, nested).get("type"));
    }

    @Test
    void rfc7644_3_5_2_3_oktaReplaceMembersWithAnEmptyListRemovesEveryMember() {
        String id = group(unique("Okta Replace empty"), user("empty-a"), user("empty-b"));

        patch(id, "patch-replace-members-okta.json", values("members", members(List.of())));

        assertEquals(Set.of(), memberIds(token(), id));
    }

    /**
     * Okta renames a group with a no-path replace whose value also carries the group's own {@code id}. {@code id} is
     * readOnly (RFC 7643 §3.1); sending it unchanged modifies nothing, so it is ignored (as RFC 7644 §3.5.1 does for
     * readOnly values on PUT) and the rename applies.
     */
    @Test
    void rfc7644_3_5_2_3_oktaNoPathReplaceWithIdAndDisplayNameRenamesTheGroup() {
        String member = user("renamed-member");
        String id = group(unique("Okta before"), member);
        String renamed = unique("Okta after");

        patch(id, "patch-rename-okta.json", values("groupId", id, "displayName", renamed));

        JsonPath stored = getGroup(token(), id);
        assertEquals(id, stored.getString("id"));
        assertEquals(renamed, stored.getString("displayName"));
        assertEquals(Set.of(member), Set.copyOf(stored.getList("members.value", String.class)));
    }

    @Test
    void rfc7644_3_5_2_3_entraReplaceDisplayNameWithPath() {
        String member = user("entra-renamed-member");
        String id = group(unique("Entra before"), member);
        String renamed = unique("Entra after");

        patch(id, "patch-replace-display-name-entra.json", values("displayName", renamed));

        JsonPath stored = getGroup(token(), id);
        assertEquals(renamed, stored.getString("displayName"));
        assertEquals(Set.of(member), Set.copyOf(stored.getList("members.value", String.class)));
        scim().queryParam("filter", "displayName eq \"" + renamed + "\"").when().get(GROUPS)
                .then().statusCode(200).body("totalResults", equalTo(1));
    }

    @Test
    void rfc7644_3_5_2_3_replaceOfAMemberValueIsMutability() {
        String member = user("immutable");
        String other = user("other");
        String id = group(unique("Immutable"), member);
        long before = groupVersion(token(), id);

        assertScimError(patchAnswer(id, "patch-replace-member-value.json", values("memberId", member, "otherId", other)),
                400, "mutability", "");

        assertEquals(Set.of(member), memberIds(token(), id));
        assertEquals(before, groupVersion(token(), id));
    }

    // --- response, versions and preconditions (RFC 7644 §3.5.2, §3.14) ----------------------------------------------

    @Test
    void rfc7644_3_5_2_withoutAttributesThePatchAnswers204WithTheNewEtag() {
        String id = group(unique("No content"));
        Response response = scim().body(fixture("patch-add-member-okta.json", values("memberId", user("nc"),
                        "display", "nc")))
                .when().patch(GROUPS + "/" + id)
                .then().statusCode(204).body(emptyOrNullString()).header("ETag", notNullValue())
                .extract().response();
        scim().when().get(GROUPS + "/" + id).then().statusCode(200)
                .header("ETag", equalTo(response.header("ETag")))
                .body("meta.version", equalTo(response.header("ETag")));
    }

    @Test
    void rfc7644_3_5_2_withAttributesThePatchAnswers200WithTheProjectedResource() {
        String first = user("projected-1");
        String second = user("projected-2");
        String displayName = unique("Projected patch");
        String id = group(displayName, first);

        Response response = scim().queryParam("attributes", "members,displayName")
                .body(fixture("patch-add-member-okta.json", values("memberId", second, "display", "second")))
                .when().patch(GROUPS + "/" + id)
                .then().statusCode(200)
                .contentType(startsWith("application/scim+json"))
                .body("id", equalTo(id))
                .body("displayName", equalTo(displayName))
                .body("members.value", containsInAnyOrder(first, second))
                .body("members.type", containsInAnyOrder("User", "User"))
                .body("externalId", nullValue())
                .extract().response();
        assertEquals(groupVersion(token(), id), version(response.header("ETag")));
    }

    @Test
    void rfc7644_3_14_everyPatchBumpsTheVersionByOne() {
        String a = user("bump-a");
        String b = user("bump-b");
        String id = group(unique("Bumped"));
        long start = groupVersion(token(), id);

        String etag1 = patchAnswer(id, "patch-add-member-okta.json", values("memberId", a, "display", "a"))
                .statusCode(204).extract().header("ETag");
        String etag2 = patchAnswer(id, "patch-add-member-entra.json", values("memberId", b))
                .statusCode(204).extract().header("ETag");
        String etag3 = patchAnswer(id, "patch-remove-member.json", values("memberId", a))
                .statusCode(204).extract().header("ETag");
        String etag4 = patchAnswer(id, "patch-replace-display-name-entra.json", values("displayName", unique("Bumped")))
                .statusCode(204).extract().header("ETag");

        assertEquals(List.of(start + 1, start + 2, start + 3, start + 4),
                List.of(version(etag1), version(etag2), version(etag3), version(etag4)));
        assertEquals(start + 4, groupVersion(token(), id));
    }

    @Test
    void rfc7644_3_5_2_allOperationsOrNoneAnUnknownMemberUndoesTheEarlierAdd() {
        String userX = user("atomic-x");
        String unknown = UUID.randomUUID().toString();
        String id = group(unique("Atomic"));
        long before = groupVersion(token(), id);

        assertScimError(patchAnswer(id, "patch-add-then-unknown.json", values("memberId", userX, "unknownId", unknown)),
                400, "invalidValue", unknown)
                .body("detail", equalTo("Operation 2 (add members): Member '" + unknown + "' is not a user or group of "
                        + "this organization"));

        assertEquals(Set.of(), memberIds(token(), id), "userX was not added");
        assertEquals(before, groupVersion(token(), id));
    }

    @Test
    void rfc7644_3_5_2_1_oneAddNamingAnUnknownIdAddsNoneOfItsMembers() {
        String known = user("one-add-known");
        String unknown = UUID.randomUUID().toString();
        String id = group(unique("One add, one unknown"));
        long before = groupVersion(token(), id);

        assertScimError(patchAnswer(id, "patch-add-members.json", values("first", known, "second", unknown, "third",
                known)), 400, "invalidValue", unknown)
                .body("detail", equalTo("Operation 1 (add members): Member '" + unknown + "' is not a user or group of "
                        + "this organization"));

        assertEquals(Set.of(), memberIds(token(), id), "the known user was not added either");
        assertEquals(before, groupVersion(token(), id));
    }

    @Test
    void rfc7643_4_2_aGroupAddedAsTypeUserIsInvalidValueAndNotAdded() {
        assertAddRefusedAndNothingChanged(group(unique("Typed as user")), "User");
    }

    @Test
    void rfc7644_3_5_2_1_aGroupAddedWithoutTypeBecomesANestedMember() {
        String nested = group(unique("Nested, no type"));
        String id = group(unique("Parent, no type"));

        patch(id, "patch-add-members.json", values("first", nested, "second", nested, "third", nested));

        assertEquals(Set.of(nested), memberIds(token(), id));
        assertEquals("Group", member(getGroup(token(), id), nested).get("type"));
    }

    @Test
    void rfc7644_3_5_2_2_removeFromAnUnknownGroupIsNotFound() {
        String id = UUID.randomUUID().toString();
        assertScimError(patchAnswer(id, "patch-remove-member-entra.json", values("memberId", user("not-removed"))), 404,
                null, id);
    }

    @Test
    void rfc7644_3_5_2_allOperationsOrNoneAnUnknownMemberUndoesTheRename() {
        String displayName = unique("Atomic rename");
        String id = group(displayName);
        String unknown = UUID.randomUUID().toString();

        assertScimError(patchAnswer(id, "patch-rename-then-unknown-member.json", values("displayName",
                unique("Never"), "unknownId", unknown)), 400, "invalidValue", unknown)
                .body("detail", equalTo("Operation 2 (add members): Member '" + unknown + "' is not a user or group of "
                        + "this organization"));

        assertEquals(displayName, getGroup(token(), id).getString("displayName"));
    }

    @Test
    void rfc7644_3_5_2_aFailingDocumentOperationIsNamedByItsPlaceInTheRequest() {
        String member = user("never-added");
        String id = group(unique("Named operation"));
        long before = groupVersion(token(), id);

        assertScimError(patchAnswer(id, "patch-add-member-then-unknown-attribute.json", values("memberId", member)),
                400, "invalidPath", "")
                .body("detail", equalTo("Operation 2 (replace nosuchattr): Unknown attribute 'nosuchattr' for Group "
                        + "resources"));

        assertEquals(Set.of(), memberIds(token(), id), "operation 1 was not applied");
        assertEquals(before, groupVersion(token(), id));
    }

    @Test
    void rfc7644_3_5_2_aCycleNamesTheOperationThatAddedTheGroup() {
        String member = user("cycle-op");
        String child = group(unique("Cycle child"));
        String parent = group(unique("Cycle parent"), child);
        long before = groupVersion(token(), child);

        assertScimError(patchAnswer(child, "patch-add-members-in-two-operations.json", values("first", member,
                "second", parent)), 400, "invalidValue", "")
                .body("detail", equalTo("Operation 2 (add members): Adding group member(s) [" + parent + "] would make "
                        + "group " + child + " contain itself; nested groups may not form a cycle"));

        assertEquals(Set.of(), memberIds(token(), child));
        assertEquals(before, groupVersion(token(), child));
    }

    @Test
    void rfc7644_3_5_2_2_removeWithoutPathIsNoTarget() {
        String member = user("no-target");
        String id = group(unique("No target"), member);
        long before = groupVersion(token(), id);

        assertScimError(patchAnswer(id, "patch-remove-no-path.json", values()), 400, "noTarget", "")
                .body("detail", equalTo("Operation 1 (remove) needs a \"path\""));

        assertEquals(Set.of(member), memberIds(token(), id));
        assertEquals(before, groupVersion(token(), id));
    }

    @Test
    void rfc7644_3_10_displayNameQualifiedWithTheGroupSchemaUrnIsReplaced() {
        String id = group(unique("Urn before"));
        String byPath = unique("Urn path");
        patch(id, "patch-core-urn-display-name.json", values("displayName", byPath));
        assertEquals(byPath, getGroup(token(), id).getString("displayName"));

        String byKey = unique("Urn key");
        patch(id, "patch-core-urn-display-name-no-path.json", values("displayName", byKey));
        JsonPath stored = getGroup(token(), id);
        assertEquals(byKey, stored.getString("displayName"));
        assertEquals(List.of(GROUP_SCHEMA), stored.getList("schemas"), "no other schema: " + stored.prettify());
        assertEquals(Set.of("schemas", "id", "externalId", "displayName", "meta"), stored.getMap("").keySet(),
                "no attribute named by the URN: " + stored.prettify());
    }

    @Test
    void rfc7644_3_14_patchWithAStaleIfMatchIs412AndChangesNothing() {
        String member = user("if-match");
        String id = group(unique("If-Match"));
        long current = groupVersion(token(), id);

        assertScimError(scim().header("If-Match", "W/\"" + (current + 3) + "\"")
                .body(fixture("patch-add-member-okta.json", values("memberId", member, "display", "m")))
                .when().patch(GROUPS + "/" + id).then(), 412, null, "version");
        assertEquals(Set.of(), memberIds(token(), id));
        assertEquals(current, groupVersion(token(), id));

        scim().header("If-Match", "W/\"" + current + "\"")
                .body(fixture("patch-add-member-okta.json", values("memberId", member, "display", "m")))
                .when().patch(GROUPS + "/" + id)
                .then().statusCode(204)
                .header("ETag", equalTo("W/\"" + (current + 1) + "\""));
        assertEquals(Set.of(member), memberIds(token(), id));
    }

    @Test
    void rfc7644_3_5_2_patchOfAnUnknownGroupIsNotFound() {
        String id = UUID.randomUUID().toString();
        assertScimError(patchAnswer(id, "patch-add-member-entra.json", values("memberId", user("nowhere"))), 404, null,
                id);
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    /** Adding the member with this (wrong) type is a 400 invalidValue naming it, and the group stays as it was. */
    private static void assertAddRefusedAndNothingChanged(String memberId, String type) {
        String id = group(unique("Mistyped member"));
        long before = groupVersion(token(), id);
        String actual = type.equals("User") ? "Group" : "User";
        assertScimError(patchAnswer(id, "patch-add-typed-member.json", values("memberId", memberId, "type", type)),
                400, "invalidValue", memberId)
                .body("detail", equalTo("Operation 1 (add members): Member '" + memberId + "' is a " + actual
                        + ", not a " + type));
        assertEquals(Set.of(), memberIds(token(), id));
        assertEquals(before, groupVersion(token(), id));
    }

    private static Map<String, Object> member(JsonPath group, String id) {
        List<Map<String, Object>> members = group.getList("members");
        return members.stream().filter(m -> id.equals(m.get("value"))).findFirst()
                .orElseThrow(() -> new AssertionError("No member " + id + " in " + members));
    }
}
