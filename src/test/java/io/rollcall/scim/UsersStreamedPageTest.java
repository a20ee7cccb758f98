package io.rollcall.scim;

import static io.rollcall.scim.GroupsFixtures.createGroup;
import static io.rollcall.scim.GroupsFixtures.createUser;
import static io.rollcall.support.UserFixtures.USERS;
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
 * A Users page bigger than {@link PageBatches#MAX_ITEMS} is read and written a batch at a time (chunked), and says
 * the same as a page built whole would: every user in order, each with its groups and roles, the total, and
 * {@code itemsPerPage} for the users written (RFC 7644 §3.4.2.4).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class UsersStreamedPageTest {

    private static final int USERS_ON_PAGE = 2 * PageBatches.MAX_ITEMS + 30;
    private static final String PREFIX = unique("streamed");
    private static final List<String> IDS = new ArrayList<>();
    private static String group;

    private static synchronized void createUsers() {
        if (!IDS.isEmpty()) {
            return;
        }
        String token = Tokens.scimClient();
        for (int i = 0; i < USERS_ON_PAGE; i++) {
            IDS.add(createUser(token, PREFIX + "-" + String.format("%03d", i) + "@example.com"));
        }
        group = createGroup(token, unique("Streamed"), IDS.subList(0, 5));
    }

    private static Response page(String query) {
        createUsers();
        return scim(Tokens.scimClient()).when().get(USERS + "?filter=userName sw \"" + PREFIX + "\"&sortBy=userName"
                + query);
    }

    @Test
    void rfc7644_3_4_2_4_aPageOfManyUsersIsStreamedWithEveryUserInOrderAndItsCounts() {
        Response response = page("&count=1000");
        response.then().statusCode(200);
        assertEquals("chunked", response.header("Transfer-Encoding"), "written as it is read");
        JsonNode body = tree(response);

        assertEquals(USERS_ON_PAGE, body.path("totalResults").asInt());
        assertEquals(USERS_ON_PAGE, body.path("itemsPerPage").asInt());
        assertEquals(1, body.path("startIndex").asInt());
        List<String> ids = new ArrayList<>();
        body.path("Resources").forEach(user -> ids.add(user.path("id").asText()));
        assertEquals(IDS, ids, "every user once, by userName");
        JsonNode first = body.path("Resources").get(0);
        assertEquals(group, first.path("groups").get(0).path("value").asText(), "groups read for streamed users");
        assertFalse(first.path("roles").isEmpty(), "roles read for streamed users (the fallback role)");
        assertEquals("User", first.path("meta").path("resourceType").asText());
    }

    @Test
    void rfc7644_3_4_2_4_aStreamedPageStartsWhereAskedAndCountsWhatItWrote() {
        JsonNode body = tree(page("&startIndex=101&count=150").then().statusCode(200).extract().response());

        assertEquals(USERS_ON_PAGE, body.path("totalResults").asInt());
        assertEquals(101, body.path("startIndex").asInt());
        assertEquals(USERS_ON_PAGE - 100, body.path("itemsPerPage").asInt());
        assertEquals(IDS.get(100), body.path("Resources").get(0).path("id").asText());
        assertEquals(IDS.get(USERS_ON_PAGE - 1), body.path("Resources").get(USERS_ON_PAGE - 101).path("id").asText());
    }

    @Test
    void rfc7643_7_aStreamedPageAppliesTheProjectionToEveryUser() {
        JsonNode body = tree(page("&count=1000&attributes=userName").then().statusCode(200).extract().response());

        assertEquals(USERS_ON_PAGE, body.path("Resources").size());
        body.path("Resources").forEach(user -> {
            assertTrue(user.has("userName") && user.has("id"), user.toString());
            assertFalse(user.has("groups") || user.has("roles") || user.has("meta"), user.toString());
        });
    }

    @Test
    void rfc7644_3_4_2_4_aStreamedPagePastTheEndIsEmptyWithTheTotal() {
        JsonNode body = tree(page("&startIndex=1000&count=500").then().statusCode(200).extract().response());

        assertEquals(USERS_ON_PAGE, body.path("totalResults").asInt());
        assertEquals(0, body.path("itemsPerPage").asInt());
        assertEquals(0, body.path("Resources").size());
    }
}
