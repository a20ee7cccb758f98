package io.rollcall.scim;

import static io.rollcall.scim.GroupsFixtures.createGroup;
import static io.rollcall.scim.GroupsFixtures.createUser;
import static io.rollcall.support.UserFixtures.USERS;
import static io.rollcall.support.UserFixtures.fixture;
import static io.rollcall.support.UserFixtures.scim;
import static io.rollcall.support.UserFixtures.tree;
import static io.rollcall.support.UserFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rollcall.service.UserService;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * The unfiltered Users listing (RFC 7644 §3.4.2): each user is written from its stored document with the groups and
 * roles of the whole page read in one statement, and must be the very representation a GET shows (which reads them
 * per user). A page whose users hold more groups and roles than the server reads for one page ends early: RFC 7644
 * §3.4.2.4 makes {@code count} a desired maximum, {@code itemsPerPage} says how many came, and paging on from it visits
 * every user once.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class UsersListPageTest {

    private static final String NEWEST_FIRST = USERS + "?sortBy=meta.created&sortOrder=descending";

    @Test
    void rfc7644_3_4_2_aListedUserIsTheRepresentationItsGetShows() {
        // an owner may grant the roles the user is created with
        String token = Tokens.withRoles("scim-client", "organization-owner");
        String userName = unique("listed") + "@example.com";
        String id = scim(token).body(fixture("create-with-roles.json", Map.of("userName", userName)))
                .when().post(USERS).then().statusCode(201).extract().path("id");
        String inner = createGroup(token, unique("Inner \"quoted\" \\ group"), id);
        String outer = createGroup(token, unique("Outer"), inner);

        JsonNode listed = tree(scim(token).when().get(NEWEST_FIRST + "&count=5").then().statusCode(200).extract()
                .response()).path("Resources").get(0);
        JsonNode got = tree(scim(token).when().get(USERS + "/" + id).then().statusCode(200).extract().response());

        assertEquals(id, listed.path("id").asText(), "the newest user comes first");
        assertEquals(got, listed);
        Map<String, String> groupTypes = new HashMap<>();
        listed.path("groups").forEach(group -> groupTypes.put(group.path("value").asText(), group.path("type").asText()));
        assertEquals(Map.of(inner, "direct", outer, "indirect"), groupTypes);
        assertTrue(listed.path("groups").get(0).path("$ref").asText().endsWith("/scim/v2/Groups/"
                + listed.path("groups").get(0).path("value").asText()));
        List<String> roles = new ArrayList<>();
        listed.path("roles").forEach(role -> roles.add(role.path("value").asText()));
        assertEquals(List.of("analyze-manager", "inbox-agent"), roles, "ordered by role name");
        assertEquals("Zo\u00eb \u201cListed\u201d O'Brien \\ \"quoted\"", listed.path("displayName").asText());
        assertEquals(List.of("schemas", "id"), List.of(fieldName(listed, 0), fieldName(listed, 1)));
    }

    @Test
    void rfc7644_3_4_2_4_aPageOfUsersInManyGroupsEndsEarlyAndPagingOnFromItsItemsPerPageVisitsEveryUserOnce() {
        String token = Tokens.scimClient();
        int users = 60;
        int groups = 90;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            ids.add(createUser(token, unique("crowded") + "@example.com"));
        }
        for (int i = 0; i < groups; i++) {
            createGroup(token, unique("Crowd " + i), ids);
        }
        // each user shows its 90 groups and its one (fallback) role: 91 rows of the page's budget
        int fitting = UserService.PAGE_RELATION_ROWS / (groups + 1);
        assertTrue(fitting < users, "the budget must cut the page within these users");

        JsonNode first = tree(scim(token).when().get(NEWEST_FIRST + "&startIndex=1&count=100").then().statusCode(200)
                .extract().response());
        assertEquals(fitting, first.path("itemsPerPage").asInt());
        assertEquals(fitting, first.path("Resources").size());
        JsonNode second = tree(scim(token).when().get(NEWEST_FIRST + "&startIndex=" + (1 + fitting) + "&count=100")
                .then().statusCode(200).extract().response());
        assertEquals(first.path("totalResults"), second.path("totalResults"));
        assertEquals(second.path("Resources").size(), second.path("itemsPerPage").asInt());

        List<String> seen = new ArrayList<>();
        for (JsonNode page : List.of(first, second)) {
            page.path("Resources").forEach(user -> {
                if (ids.contains(user.path("id").asText())) {
                    seen.add(user.path("id").asText());
                    assertEquals(groups, user.path("groups").size(), "a listed user shows all of its groups");
                }
            });
        }
        assertEquals(Set.copyOf(ids), Set.copyOf(seen));
        assertEquals(users, seen.size(), "each user once");

        // the root search orders users and groups together (these users are older than these groups) and ends its
        // page at the same user, before any group; paging on from its itemsPerPage reaches the rest, each once
        JsonNode root = rootSearch(token, 1);
        assertEquals(users + groups, root.path("totalResults").asInt());
        assertEquals(fitting, root.path("itemsPerPage").asInt());
        assertEquals(ids.subList(0, fitting), idsOf(root), "the oldest users first");
        JsonNode rest = rootSearch(token, 1 + fitting);
        assertEquals(users - fitting + groups, rest.path("itemsPerPage").asInt());
        assertEquals(ids.subList(fitting, users), idsOf(rest).subList(0, users - fitting));
        Set<String> types = new HashSet<>();
        for (JsonNode resource : rest.path("Resources")) {
            types.add(resource.path("meta").path("resourceType").asText());
        }
        assertEquals(Set.of("User", "Group"), types);
    }

    private static JsonNode rootSearch(String token, int startIndex) {
        return tree(scim(token).body(fixture("search-root-crowd-oldest-first.json",
                Map.of("startIndex", String.valueOf(startIndex)))).when().post("/scim/v2/.search").then().statusCode(200)
                .extract().response());
    }

    private static List<String> idsOf(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("Resources").forEach(resource -> ids.add(resource.path("id").asText()));
        return ids;
    }

    private static String fieldName(JsonNode node, int index) {
        var names = node.fieldNames();
        for (int i = 0; i < index; i++) {
            names.next();
        }
        return names.next();
    }
}
