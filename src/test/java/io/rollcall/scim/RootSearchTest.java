package io.rollcall.scim;

import static io.rollcall.scim.GroupsFixtures.USERS;
import static io.rollcall.scim.GroupsFixtures.createGroupResponse;
import static io.rollcall.scim.GroupsFixtures.fixture;
import static io.rollcall.scim.GroupsFixtures.values;
import static io.rollcall.support.ScimErrors.assertScimError;
import static io.rollcall.support.UserFixtures.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.rollcall.scim.GroupsFixtures.RawJson;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * {@code POST /scim/v2/.search} across Users and Groups (RFC 7644 §3.4.3) over three users and three groups made once
 * per run, users first: displayNames "{@code <prefix> b-user}", "d-user", "f-user" and "a-group", "c-group",
 * "e-group", so that creation order (users, then groups) and displayName order (interleaved) differ. Every query is
 * scoped to them, as the database is shared with other tests.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class RootSearchTest {

    private static final String SEARCH = "/scim/v2/.search";
    private static final List<String> CREATED = List.of("b-user", "d-user", "f-user", "a-group", "c-group", "e-group");
    private static final Set<String> GROUPS = Set.of("a-group", "c-group", "e-group");
    private static final Set<String> USERS_MADE = Set.of("b-user", "d-user", "f-user");

    private static String token;
    private static String run;

    /** Makes the data set once; answers the run's token, which starts every displayName, userName and externalId. */
    private static synchronized String run() {
        if (run == null) {
            token = Tokens.scimClient();
            String made = "rs" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
            for (String label : CREATED) {
                String letter = label.substring(0, 1);
                if (label.endsWith("-user")) {
                    GroupsFixtures.scim(token).body(fixture("root-search-user.json", values("userName",
                            made + "-" + letter + "@example.com", "externalId", made + "-" + letter, "displayName",
                            made + " " + label))).when().post(USERS).then().statusCode(201);
                } else {
                    createGroupResponse(token, made + " " + label, made + "-" + letter, List.of());
                }
            }
            run = made;
        }
        return run;
    }

    private static String scope() {
        return "displayName sw \"" + run() + " \"";
    }

    private static Response post(String filter, String sortBy, String sortOrder, Integer startIndex, Integer count) {
        run();
        return GroupsFixtures.scim(token).body(fixture("root-search.json", values("filter", json(filter),
                "sortBy", json(sortBy), "sortOrder", json(sortOrder), "startIndex", json(startIndex), "count", json(count))))
                .when().post(SEARCH);
    }

    private static JsonNode search(String filter, String sortBy, String sortOrder, Integer startIndex, Integer count) {
        Response response = post(filter, sortBy, sortOrder, startIndex, count);
        response.then().statusCode(200);
        return tree(response);
    }

    private static JsonNode search(String filter, String sortBy, String sortOrder) {
        return search(filter, sortBy, sortOrder, null, null);
    }

    private static RawJson json(Object value) {
        return new RawJson(value == null ? "null" : value instanceof String text ? TextNode.valueOf(text).toString()
                : value.toString());
    }

    /** The resources' labels ("b-user", "a-group"), checked against their meta.resourceType. */
    private static List<String> labels(JsonNode body) {
        List<String> labels = new ArrayList<>();
        for (JsonNode resource : body.path("Resources")) {
            String label = resource.path("displayName").asText().substring(run().length() + 1);
            assertEquals(label.endsWith("-user") ? "User" : "Group", resource.path("meta").path("resourceType").asText(),
                    resource.toString());
            labels.add(label);
        }
        assertEquals(labels.size(), body.path("itemsPerPage").asInt(), body.toString());
        return labels;
    }

    // --- filter (RFC 7644 §3.4.2, §3.4.2.2) ---------------------------------------------------------------------------

    @Test
    void rfc7644_3_4_3_aFilterBothTypesUnderstandFindsUsersAndGroupsAndCountsBoth() {
        for (String filter : new String[] { scope(), "externalId sw \"" + run() + "-\"" }) {
            JsonNode body = search(filter, null, null);
            assertEquals(6, body.path("totalResults").asInt(), filter + ": " + body);
            assertEquals(CREATED, labels(body), "without sortBy, by meta.created: " + filter);
        }
    }

    @Test
    void rfc7644_3_4_3_withoutAFilterTotalResultsCountsEveryUserAndGroup() {
        run();
        int users = GroupsFixtures.scim(token).queryParam("count", 0).when().get(USERS).then().statusCode(200)
                .extract().path("totalResults");
        int groups = GroupsFixtures.scim(token).queryParam("count", 0).when().get(GroupsFixtures.GROUPS).then()
                .statusCode(200).extract().path("totalResults");
        JsonNode page = search(null, null, null, 1, 3);
        assertEquals(users + groups, page.path("totalResults").asInt(), page.toString());
        assertEquals(3, page.path("Resources").size(), page.toString());
        assertEquals(3, page.path("itemsPerPage").asInt());
        assertEquals(users + groups, search(null, null, null, 1, 0).path("totalResults").asInt());
    }

    @Test
    void rfc7644_3_4_2_2_aFilterOnlyUsersUnderstandFindsOnlyUsers() {
        JsonNode body = search("userName sw \"" + run() + "-d\"", null, null);
        assertEquals(1, body.path("totalResults").asInt(), body.toString());
        assertEquals(List.of("d-user"), labels(body));
    }

    /** RFC 7644 §3.4.2: in a type without the attribute it has no value, so pr is false there and ne true. */
    @Test
    void rfc7644_3_4_2_anAttributeOnlyUsersHaveHasNoValueInGroups() {
        assertEquals(List.of("a-group", "c-group", "e-group"),
                labels(search(scope() + " and not (userName pr)", null, null)));
        assertEquals(List.of("d-user", "f-user", "a-group", "c-group", "e-group"),
                labels(search(scope() + " and userName ne \"" + run() + "-b@example.com\"", null, null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filtersNoTypeUnderstands")
    void rfc7644_3_4_2_2_aFilterNoTypeUnderstandsIsInvalidFilter(String filter, String named) {
        assertScimError(post(filter, null, null, null, null).then(), 400, "invalidFilter", named);
    }

    static Stream<Arguments> filtersNoTypeUnderstands() {
        return Stream.of(Arguments.of("shoeSize eq \"42\"", "shoeSize"),
                Arguments.of("userName sw \"x\" or shoeSize pr", "shoeSize"),
                Arguments.of("meta.location pr", "meta.location"));
    }

    @Test
    void rfc7643_3_1_metaResourceTypeTellsUsersFromGroups() {
        assertEquals(List.of("a-group", "c-group", "e-group"),
                labels(search(scope() + " and meta.resourceType eq \"Group\"", null, null)));
        assertEquals(List.of("b-user", "d-user", "f-user"),
                labels(search(scope() + " and meta.resourceType eq \"User\"", null, null)));
        // "Group" sorts before "User"
        List<String> sorted = labels(search(scope(), "meta.resourceType", null));
        assertEquals(GROUPS, Set.copyOf(sorted.subList(0, 3)), sorted.toString());
        assertEquals(USERS_MADE, Set.copyOf(sorted.subList(3, 6)), sorted.toString());
    }

    // --- sort (RFC 7644 §3.4.2.3) -------------------------------------------------------------------------------------

    @Test
    void rfc7644_3_4_2_3_sortByAnAttributeBothTypesHaveOrdersUsersAndGroupsTogether() {
        List<String> ascending = List.of("a-group", "b-user", "c-group", "d-user", "e-group", "f-user");
        assertEquals(ascending, labels(search(scope(), "displayName", null)));
        assertEquals(List.of("f-user", "e-group", "d-user", "c-group", "b-user", "a-group"),
                labels(search(scope(), "displayName", "descending")));
    }

    @Test
    void rfc7644_3_4_2_3_sortByAnAttributeOnlyUsersHaveSortsGroupsAsUnassigned() {
        List<String> ascending = labels(search(scope(), "userName", "ascending"));
        assertEquals(List.of("b-user", "d-user", "f-user"), ascending.subList(0, 3), "users first, by userName");
        assertEquals(GROUPS, Set.copyOf(ascending.subList(3, 6)), "groups last ascending: " + ascending);
        List<String> descending = labels(search(scope(), "userName", "descending"));
        assertEquals(GROUPS, Set.copyOf(descending.subList(0, 3)), "groups first descending: " + descending);
        assertEquals(List.of("f-user", "d-user", "b-user"), descending.subList(3, 6));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unsortable")
    void rfc7644_3_4_2_3_sortByWhatNoTypeCanSortByIsInvalidValue(String sortBy, String named) {
        assertScimError(post(scope(), sortBy, null, null, null).then(), 400, "invalidValue", named);
    }

    static Stream<Arguments> unsortable() {
        return Stream.of(Arguments.of("shoeSize", "shoeSize"),
                Arguments.of("members", "members"),
                Arguments.of("groups", "groups"),
                Arguments.of("emails[type eq \"work\"].value", "emails"),
                Arguments.of("meta.location", "meta.location"));
    }

    // --- paging (RFC 7644 §3.4.2.4) -----------------------------------------------------------------------------------

    @Test
    void rfc7644_3_4_2_4_pagesStraddleTheBoundaryBetweenUsersAndGroups() {
        List<String> seen = new ArrayList<>();
        for (int startIndex : new int[] { 1, 3, 5 }) {
            JsonNode page = search(scope(), null, null, startIndex, 2);
            assertEquals(6, page.path("totalResults").asInt(), "the total of both types on every page: " + page);
            assertEquals(startIndex, page.path("startIndex").asInt());
            seen.addAll(labels(page));
        }
        assertEquals(CREATED, seen);
        assertEquals(List.of("f-user", "a-group", "c-group"), labels(search(scope(), null, null, 3, 3)));
        // sorted, the boundary is wherever the sort puts it
        assertEquals(List.of("c-group", "d-user", "e-group"), labels(search(scope(), "displayName", null, 3, 3)));
    }

    @Test
    void rfc7644_3_4_2_4_countZeroAndPastTheLastPageGiveTheTotalOfBothTypes() {
        JsonNode totalOnly = search(scope(), null, null, 1, 0);
        assertEquals(6, totalOnly.path("totalResults").asInt(), totalOnly.toString());
        assertEquals(0, totalOnly.path("Resources").size(), totalOnly.toString());
        JsonNode past = search(scope(), null, null, 50, 10);
        assertEquals(6, past.path("totalResults").asInt(), past.toString());
        assertEquals(0, past.path("Resources").size(), past.toString());
    }
}
