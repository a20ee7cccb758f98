package io.rollcall.scim;

import static io.rollcall.scim.GroupsFixtures.GROUPS;
import static io.rollcall.scim.GroupsFixtures.USERS;
import static io.rollcall.scim.GroupsFixtures.createGroup;
import static io.rollcall.scim.GroupsFixtures.createUser;
import static io.rollcall.scim.GroupsFixtures.fixture;
import static io.rollcall.scim.GroupsFixtures.getGroup;
import static io.rollcall.scim.GroupsFixtures.memberIds;
import static io.rollcall.scim.GroupsFixtures.members;
import static io.rollcall.scim.GroupsFixtures.unique;
import static io.rollcall.scim.GroupsFixtures.values;
import static io.rollcall.scim.GroupsFixtures.version;
import static io.rollcall.support.ScimErrors.assertScimError;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * A group's ETag (RFC 7644 §3.14) counts membership changes kept off the group row as well as document changes: every
 * change gives a new version, every read (GET, list, search) shows the same one, and If-Match compares against it, for
 * membership PATCHes, document PATCHes, PUT and DELETE alike.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class GroupVersionsTest {

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

    /** What a reader sees of the group: the ETag of a GET, its meta, and the version a list and a search show. */
    private record Seen(long version, Instant lastModified) {
    }

    private static Seen seen(String groupId, String displayName) {
        Response get = scim().when().get(GROUPS + "/" + groupId).then().statusCode(200).extract().response();
        String etag = get.header("ETag");
        assertEquals(etag, get.path("meta.version"), "GET: ETag header and meta.version");
        String filter = "displayName eq \"" + displayName + "\"";
        scim().queryParam("filter", filter).queryParam("excludedAttributes", "members").when().get(GROUPS)
                .then().statusCode(200)
                .body("totalResults", equalTo(1))
                .body("Resources[0].meta.version", equalTo(etag))
                .body("Resources[0].meta.lastModified", equalTo(get.path("meta.lastModified")));
        scim().body("{\"schemas\": [\"urn:ietf:params:scim:api:messages:2.0:SearchRequest\"], \"filter\": "
                        + "\"id eq \\\"" + groupId + "\\\"\"}")
                .when().post(GROUPS + "/.search")
                .then().statusCode(200)
                .body("Resources[0].meta.version", equalTo(etag));
        return new Seen(version(etag), Instant.parse(get.path("meta.lastModified")));
    }

    @Test
    void rfc7644_3_14_everyKindOfChangeGivesTheGroupTheNextVersionAndEveryReadShowsIt() {
        String kept = user("versions-kept");
        String leaving = user("versions-leaving");
        String added = user("versions-added");
        String child = createGroup(token(), unique("ETags child"));
        String name = unique("ETags");
        String id = createGroup(token(), name, kept, child);

        List<Seen> history = new ArrayList<>();
        history.add(seen(id, name));
        List<Supplier<String>> changes = List.of(
                () -> patchEtag(id, fixture("patch-add-member-okta.json", values("memberId", leaving, "display", "l"))),
                () -> patchEtag(id, fixture("patch-add-member-entra.json", values("memberId", added))),
                () -> patchEtag(id, fixture("patch-remove-member.json", values("memberId", added))),
                () -> patchEtag(id, fixture("patch-replace-display-name-entra.json", values("displayName", name))),
                () -> scim().body(fixture("put-okta.json", values("groupId", id, "displayName", name,
                                "members", members(List.of(kept, leaving, child)))))
                        .when().put(GROUPS + "/" + id).then().statusCode(200).extract().header("ETag"),
                () -> {
                    scim().when().delete(USERS + "/" + leaving).then().statusCode(204);
                    return null;
                },
                () -> {
                    scim().when().delete(GROUPS + "/" + child).then().statusCode(204);
                    return null;
                });
        for (Supplier<String> change : changes) {
            String answered = change.get();
            Seen now = seen(id, name);
            Seen before = history.get(history.size() - 1);
            assertEquals(before.version() + 1, now.version(), "change " + history.size() + " counts once");
            if (answered != null) {
                assertEquals(now.version(), version(answered), "change " + history.size() + ": the write's ETag");
            }
            assertTrue(now.lastModified().isAfter(before.lastModified()),
                    "change " + history.size() + ": lastModified " + before.lastModified() + " -> " + now.lastModified());
            history.add(now);
        }
        assertEquals(Set.of(kept), memberIds(token(), id));
    }

    @Test
    void rfc7644_3_14_aMembershipChangeMakesTheEarlierEtagStaleForPatchPutAndDelete() {
        String member = user("stale-member");
        String other = user("stale-other");
        String name = unique("Stale");
        String id = createGroup(token(), name, member);
        String before = getGroup(token(), id).getString("meta.version");
        String after = patchEtag(id, fixture("patch-add-member-okta.json", values("memberId", other, "display", "o")));
        assertEquals(version(before) + 1, version(after));

        String third = user("stale-third");
        assertScimError(scim().header("If-Match", before)
                .body(fixture("patch-add-member-entra.json", values("memberId", third)))
                .when().patch(GROUPS + "/" + id).then(), 412, null, "version");
        assertScimError(scim().header("If-Match", before)
                .body(fixture("patch-remove-member.json", values("memberId", member)))
                .when().patch(GROUPS + "/" + id).then(), 412, null, "version");
        assertScimError(scim().header("If-Match", before)
                .body(fixture("patch-replace-display-name-entra.json", values("displayName", unique("Renamed"))))
                .when().patch(GROUPS + "/" + id).then(), 412, null, "version");
        assertScimError(scim().header("If-Match", before)
                .body(fixture("put-okta.json", values("groupId", id, "displayName", name, "members", members(List.of()))))
                .when().put(GROUPS + "/" + id).then(), 412, null, "version");
        assertScimError(scim().header("If-Match", before).when().delete(GROUPS + "/" + id).then(), 412, null, "version");

        JsonPath unchanged = getGroup(token(), id);
        assertEquals(after, unchanged.getString("meta.version"), "the refused writes changed nothing");
        assertEquals(name, unchanged.getString("displayName"));
        assertEquals(Set.of(member, other), memberIds(token(), id));

        String next = scim().header("If-Match", after)
                .body(fixture("patch-add-member-entra.json", values("memberId", third)))
                .when().patch(GROUPS + "/" + id).then().statusCode(204).extract().header("ETag");
        assertEquals(version(after) + 1, version(next));
        String renamed = unique("Renamed");
        String put = scim().header("If-Match", next)
                .body(fixture("put-okta.json", values("groupId", id, "displayName", renamed,
                        "members", members(List.of(member)))))
                .when().put(GROUPS + "/" + id).then().statusCode(200).extract().header("ETag");
        assertEquals(version(next) + 1, version(put));
        assertEquals(Set.of(member), memberIds(token(), id));
        scim().header("If-Match", put).when().delete(GROUPS + "/" + id).then().statusCode(204);
    }

    /** Incremental syncs filter on meta.lastModified: a membership change makes the group match (RFC 7644 §3.4.2.2). */
    @Test
    void rfc7644_3_4_2_2_aMembershipChangeMovesTheGroupsLastModifiedForFiltersAndSorting() {
        String id = createGroup(token(), unique("Since"));
        String before = getGroup(token(), id).getString("meta.lastModified");
        String filter = "id eq \"" + id + "\" and meta.lastModified gt \"" + before + "\"";
        scim().queryParam("filter", filter).when().get(GROUPS).then().statusCode(200).body("totalResults", equalTo(0));

        patchEtag(id, fixture("patch-add-member-okta.json", values("memberId", user("since"), "display", "s")));

        scim().queryParam("filter", filter).when().get(GROUPS).then().statusCode(200)
                .body("totalResults", equalTo(1))
                .body("Resources[0].id", equalTo(id));
        scim().queryParam("filter", "id eq \"" + id + "\"").queryParam("sortBy", "meta.lastModified")
                .queryParam("sortOrder", "descending").when().get(GROUPS)
                .then().statusCode(200).body("Resources[0].id", equalTo(id));
    }

    @Test
    void rfc7644_3_14_ifNoneMatchWithTheEtagBeforeAMembershipChangeGetsTheGroupAgain() {
        String id = createGroup(token(), unique("Conditional"));
        String before = getGroup(token(), id).getString("meta.version");
        String member = user("conditional");
        String after = patchEtag(id, fixture("patch-add-member-okta.json", values("memberId", member, "display", "c")));

        scim().header("If-None-Match", before).when().get(GROUPS + "/" + id)
                .then().statusCode(200)
                .header("ETag", equalTo(after))
                .body("members[0].value", equalTo(member));
        scim().header("If-None-Match", after).when().get(GROUPS + "/" + id).then().statusCode(304);
    }

    @Test
    void rfc7644_3_14_theIfMatchOfAMembershipPatchIsCheckedBeforeItsMembers() {
        String id = createGroup(token(), unique("Precedence"));
        long current = version(getGroup(token(), id).getString("meta.version"));
        String unknown = UUID.randomUUID().toString();
        assertScimError(scim().header("If-Match", "W/\"" + (current - 1) + "\"")
                .body(fixture("patch-add-member-entra.json", values("memberId", unknown)))
                .when().patch(GROUPS + "/" + id).then(), 412, null, "version");
    }

    @Test
    void rfc7644_3_5_2_membershipPatchesOfAnUnknownGroupAreNotFoundWhateverTheMembers() {
        String id = UUID.randomUUID().toString();
        assertScimError(scim().body(fixture("patch-remove-member.json", values("memberId", user("nowhere-removed"))))
                .when().patch(GROUPS + "/" + id).then(), 404, null, id);
        assertScimError(scim().body(fixture("patch-add-member-entra.json", values("memberId", UUID.randomUUID().toString())))
                .when().patch(GROUPS + "/" + id).then(), 404, null, id);
        assertScimError(scim().header("If-Match", "W/\"1\"")
                .body(fixture("patch-add-member-entra.json", values("memberId", user("nowhere-if-match"))))
                .when().patch(GROUPS + "/" + id).then(), 404, null, id);
    }

    @Test
    void rfc7644_3_5_2_addingManyMembersAtOnceCountsOneChangeAndRefusesAnUnknownOneWhole() {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            users.add(user("batch-" + i));
        }
        String name = unique("Batch");
        String id = createGroup(token(), name, users.get(0));
        long before = version(getGroup(token(), id).getString("meta.version"));

        String etag = patchEtag(id, fixture("patch-add-member-list.json", values("members", members(users))));
        assertEquals(before + 1, version(etag));
        assertEquals(Set.copyOf(users), memberIds(token(), id));

        List<String> withUnknown = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            withUnknown.add(user("batch-more-" + i));
        }
        String unknown = UUID.randomUUID().toString();
        withUnknown.add(2, unknown);
        assertScimError(scim().body(fixture("patch-add-member-list.json", values("members", members(withUnknown))))
                .when().patch(GROUPS + "/" + id).then(), 400, "invalidValue", unknown);
        assertEquals(Set.copyOf(users), memberIds(token(), id), "none of the batch was added");
        assertEquals(before + 1, version(getGroup(token(), id).getString("meta.version")));
    }

    private static String patchEtag(String groupId, String body) {
        Response response = scim().body(body).when().patch(GROUPS + "/" + groupId).then().extract().response();
        assertEquals(204, response.statusCode(), response::asString);
        return response.header("ETag");
    }
}
