package io.rollcall.scim;

import static io.rollcall.scim.GroupsFixtures.createGroup;
import static io.rollcall.scim.GroupsFixtures.createUser;
import static io.rollcall.support.UserFixtures.scim;
import static io.rollcall.support.UserFixtures.tree;
import static io.rollcall.support.UserFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.rollcall.service.PageBatches;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * A root {@code .search} page (RFC 7644 §3.4.3) bigger than {@link PageBatches#MAX_ITEMS} is read and written a batch
 * at a time (chunked), users and groups in one order, each group with its members in its place, and says what a page
 * built whole would: the total, {@code itemsPerPage} for what was written, and a {@code nextCursor} after the last
 * resource written (RFC 9865).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class RootSearchStreamedPageTest {

    private static final int USERS_ON_PAGE = 2 * PageBatches.MAX_ITEMS + 30;
    private static final int GROUP_EVERY = 50;
    private static final String PREFIX = unique("rootstream");
    /** Users and groups in the order they were created: the search's default order (meta.created, then id). */
    private static final List<String> IDS = new ArrayList<>();
    private static final List<String> GROUPS = new ArrayList<>();

    private static synchronized void createResources() {
        if (!IDS.isEmpty()) {
            return;
        }
        String token = Tokens.scimClient();
        List<String> users = new ArrayList<>();
        for (int i = 0; i < USERS_ON_PAGE; i++) {
            String user = createUser(token, PREFIX + "-" + String.format("%03d", i) + "@example.com");
            users.add(user);
            IDS.add(user);
            if (i % GROUP_EVERY == GROUP_EVERY - 1) {
                String group = createGroup(token, PREFIX + "-group-" + i, users.subList(i - 2, i + 1));
                GROUPS.add(group);
                IDS.add(group);
            }
        }
    }

    private static Response search(String paging) {
        createResources();
        return scim(Tokens.scimClient()).body("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:SearchRequest\"],"
                + "\"filter\":\"userName sw \\\"" + PREFIX + "\\\" or displayName sw \\\"" + PREFIX + "-group\\\"\","
                + paging + "}").when().post("/scim/v2/.search");
    }

    @Test
    void rfc7644_3_4_3_aBigRootSearchPageIsStreamedWithUsersAndGroupsInOrderAndTheirMembers() {
        Response response = search("\"count\":1000");
        response.then().statusCode(200);
        assertEquals("chunked", response.header("Transfer-Encoding"), "written as it is read");
        JsonNode body = tree(response);

        assertEquals(IDS.size(), body.path("totalResults").asInt());
        assertEquals(IDS.size(), body.path("itemsPerPage").asInt());
        List<String> ids = new ArrayList<>();
        body.path("Resources").forEach(resource -> ids.add(resource.path("id").asText()));
        assertEquals(IDS, ids, "every user and group once, by meta.created");
        int groupsSeen = 0;
        for (JsonNode resource : body.path("Resources")) {
            if (resource.path("meta").path("resourceType").asText().equals("Group")) {
                groupsSeen++;
                assertEquals(3, resource.path("members").size(), "a streamed group carries its members: " + resource);
            }
        }
        assertEquals(GROUPS.size(), groupsSeen);
    }

    @Test
    void rfc7644_3_4_3_aBigRootSearchPageOfUsersOnlyIsWrittenAsItIsReadAndCountedAtItsEnd() {
        createResources();
        Response response = scim(Tokens.scimClient()).body("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:"
                + "SearchRequest\"],\"filter\":\"userName sw \\\"" + PREFIX + "\\\"\",\"count\":1000}")
                .when().post("/scim/v2/.search");
        response.then().statusCode(200);
        // a page written as its resources are read can only count them at its end; a page built whole states
        // itemsPerPage before Resources
        String body = response.asString();
        assertTrue(body.indexOf("\"itemsPerPage\"") > body.indexOf("\"Resources\""), "itemsPerPage after Resources");
        assertEquals(USERS_ON_PAGE, tree(response).path("itemsPerPage").asInt());
    }

    @Test
    void rfc9865_aStreamedRootPageAskedByCursorEndsWithTheCursorOfItsLastResource() {
        JsonNode first = tree(search("\"count\":150,\"cursor\":\"\"").then().statusCode(200).extract().response());
        assertEquals(150, first.path("itemsPerPage").asInt());
        assertFalse(first.has("startIndex"), "a cursor page states no startIndex");
        String next = first.path("nextCursor").asText();
        assertFalse(next.isEmpty(), "more follow: " + first.path("nextCursor"));

        JsonNode second = tree(search("\"count\":150,\"cursor\":\"" + next + "\"").then().statusCode(200).extract()
                .response());
        List<String> ids = new ArrayList<>();
        first.path("Resources").forEach(resource -> ids.add(resource.path("id").asText()));
        second.path("Resources").forEach(resource -> ids.add(resource.path("id").asText()));
        assertEquals(IDS, ids, "the two pages hold every resource once, in order");
        assertTrue(second.path("nextCursor").isMissingNode(), "the last page has no nextCursor");
    }
}
