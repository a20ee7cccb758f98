package io.rollcall.scim;

import static io.rollcall.scim.GroupsFixtures.GROUPS;
import static io.rollcall.scim.GroupsFixtures.GROUP_SCHEMA;
import static io.rollcall.scim.GroupsFixtures.LIST_RESPONSE;
import static io.rollcall.scim.GroupsFixtures.USERS;
import static io.rollcall.scim.GroupsFixtures.createGroup;
import static io.rollcall.scim.GroupsFixtures.createGroupResponse;
import static io.rollcall.scim.GroupsFixtures.createUser;
import static io.rollcall.scim.GroupsFixtures.fixture;
import static io.rollcall.scim.GroupsFixtures.getGroup;
import static io.rollcall.scim.GroupsFixtures.memberIds;
import static io.rollcall.scim.GroupsFixtures.members;
import static io.rollcall.scim.GroupsFixtures.unique;
import static io.rollcall.scim.GroupsFixtures.values;
import static io.rollcall.scim.GroupsFixtures.version;
import static io.rollcall.support.ScimErrors.assertScimError;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * SCIM Groups CRUD and queries: create (RFC 7644 §3.3), read with projection and If-None-Match (§3.4.1, §3.4.2.5,
 * §3.14), replace (§3.5.1), delete (§3.6), list/search with filter, sort and paging (§3.4.2, §3.4.3), the Group schema's
 * members (RFC 7643 §4.2) and the User's read-only groups, direct and indirect (RFC 7643 §4.1.2). Identity-provider
 * shapes follow Okta's SCIM 2.0 docs (members without type, PUT with the full member list).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class GroupsCrudTest {

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

    // --- create (RFC 7644 §3.3, RFC 7643 §4.2) ----------------------------------------------------------------------

    @Test
    void rfc7644_3_3_createWithUsersNestedGroupAndUntypedMembersIs201WithLocationEtagAndFullMembers() {
        String typedName = unique("typed") + "@example.com";
        String untypedName = unique("untyped") + "@example.com";
        String typedUser = createUser(token(), typedName);
        String untypedUser = createUser(token(), untypedName);
        String nestedName = unique("Nested");
        String nested = group(nestedName);
        String displayName = unique("Engineering");
        String externalId = unique("okta-ext");

        Response response = scim().body(fixture("create-with-members.json", values(
                        "displayName", displayName, "externalId", externalId,
                        "typedUserId", typedUser, "nestedGroupId", nested,
                        "untypedUserId", untypedUser, "untypedUserName", untypedName)))
                .when().post(GROUPS)
                .then().statusCode(201)
                .contentType(startsWith("application/scim+json"))
                .body("schemas", contains(GROUP_SCHEMA))
                .body("id", notNullValue())
                .body("displayName", equalTo(displayName))
                .body("externalId", equalTo(externalId))
                .body("meta.resourceType", equalTo("Group"))
                .body("members.size()", equalTo(3))
                .extract().response();

        String id = response.path("id");
        String location = response.header("Location");
        assertTrue(location.startsWith("http"), location);
        assertTrue(location.endsWith("/scim/v2/Groups/" + id), location);
        assertEquals(location, response.path("meta.location"));
        assertEquals(response.path("meta.version"), response.header("ETag"));
        version(response.header("ETag"));

        JsonPath body = response.jsonPath();
        Map<String, Object> typed = member(body, typedUser);
        assertEquals("User", typed.get("type"));
        assertEquals(typedName, typed.get("display"));
        assertTrue(((String) typed.get("$ref")).endsWith("/scim/v2/Users/" + typedUser), typed.toString());

        Map<String, Object> untyped = member(body, untypedUser);
        assertEquals("User", untyped.get("type"), "a member sent without type (as Okta does) is typed from what it is");
        assertEquals(untypedName, untyped.get("display"));
        assertTrue(((String) untyped.get("$ref")).endsWith("/scim/v2/Users/" + untypedUser), untyped.toString());

        Map<String, Object> group = member(body, nested);
        assertEquals("Group", group.get("type"));
        assertEquals(nestedName, group.get("display"));
        assertTrue(((String) group.get("$ref")).endsWith("/scim/v2/Groups/" + nested), group.toString());
        assertTrue(((String) group.get("$ref")).startsWith("http"), group.toString());
    }

    @Test
    void rfc7643_4_2_createWithoutDisplayNameIsInvalidValue() {
        assertScimError(scim().body(fixture("create-without-display-name.json", values("externalId", unique("ext"))))
                .when().post(GROUPS).then(), 400, "invalidValue", "displayName");
    }

    @ParameterizedTest(name = "member {0}")
    @ValueSource(strings = { "random-uuid", "not-a-uuid" })
    void rfc7644_3_3_memberThatIsNoUserOrGroupOfTheOrganizationIsInvalidValueAndNothingIsCreated(String kind) {
        String memberId = kind.equals("random-uuid") ? UUID.randomUUID().toString() : "not-a-uuid-" + unique("x");
        String displayName = unique("Ghosts");
        assertScimError(scim().body(fixture("create-one-member.json", values("displayName", displayName,
                        "memberId", memberId)))
                .when().post(GROUPS).then(), 400, "invalidValue", memberId);
        assertNoGroupNamed(displayName);
    }

    @Test
    void rfc7643_4_2_memberTypeGroupOnAUserIdIsInvalidValueAndNothingIsCreated() {
        String userId = user("typed-wrong");
        String displayName = unique("Mistyped");
        assertScimError(scim().body(fixture("create-one-typed-member.json", values("displayName", displayName,
                        "memberId", userId, "type", "Group")))
                .when().post(GROUPS).then(), 400, "invalidValue", userId);
        assertNoGroupNamed(displayName);
    }

    @Test
    void rfc7643_4_2_memberTypeUserOnAGroupIdIsInvalidValue() {
        String groupId = group(unique("Real"));
        String displayName = unique("Mistyped");
        assertScimError(scim().body(fixture("create-one-typed-member.json", values("displayName", displayName,
                        "memberId", groupId, "type", "User")))
                .when().post(GROUPS).then(), 400, "invalidValue", groupId);
        assertNoGroupNamed(displayName);
    }

    @Test
    void rfc7643_3_entraCreateGroupListingItsOwnSchemaUriIsCreatedAndAnswersOnlyTheCoreSchema() {
        // Entra ID's documented Create Group request lists a schema URI of its own that has no attributes in the body
        Response created = scim().body(fixture("create-entra.json", Map.of())).when().post(GROUPS);
        created.then().statusCode(201)
                .body("schemas", contains(GROUP_SCHEMA))
                .body("displayName", equalTo("displayName"))
                .body("externalId", equalTo("8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159"));
        assertEquals(List.of(GROUP_SCHEMA), getGroup(token(), created.path("id")).getList("schemas"));
    }

    @Test
    void rfc7643_3_attributesUnderASchemaUriTheServerDoesNotKnowAreInvalidValueAndNothingIsCreated() {
        String displayName = unique("Unknown extension");
        assertScimError(scim().body(fixture("create-unknown-extension-attributes.json", values("displayName", displayName,
                        "externalId", unique("ext"))))
                .when().post(GROUPS).then(), 400, "invalidValue",
                "'urn:example:scim:schemas:extension:unknown:2.0:Group' is not a schema extension of Group resources");
        assertNoGroupNamed(displayName);
    }

    // --- read (RFC 7644 §3.4.1, §3.4.2.5, §3.14) ----------------------------------------------------------------------

    @Test
    void rfc7644_3_4_1_getReturnsTheGroupWithItsMembersAndEtag() {
        String userName = unique("reader") + "@example.com";
        String userId = createUser(token(), userName);
        String displayName = unique("Readers");
        String id = group(displayName, userId);

        Response response = scim().when().get(GROUPS + "/" + id)
                .then().statusCode(200)
                .contentType(startsWith("application/scim+json"))
                .body("schemas", contains(GROUP_SCHEMA))
                .body("id", equalTo(id))
                .body("displayName", equalTo(displayName))
                .body("members.value", contains(userId))
                .body("members[0].display", equalTo(userName))
                .body("members[0].type", equalTo("User"))
                .body("members[0].$ref", endsWith("/scim/v2/Users/" + userId))
                .body("meta.resourceType", equalTo("Group"))
                .body("meta.location", endsWith("/scim/v2/Groups/" + id))
                .body("meta.created", notNullValue())
                .body("meta.lastModified", notNullValue())
                .extract().response();
        assertEquals(response.path("meta.version"), response.header("ETag"));
    }

    @Test
    void rfc7644_3_4_1_getOfAnUnknownGroupIsNotFound() {
        String id = UUID.randomUUID().toString();
        assertScimError(scim().when().get(GROUPS + "/" + id).then(), 404, null, id);
    }

    @Test
    void rfc7644_3_4_2_5_excludedAttributesMembersLeavesMembersOut() {
        String userId = user("excluded");
        String displayName = unique("Excluded");
        String id = group(displayName, userId);
        scim().queryParam("excludedAttributes", "members").when().get(GROUPS + "/" + id)
                .then().statusCode(200)
                .body("id", equalTo(id))
                .body("displayName", equalTo(displayName))
                .body("members", nullValue())
                .body("meta.version", notNullValue());
    }

    @Test
    void rfc7644_3_4_2_5_attributesDisplayNameReturnsOnlyDisplayNameAndTheAlwaysReturnedId() {
        String userId = user("projected");
        String displayName = unique("Projected");
        String id = group(displayName, userId);
        scim().queryParam("attributes", "displayName").when().get(GROUPS + "/" + id)
                .then().statusCode(200)
                .body("id", equalTo(id))
                .body("displayName", equalTo(displayName))
                .body("members", nullValue())
                .body("externalId", nullValue());
    }

    @Test
    void rfc7644_3_14_ifNoneMatchWithTheCurrentEtagIs304AndAStaleOneGetsTheGroup() {
        String id = group(unique("Cached"), user("cached"));
        String etag = scim().when().get(GROUPS + "/" + id).then().statusCode(200).extract().header("ETag");

        scim().header("If-None-Match", etag).when().get(GROUPS + "/" + id)
                .then().statusCode(304)
                .header("ETag", equalTo(etag))
                .body(emptyOrNullString());

        String stale = "W/\"" + (version(etag) + 7) + "\"";
        scim().header("If-None-Match", stale).when().get(GROUPS + "/" + id)
                .then().statusCode(200)
                .body("id", equalTo(id));
    }

    // --- replace (RFC 7644 §3.5.1) -----------------------------------------------------------------------------------

    @Test
    void rfc7644_3_5_1_putWithTheFullMemberListReplacesMembershipAndBumpsTheVersion() {
        String kept = user("kept");
        String dropped = user("dropped");
        String addedName = unique("added") + "@example.com";
        String added = createUser(token(), addedName);
        String nested = group(unique("NestedAdded"));
        String id = group(unique("Okta Push"), kept, dropped);
        String before = getGroup(token(), id).getString("meta.version");
        String renamed = unique("Okta Push renamed");

        Response response = scim().body(fixture("put-okta.json", values("groupId", id, "displayName", renamed,
                        "members", members(List.of(kept, added, nested)))))
                .when().put(GROUPS + "/" + id)
                .then().statusCode(200)
                .body("id", equalTo(id))
                .body("displayName", equalTo(renamed))
                .body("members.value", containsInAnyOrder(kept, added, nested))
                .extract().response();
        assertEquals(version(before) + 1, version(response.header("ETag")));
        assertEquals(response.header("ETag"), response.path("meta.version"));

        JsonPath stored = getGroup(token(), id);
        assertEquals(renamed, stored.getString("displayName"));
        assertEquals(Set.of(kept, added, nested), Set.copyOf(stored.getList("members.value", String.class)));
        assertEquals("User", member(stored, added).get("type"));
        assertEquals(addedName, member(stored, added).get("display"));
        assertEquals("Group", member(stored, nested).get("type"));
        assertFalse(userGroupIds(dropped).contains(id), "the member left out of the PUT is no longer in the group");
    }

    @Test
    void rfc7644_3_5_1_putWithoutMembersRemovesEveryMember() {
        String id = group(unique("Emptied"), user("emptied-a"), user("emptied-b"));
        scim().body(fixture("put-okta.json", values("groupId", id, "displayName", unique("Emptied"),
                        "members", members(List.of()))))
                .when().put(GROUPS + "/" + id)
                .then().statusCode(200)
                .body("members", nullValue());
        assertEquals(Set.of(), memberIds(token(), id));
    }

    @Test
    void rfc7644_3_14_putWithAStaleIfMatchIs412AndChangesNothing() {
        String member = user("stale-put");
        String displayName = unique("Guarded");
        String id = group(displayName, member);
        long current = GroupsFixtures.groupVersion(token(), id);

        assertScimError(scim().header("If-Match", "W/\"" + (current - 1) + "\"")
                .body(fixture("put-okta.json", values("groupId", id, "displayName", unique("Overwritten"),
                        "members", members(List.of()))))
                .when().put(GROUPS + "/" + id).then(), 412, null, "version");

        JsonPath stored = getGroup(token(), id);
        assertEquals(displayName, stored.getString("displayName"));
        assertEquals(List.of(member), stored.getList("members.value", String.class));
        assertEquals(current, version(stored.getString("meta.version")));

        scim().header("If-Match", "W/\"" + current + "\"")
                .body(fixture("put-okta.json", values("groupId", id, "displayName", displayName,
                        "members", members(List.of()))))
                .when().put(GROUPS + "/" + id)
                .then().statusCode(200)
                .header("ETag", equalTo("W/\"" + (current + 1) + "\""));
    }

    // --- delete (RFC 7644 §3.6) -------------------------------------------------------------------------------------

    @Test
    void rfc7644_3_6_deleteIs204ThenNotFoundAndTheGroupLeavesItsMembersAndTheGroupsThatContainedIt() {
        String userId = user("orphaned");
        String child = group(unique("Child"), userId);
        String parent = group(unique("Parent"), child);
        assertTrue(userGroupIds(userId).containsAll(Set.of(child, parent)));

        scim().when().delete(GROUPS + "/" + child).then().statusCode(204).body(emptyOrNullString());

        assertScimError(scim().when().get(GROUPS + "/" + child).then(), 404, null, child);
        assertScimError(scim().when().delete(GROUPS + "/" + child).then(), 404, null, child);
        assertFalse(memberIds(token(), parent).contains(child), "the deleted group left its parent's members");
        Set<String> groups = userGroupIds(userId);
        assertFalse(groups.contains(child), "the deleted group left its member's User.groups");
        assertFalse(groups.contains(parent), "nor does the member reach the parent through the deleted group");
        scim().queryParam("filter", "members.value eq \"" + child + "\"").when().get(GROUPS)
                .then().statusCode(200).body("totalResults", equalTo(0));
    }

    @Test
    void rfc7644_3_6_deletingAUserRemovesItFromItsGroups() {
        String leaving = user("leaving");
        String staying = user("staying");
        String first = group(unique("First"), leaving, staying);
        String second = group(unique("Second"), leaving);

        scim().when().delete(USERS + "/" + leaving).then().statusCode(204);

        assertEquals(Set.of(staying), memberIds(token(), first));
        assertEquals(Set.of(), memberIds(token(), second));
        scim().queryParam("filter", "members.value eq \"" + leaving + "\"").when().get(GROUPS)
                .then().statusCode(200).body("totalResults", equalTo(0));
    }

    /**
     * A group's representation changes when one of its members is deleted, so its ETag must too (RFC 7644 §3.14,
     * RFC 9110 §8.8.3): otherwise If-None-Match with the old tag answers 304 and the client keeps a member list naming a
     * deleted resource.
     */
    @Test
    void rfc7644_3_14_deletingAMemberChangesTheEtagOfTheGroupsThatContainedIt() {
        String user = user("etag-member");
        String child = group(unique("EtagChild"));
        String parent = group(unique("EtagParent"), user, child);
        String before = scim().when().get(GROUPS + "/" + parent).then().statusCode(200).extract().header("ETag");

        scim().when().delete(USERS + "/" + user).then().statusCode(204);
        String afterUser = scim().header("If-None-Match", before).when().get(GROUPS + "/" + parent)
                .then().statusCode(200)
                .body("members.value", contains(child))
                .extract().header("ETag");
        assertTrue(version(afterUser) > version(before), before + " -> " + afterUser);

        scim().when().delete(GROUPS + "/" + child).then().statusCode(204);
        String afterGroup = scim().header("If-None-Match", afterUser).when().get(GROUPS + "/" + parent)
                .then().statusCode(200)
                .body("members", nullValue())
                .extract().header("ETag");
        assertTrue(version(afterGroup) > version(afterUser), afterUser + " -> " + afterGroup);
    }

    // --- User.groups (RFC 7643 §4.1.2) and nesting without cycles ----------------------------------------------------

    @Test
    void rfc7643_4_1_2_userGroupsShowsDirectAndIndirectMembershipsThroughANestedGroup() {
        String userId = user("nested-member");
        String innerName = unique("Inner");
        String inner = group(innerName, userId);
        String outerName = unique("Outer");
        String outer = group(outerName, inner);
        String topName = unique("Top");
        String top = group(topName, outer);

        JsonPath user = scim().when().get(USERS + "/" + userId).then().statusCode(200).extract().jsonPath();
        Map<String, Object> direct = userGroup(user, inner);
        assertEquals("direct", direct.get("type"));
        assertEquals(innerName, direct.get("display"));
        assertTrue(((String) direct.get("$ref")).endsWith("/scim/v2/Groups/" + inner), direct.toString());
        Map<String, Object> indirect = userGroup(user, outer);
        assertEquals("indirect", indirect.get("type"));
        assertEquals(outerName, indirect.get("display"));
        assertEquals("indirect", userGroup(user, top).get("type"));
        assertEquals(topName, userGroup(user, top).get("display"));
        assertEquals(3, user.getList("groups").size());

        // once also a direct member of the outer group, it is shown once, as direct
        scim().body(fixture("patch-add-member-okta.json", values("memberId", userId, "display", "x")))
                .when().patch(GROUPS + "/" + outer).then().statusCode(204);
        JsonPath again = scim().when().get(USERS + "/" + userId).then().statusCode(200).extract().jsonPath();
        assertEquals("direct", userGroup(again, outer).get("type"));
        assertEquals(3, again.getList("groups").size());
    }

    @Test
    void rfc7644_3_5_2_addingAGroupToAGroupItContainsIsInvalidValue() {
        String b = group(unique("CycleB"));
        String a = group(unique("CycleA"), b);
        long versionOfB = GroupsFixtures.groupVersion(token(), b);

        assertScimError(scim().body(fixture("patch-add-member-okta.json", values("memberId", a, "display", "A")))
                .when().patch(GROUPS + "/" + b).then(), 400, "invalidValue", "cycle");
        assertEquals(Set.of(), memberIds(token(), b));
        assertEquals(versionOfB, GroupsFixtures.groupVersion(token(), b));

        // through a longer chain: A ⊃ B ⊃ C, then C ⊃ A
        String c = group(unique("CycleC"));
        scim().body(fixture("patch-add-member-okta.json", values("memberId", c, "display", "C")))
                .when().patch(GROUPS + "/" + b).then().statusCode(204);
        assertScimError(scim().body(fixture("patch-add-member-okta.json", values("memberId", a, "display", "A")))
                .when().patch(GROUPS + "/" + c).then(), 400, "invalidValue", "cycle");
        assertEquals(Set.of(), memberIds(token(), c));

        // and through PUT
        assertScimError(scim().body(fixture("put-okta.json", values("groupId", c, "displayName", unique("CycleC"),
                        "members", members(List.of(a)))))
                .when().put(GROUPS + "/" + c).then(), 400, "invalidValue", "cycle");
        assertEquals(Set.of(), memberIds(token(), c));
    }

    @Test
    void rfc7644_3_5_2_aGroupAsItsOwnMemberIsInvalidValue() {
        String id = group(unique("Narcissus"));
        assertScimError(scim().body(fixture("patch-add-member-okta.json", values("memberId", id, "display", "self")))
                .when().patch(GROUPS + "/" + id).then(), 400, "invalidValue", "cycle");
        assertScimError(scim().body(fixture("put-okta.json", values("groupId", id, "displayName", unique("Narcissus"),
                        "members", members(List.of(id)))))
                .when().put(GROUPS + "/" + id).then(), 400, "invalidValue", "cycle");
        assertEquals(Set.of(), memberIds(token(), id));
    }

    // --- list and .search (RFC 7644 §3.4.2, §3.4.3) -----------------------------------------------------------------

    @Test
    void rfc7644_3_4_2_2_filterDisplayNameEqIsCaseInsensitive() {
        String displayName = unique("Sales Team");
        String id = group(displayName);
        group(unique("Sales Team")); // a neighbour that must not match

        scim().queryParam("filter", "displayName eq \"" + displayName.toUpperCase() + "\"").when().get(GROUPS)
                .then().statusCode(200)
                .contentType(startsWith("application/scim+json"))
                .body("schemas", contains(LIST_RESPONSE))
                .body("totalResults", equalTo(1))
                .body("Resources.id", contains(id))
                .body("Resources[0].displayName", equalTo(displayName));
    }

    @Test
    void rfc7644_3_4_2_2_filterExternalIdEq() {
        String externalId = unique("00g1emaKYZTWRYYRRTSK");
        String id = createGroupResponse(token(), unique("External"), externalId, List.of()).path("id");
        createGroupResponse(token(), unique("External"), unique("other"), List.of());

        scim().queryParam("filter", "externalId eq \"" + externalId + "\"").when().get(GROUPS)
                .then().statusCode(200)
                .body("totalResults", equalTo(1))
                .body("Resources.id", contains(id))
                .body("Resources[0].externalId", equalTo(externalId));
    }

    @Test
    void rfc7644_3_4_2_2_filterMembersValueEqFindsTheGroupsOfAUser() {
        String userId = user("filtered-member");
        String first = group(unique("HasMember"), userId);
        String second = group(unique("HasMemberToo"), userId, user("someone-else"));
        group(unique("WithoutMember"), user("not-them"));

        scim().queryParam("filter", "members.value eq \"" + userId + "\"").when().get(GROUPS)
                .then().statusCode(200)
                .body("totalResults", equalTo(2))
                .body("Resources.id", containsInAnyOrder(first, second));
        scim().queryParam("filter", "members[value eq \"" + userId + "\"]").when().get(GROUPS)
                .then().statusCode(200)
                .body("Resources.id", containsInAnyOrder(first, second));
    }

    @Test
    void rfc7644_3_4_2_2_filterMembersTypeEqGroupFindsGroupsWithNestedGroups() {
        String prefix = unique("Typed");
        String nested = group(prefix + " nested", user("typed-filter"));
        String parent = group(prefix + " parent", nested);
        group(prefix + " users-only", user("typed-filter-2"));

        scim().queryParam("filter", "members[type eq \"Group\"] and displayName sw \"" + prefix + "\"")
                .when().get(GROUPS)
                .then().statusCode(200)
                .body("totalResults", equalTo(1))
                .body("Resources.id", contains(parent));
        scim().queryParam("filter", "members[type eq \"User\"] and displayName sw \"" + prefix + "\"")
                .when().get(GROUPS)
                .then().statusCode(200)
                .body("totalResults", equalTo(2))
                .body("Resources.id", not(hasItem(parent)));
    }

    /** A group's meta.version counts its membership-only changes too (GroupVersionCounters); the filter sees the same. */
    @Test
    void rfc7644_3_4_2_2_filterMetaVersionMatchesTheVersionTheGroupShows() {
        String displayName = unique("Versioned");
        String id = group(displayName);
        String before = getGroup(token(), id).getString("meta.version");
        String after = scim().body(fixture("patch-add-member-okta.json", values("memberId", user("versioned"),
                "display", "v"))).when().patch(GROUPS + "/" + id).then().statusCode(204).extract().header("ETag");
        assertTrue(version(after) > version(before), before + " then " + after);
        String self = "displayName eq \"" + displayName + "\" and ";
        scim().queryParam("filter", self + "meta.version eq \"" + after.replace("\"", "\\\"") + "\"").when().get(GROUPS)
                .then().statusCode(200).body("totalResults", equalTo(1)).body("Resources[0].meta.version", equalTo(after));
        scim().queryParam("filter", self + "meta.version eq \"" + before.replace("\"", "\\\"") + "\"").when().get(GROUPS)
                .then().statusCode(200).body("totalResults", equalTo(0));
        scim().queryParam("filter", self + "meta.resourceType eq \"Group\"").when().get(GROUPS)
                .then().statusCode(200).body("totalResults", equalTo(1));
    }

    @ParameterizedTest
    @ValueSource(strings = { "members", "members.value", "meta.location" })
    void rfc7644_3_4_2_3_sortByWhatHasNoSingleValueIsInvalidValue(String sortBy) {
        assertScimError(scim().queryParam("sortBy", sortBy).when().get(GROUPS).then(), 400, "invalidValue", sortBy);
    }

    @Test
    void rfc7644_3_4_2_3_sortByDisplayNameAscendingAndDescending() {
        String prefix = unique("Sorted");
        group(prefix + " charlie");
        group(prefix + " Alpha");
        group(prefix + " bravo");
        String filter = "displayName sw \"" + prefix + "\"";

        scim().queryParam("filter", filter).queryParam("sortBy", "displayName").when().get(GROUPS)
                .then().statusCode(200)
                .body("totalResults", equalTo(3))
                .body("Resources.displayName", contains(prefix + " Alpha", prefix + " bravo", prefix + " charlie"));
        scim().queryParam("filter", filter).queryParam("sortBy", "displayName").queryParam("sortOrder", "descending")
                .when().get(GROUPS)
                .then().statusCode(200)
                .body("Resources.displayName", contains(prefix + " charlie", prefix + " bravo", prefix + " Alpha"));
    }

    @Test
    void rfc7644_3_4_2_4_pagingWithStartIndexAndCount() {
        String prefix = unique("Paged");
        for (int i = 1; i <= 5; i++) {
            group(prefix + " " + i);
        }
        String filter = "displayName sw \"" + prefix + "\"";
        List<String> seen = new java.util.ArrayList<>();
        for (int startIndex : new int[] { 1, 3, 5 }) {
            Response page = scim().queryParam("filter", filter).queryParam("sortBy", "displayName")
                    .queryParam("startIndex", startIndex).queryParam("count", 2)
                    .when().get(GROUPS)
                    .then().statusCode(200)
                    .body("totalResults", equalTo(5))
                    .body("startIndex", equalTo(startIndex))
                    .body("itemsPerPage", equalTo(startIndex == 5 ? 1 : 2))
                    .extract().response();
            seen.addAll(page.jsonPath().getList("Resources.displayName", String.class));
        }
        assertEquals(List.of(prefix + " 1", prefix + " 2", prefix + " 3", prefix + " 4", prefix + " 5"), seen);
    }

    @Test
    void rfc7644_3_4_2_4_countZeroReturnsOnlyTheTotal() {
        String prefix = unique("Counted");
        group(prefix + " one");
        group(prefix + " two");
        scim().queryParam("filter", "displayName sw \"" + prefix + "\"").queryParam("count", 0).when().get(GROUPS)
                .then().statusCode(200)
                .body("schemas", contains(LIST_RESPONSE))
                .body("totalResults", equalTo(2))
                .body("itemsPerPage", equalTo(0))
                .body("Resources", org.hamcrest.Matchers.anyOf(nullValue(), org.hamcrest.Matchers.empty()));
    }

    @Test
    void rfc7644_3_4_3_searchWithPostDotSearch() {
        String prefix = unique("Searched");
        String userId = user("searched");
        String first = group(prefix + " a", userId);
        String second = group(prefix + " b", userId);
        group(prefix + " c");

        scim().body(fixture("search.json", values("filter",
                        "displayName sw \"" + prefix + "\" and members.value eq \"" + userId + "\"")))
                .when().post(GROUPS + "/.search")
                .then().statusCode(200)
                .contentType(startsWith("application/scim+json"))
                .body("schemas", contains(LIST_RESPONSE))
                .body("totalResults", equalTo(2))
                .body("Resources.id", contains(second, first))
                .body("Resources.members", everyItem(nullValue()))
                .body("Resources.displayName", contains(prefix + " b", prefix + " a"));
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private static void assertNoGroupNamed(String displayName) {
        scim().queryParam("filter", "displayName eq \"" + displayName + "\"").when().get(GROUPS)
                .then().statusCode(200).body("totalResults", equalTo(0));
    }

    private static Map<String, Object> member(JsonPath group, String id) {
        List<Map<String, Object>> members = group.getList("members");
        return members.stream().filter(m -> id.equals(m.get("value"))).findFirst()
                .orElseThrow(() -> new AssertionError("No member " + id + " in " + members));
    }

    private static Map<String, Object> userGroup(JsonPath user, String groupId) {
        List<Map<String, Object>> groups = user.getList("groups");
        if (groups == null) {
            throw new AssertionError("The user has no groups; expected " + groupId);
        }
        return groups.stream().filter(g -> groupId.equals(g.get("value"))).findFirst()
                .orElseThrow(() -> new AssertionError("No group " + groupId + " in " + groups));
    }

    private static Set<String> userGroupIds(String userId) {
        List<String> ids = scim().when().get(USERS + "/" + userId).then().statusCode(200).extract().jsonPath()
                .getList("groups.value", String.class);
        return ids == null ? Set.of() : Set.copyOf(ids);
    }
}
