package io.rollcall.scim;

import static io.restassured.RestAssured.given;
import static io.rollcall.support.ScimErrors.assertScimError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.rollcall.config.RollcallConfig;
import io.rollcall.http.MediaTypes;
import io.rollcall.resource.KeysetPosition;
import io.rollcall.resource.Paging;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * RFC 9865 cursor pagination on {@code /Users}, {@code /Groups}, {@code /Roles} and the {@code .search} endpoints,
 * against the running server: a walk by cursor shows exactly what the index walk shows, in every order, on the
 * streamed Users path too; rows inserted or deleted while paging skip and repeat nothing; cursors are bound to the
 * organization, the query and the count, and expire. Each data set is made once per run under a prefix of its own,
 * as the database is shared with other tests; only the insert test changes its own set.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class CursorPaginationTest {

    private static final String USERS = "/scim/v2/Users";
    private static final String GROUPS = "/scim/v2/Groups";
    private static final String ROLES = "/scim/v2/Roles";
    private static final String ROOT_SEARCH = "/scim/v2/.search";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The users of the ordering walks, by index: displayNames that tie case-insensitively and are missing on three,
     * family names missing on every third, externalIds out of creation order. No emails: a sort by them sorts only
     * unassigned values, by id.
     */
    private static final List<String> DISPLAY_NAMES = java.util.Arrays.asList("Ana", "ana", "ANA", null, "Bo", null,
            "bo", "Cy", "ana", null, "Zed", "cy", "Éva", "Bo");

    private static String token;
    private static String prefix;
    private static List<String> created;

    @Inject
    Cursors cursors;

    @Inject
    RollcallConfig config;

    private static synchronized String token() {
        if (token == null) {
            token = Tokens.scimClient();
        }
        return token;
    }

    /** The users of the ordering walks, made once; answers the filter that selects exactly them. */
    private static synchronized String users() {
        if (prefix == null) {
            String made = "cur" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < DISPLAY_NAMES.size(); i++) {
                String displayName = DISPLAY_NAMES.get(i);
                ids.add(createUser(token(), made + "-" + String.format("%02d", i) + "@example.com",
                        made + "-" + (i * 5 % DISPLAY_NAMES.size()), displayName,
                        i % 3 == 0 ? null : List.of("Lima", "lima", "Souza", "Ng").get(i % 4), i % 2 == 0));
            }
            created = ids;
            prefix = made;
        }
        return "userName sw \"" + prefix + "-\"";
    }

    static Stream<Arguments> orders() {
        List<Arguments> orders = new ArrayList<>();
        for (String sortBy : List.of("displayName", "name.familyName", "externalId", "userName", "active",
                "meta.created", "meta.lastModified", "emails", "meta.resourceType")) {
            orders.add(Arguments.of(sortBy, "ascending"));
            orders.add(Arguments.of(sortBy, "descending"));
        }
        return orders.stream();
    }

    @Test
    void rfc9865_2_aWalkByCursorOverAFilteredSetShowsWhatTheIndexWalkShows() {
        Map<String, String> query = Map.of("filter", users());

        List<String> byCursor = walkByCursor(USERS, query, 4);

        assertEquals(walkByIndex(USERS, query, 4), byCursor);
        assertEquals(created, byCursor, "by creation without sortBy, each user once");
    }

    @Test
    void rfc9865_2_theFirstPageAsksWithAnEmptyCursorAndAnswersWithoutStartIndex() {
        String filter = users();
        // the RFC's own example: "cursor" without a value
        JsonNode first = tree(scim().urlEncodingEnabled(false).when().get(USERS + "?filter="
                + URLEncoder.encode(filter, StandardCharsets.UTF_8).replace("+", "%20") + "&cursor&count=5")
                .then().statusCode(200).extract().response());

        assertEquals(DISPLAY_NAMES.size(), first.path("totalResults").asInt());
        assertEquals(5, first.path("itemsPerPage").asInt());
        assertEquals(5, first.path("Resources").size());
        assertFalse(first.has("startIndex"), "a cursor page has no index: " + first);
        assertFalse(first.has("previousCursor"), "previousCursor is never on the first page");
        assertTrue(first.path("nextCursor").asText().matches("[A-Za-z0-9_-]+"),
                "a cursor holds only unreserved characters (RFC 3986 §2.3): " + first.path("nextCursor"));
    }

    @ParameterizedTest(name = "sortBy={0} sortOrder={1}")
    @MethodSource("orders")
    void rfc9865_2_2_aWalkByCursorInAnyOrderShowsWhatTheIndexWalkShows(String sortBy, String sortOrder) {
        Map<String, String> query = Map.of("filter", users(), "sortBy", sortBy, "sortOrder", sortOrder);

        // pages of 3 end inside runs of ties and of unassigned values
        List<String> byCursor = walkByCursor(USERS, query, 3);

        assertEquals(walkByIndex(USERS, query, 3), byCursor);
        assertEquals(Set.copyOf(created), Set.copyOf(byCursor));
    }

    @Test
    void rfc7644_3_4_2_3_aWalkByCursorPutsUnassignedValuesLastAscendingAndFirstDescending() {
        String filter = users();
        Set<String> unassigned = new HashSet<>();
        for (int i = 0; i < DISPLAY_NAMES.size(); i++) {
            if (DISPLAY_NAMES.get(i) == null) {
                unassigned.add(created.get(i));
            }
        }
        List<String> ascending = walkByCursor(USERS, Map.of("filter", filter, "sortBy", "displayName"), 2);
        List<String> descending = walkByCursor(USERS, Map.of("filter", filter, "sortBy", "displayName",
                "sortOrder", "descending"), 2);

        assertEquals(unassigned, Set.copyOf(ascending.subList(ascending.size() - 3, ascending.size())));
        assertEquals(unassigned, Set.copyOf(descending.subList(0, 3)));
        List<String> reversed = new ArrayList<>(descending);
        java.util.Collections.reverse(reversed);
        assertEquals(ascending, reversed, "ties broken by id in the sort's direction: descending is ascending reversed");
    }

    @Test
    void rfc9865_3_aSearchByPostPagesByCursorInItsBody() {
        String filter = users();
        List<String> ids = new ArrayList<>();
        String cursor = "";
        for (int pages = 0; cursor != null; pages++) {
            assertTrue(pages < 10, "the walk ends");
            JsonNode page = tree(scim().body(fixture("search.json", "filter", text(filter), "sortBy",
                    text("name.familyName"), "sortOrder", text("descending"), "cursor", text(cursor), "count", "5"))
                    .when().post(USERS + "/.search").then().statusCode(200).extract().response());
            page.path("Resources").forEach(user -> ids.add(user.path("id").asText()));
            cursor = page.hasNonNull("nextCursor") ? page.get("nextCursor").asText() : null;
        }

        assertEquals(walkByCursor(USERS, Map.of("filter", filter, "sortBy", "name.familyName", "sortOrder",
                "descending"), 5), ids);
    }

    @Test
    void rfc9865_2_theLastPageHasNoNextCursorEvenWhenItIsFull() {
        String filter = users();
        int half = DISPLAY_NAMES.size() / 2;

        JsonNode first = page(USERS, Map.of("filter", filter), "", half);
        JsonNode last = page(USERS, Map.of("filter", filter), first.path("nextCursor").asText(), half);

        assertEquals(half, first.path("itemsPerPage").asInt());
        assertEquals(half, last.path("itemsPerPage").asInt());
        assertFalse(last.has("nextCursor"), "a full last page is still the last: " + last.path("nextCursor"));
        assertEquals(DISPLAY_NAMES.size(), last.path("totalResults").asInt(), "the total of the whole query");
    }

    @Test
    void rfc9865_2_anEmptyResultIsOnePageWithoutNextCursor() {
        JsonNode page = page(USERS, Map.of("filter", "userName eq \"nobody-" + UUID.randomUUID() + "\""), "", 10);

        assertEquals(0, page.path("totalResults").asInt());
        assertEquals(0, page.path("itemsPerPage").asInt());
        assertFalse(page.has("nextCursor"));
    }

    @Test
    void rfc9865_2_countZeroWithACursorAnswersOnlyTheTotal() {
        String filter = users();

        for (String count : List.of("0", "-5")) {
            JsonNode page = tree(scim().queryParam("filter", filter).queryParam("cursor", "").queryParam("count", count)
                    .when().get(USERS).then().statusCode(200).extract().response());
            assertEquals(DISPLAY_NAMES.size(), page.path("totalResults").asInt(), "count=" + count);
            assertEquals(0, page.path("Resources").size());
            assertFalse(page.has("nextCursor"), "count stays 0 while paging, so no page would hold a resource");
        }
    }

    @Test
    void rfc9865_2_aStreamedUsersPageEndsWithItsNextCursor() {
        String streamed = "curs" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 105; i++) {
            ids.add(createUser(token(), streamed + "-" + String.format("%03d", i) + "@example.com", streamed + "-" + i,
                    "S " + (i % 7), null, true));
        }
        Map<String, String> query = Map.of("filter", "userName sw \"" + streamed + "-\"");

        Response first = scim().queryParams(query).queryParam("cursor", "").queryParam("count", 101).when().get(USERS);
        first.then().statusCode(200);
        assertEquals("chunked", first.header("Transfer-Encoding"), "a page of more than 100 users is streamed");
        JsonNode page = tree(first);
        assertEquals(101, page.path("itemsPerPage").asInt());
        assertFalse(page.has("startIndex"));
        assertNotNull(page.get("nextCursor"), "written after the users: " + page.path("itemsPerPage"));

        assertEquals(ids, walkByCursor(USERS, query, 101));
        Map<String, String> sorted = Map.of("filter", query.get("filter"), "sortBy", "displayName", "sortOrder",
                "descending");
        assertEquals(walkByIndex(USERS, sorted, 101), walkByCursor(USERS, sorted, 101));
    }

    @Test
    void rfc9865_2_usersInsertedOrDeletedWhilePagingSkipNorRepeatAnyOther() {
        String run = "curi" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        List<String> originals = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            originals.add(createUser(token(), run + "-m" + String.format("%02d", i) + "@example.com", run + "-" + i,
                    null, null, true));
        }
        Map<String, String> query = Map.of("filter", "userName sw \"" + run + "-\"", "sortBy", "userName");
        List<String> seen = new ArrayList<>();
        List<String> insertedAfter = new ArrayList<>();
        String deleted = null;
        String cursor = "";
        for (int pages = 0; cursor != null; pages++) {
            assertTrue(pages < 20, "the walk ends");
            JsonNode page = page(USERS, query, cursor, 4);
            page.path("Resources").forEach(user -> seen.add(user.path("id").asText()));
            cursor = page.hasNonNull("nextCursor") ? page.get("nextCursor").asText() : null;
            // between pages: users sorting before and after the position, and the position's own user deleted
            createUser(token(), run + "-a" + pages + "@example.com", run + "-a" + pages, null, null, true);
            insertedAfter.add(createUser(token(), run + "-z" + pages + "@example.com", run + "-z" + pages, null, null,
                    true));
            if (pages == 1) {
                deleted = seen.get(seen.size() - 1);
                scim().when().delete(USERS + "/" + deleted).then().statusCode(204);
            }
        }

        assertEquals(seen.size(), Set.copyOf(seen).size(), "no user repeated: " + seen);
        assertEquals(originals, seen.stream().filter(originals::contains).toList(),
                "every original user once, in order, the one deleted behind the position (" + deleted + ") included");
        assertTrue(seen.containsAll(insertedAfter.subList(0, insertedAfter.size() - 1)),
                "users inserted after the position before the last page are on a later page");
        assertTrue(seen.stream().noneMatch(id -> !originals.contains(id) && !insertedAfter.contains(id)),
                "users inserted before the position are behind it");
    }

    /**
     * Groups "run group a, c, e, g, i" and users "run user b, d, f" (display names interleaved across the types);
     * @return the filter that finds them all by display name
     */
    private static String fiveGroupsAndThreeUsersNamed(String run) {
        for (int i = 0; i < 5; i++) {
            scim().body(fixture("group.json", "displayName", run + " group " + (char) ('a' + 2 * i)))
                    .when().post(GROUPS).then().statusCode(201);
        }
        for (int i = 0; i < 3; i++) {
            createUser(token(), run + "-" + i + "@example.com", run + "-" + i, run + " user " + (char) ('b' + 2 * i),
                    null, true);
        }
        return "displayName sw \"" + run + " \"";
    }

    @Test
    void rfc9865_2_groupsRolesAndTheRootSearchPageByCursorAsByIndex() {
        String run = "curg" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String filter = fiveGroupsAndThreeUsersNamed(run);

        // groups with their members (written as streams in the page) and without
        for (Map<String, String> query : List.of(Map.of("filter", filter), Map.of("filter", filter,
                "excludedAttributes", "members", "sortBy", "displayName", "sortOrder", "descending"))) {
            List<String> groups = walkByCursor(GROUPS, query, 2);
            assertEquals(5, groups.size());
            assertEquals(walkByIndex(GROUPS, query, 2), groups);
        }
        // roles: the organization's managed roles were made in one transaction, so their creation times tie
        for (Map<String, String> query : List.of(Map.<String, String>of(), Map.of("sortBy", "displayName"))) {
            List<String> roles = walkByCursor(ROLES, query, 4);
            assertTrue(roles.size() > 20, "every customer-visible role: " + roles.size());
            assertEquals(walkByIndex(ROLES, query, 4), roles);
        }
        // across Users and Groups: groups have no userName, so sort last ascending and first descending
        for (String[] order : new String[][] { { null, null }, { "userName", "ascending" }, { "userName", "descending" },
                { "displayName", "descending" } }) {
            List<String> byCursor = searchWalk(filter, order[0], order[1], 3, null);
            assertEquals(8, byCursor.size(), "users and groups: " + byCursor);
            assertEquals(searchWalk(filter, order[0], order[1], 3, 1), byCursor, "sortBy=" + order[0]);
        }
    }

    @Test
    void rfc9865_2_1_aTamperedCursorIsInvalidCursor() {
        String filter = users();
        String cursor = page(USERS, Map.of("filter", filter), "", 2).path("nextCursor").asText();
        int middle = cursor.length() / 2;
        String flipped = cursor.substring(0, middle) + (cursor.charAt(middle) == 'A' ? 'B' : 'A')
                + cursor.substring(middle + 1);

        // a character outside base64url in the middle (replacing '-' by '+' left a cursor without '-' unchanged, and
        // valid: about one cursor in ten)
        String notBase64Url = cursor.substring(0, middle) + '+' + cursor.substring(middle + 1);
        for (String tampered : List.of(flipped, cursor.substring(0, cursor.length() - 4), cursor + "AAAA", "AAAA",
                "not a cursor", "%00", notBase64Url)) {
            assertScimError(scim().queryParam("filter", filter).queryParam("cursor", tampered).queryParam("count", 2)
                    .when().get(USERS).then(), 400, "invalidCursor", "start again with an empty cursor");
        }
        assertScimError(scim().body(fixture("search.json", "filter", text(filter), "sortBy", "null", "sortOrder", "null",
                "cursor", text("x".repeat(100_000)), "count", "2")).when().post(USERS + "/.search").then(), 400,
                "invalidCursor", "start again with an empty cursor");
    }

    @Test
    void rfc9865_5_2_aCursorOfAnotherOrganizationIsInvalidCursorAndTellsNothingMore() {
        Tokens.CreatedKey other = Tokens.newOrganization("cursor-org-" + UUID.randomUUID().toString().substring(0, 8));
        String otherToken = Tokens.withRolesIn(other.token(), "scim-client");
        for (int i = 0; i < 3; i++) {
            createUser(otherToken, "other-" + i + "@example.com", "other-" + i, null, null, true);
        }
        String foreign = tree(given().auth().oauth2(otherToken).accept(MediaTypes.SCIM_JSON).queryParam("cursor", "")
                .queryParam("count", 1).when().get(USERS).then().statusCode(200).extract().response())
                .path("nextCursor").asText();
        String tamperedDetail = scim().queryParam("cursor", "AAAA").queryParam("count", 1).when().get(USERS)
                .then().statusCode(400).extract().path("detail");

        String detail = assertScimError(scim().queryParam("cursor", foreign).queryParam("count", 1).when().get(USERS)
                .then(), 400, "invalidCursor", "").extract().path("detail");

        assertEquals(tamperedDetail, detail, "a foreign cursor is answered as a forged one");
        // and the other organization's own key still pages with it
        given().auth().oauth2(otherToken).accept(MediaTypes.SCIM_JSON).queryParam("cursor", foreign)
                .queryParam("count", 1).when().get(USERS).then().statusCode(200);
    }

    @Test
    void rfc9865_2_1_aCursorUsedWithAnotherQueryOrEndpointIsInvalidCursor() {
        String filter = users();
        Map<String, String> query = Map.of("filter", filter, "sortBy", "displayName");
        String cursor = page(USERS, query, "", 2).path("nextCursor").asText();

        for (Map<String, String> other : List.of(Map.of("filter", filter + " and active eq true", "sortBy", "displayName"),
                Map.of("filter", filter, "sortBy", "userName"), Map.of("filter", filter),
                Map.of("filter", filter, "sortBy", "displayName", "sortOrder", "descending"))) {
            assertScimError(scim().queryParams(other).queryParam("cursor", cursor).queryParam("count", 2)
                    .when().get(USERS).then(), 400, "invalidCursor", "another query");
        }
        assertScimError(scim().queryParams(Map.of("sortBy", "displayName")).queryParam("cursor", cursor)
                .queryParam("count", 2).when().get(GROUPS).then(), 400, "invalidCursor", "another query");
        // what is shown may change, the rows may not: the same query with another projection goes on
        scim().queryParams(query).queryParam("attributes", "userName").queryParam("cursor", cursor)
                .queryParam("count", 2).when().get(USERS).then().statusCode(200);
        // spacing and operator case are not part of the query
        scim().queryParams(Map.of("filter", filter.replace(" sw ", "  SW  "), "sortBy", "displayName"))
                .queryParam("cursor", cursor).queryParam("count", 2).when().get(USERS).then().statusCode(200);
    }

    @Test
    void rfc9865_2_1_aCursorUsedWithAnotherCountIsInvalidCount() {
        String filter = users();
        String cursor = page(USERS, Map.of("filter", filter), "", 2).path("nextCursor").asText();

        for (String count : List.of("3", "0")) {
            assertScimError(scim().queryParam("filter", filter).queryParam("cursor", cursor).queryParam("count", count)
                    .when().get(USERS).then(), 400, "invalidCount", "'count' must stay 2");
        }
        // no count is the default page size, not the first request's 2
        assertScimError(scim().queryParam("filter", filter).queryParam("cursor", cursor).when().get(USERS).then(), 400,
                "invalidCount", "'count' must stay 2");
    }

    @Test
    void rfc9865_2_1_aCursorOlderThanTheCursorTimeoutIsExpiredCursor() throws Exception {
        String filter = users();
        UUID org = UUID.fromString((String) Tokens.claimsOf(token()).get("org"));
        ListQuery query = ListQuery.fromParameters(filter, null, null, null, "2", "", null, null, config.scim());
        String expired = cursors.seal(query, org, "User", Paging.Keyset.first(2), Instant.now().minusSeconds(2));
        String valid = cursors.seal(query, org, "User", Paging.Keyset.first(2), Instant.now().plusSeconds(60));

        assertScimError(scim().queryParam("filter", filter).queryParam("cursor", expired).queryParam("count", 2)
                .when().get(USERS).then(), 400, "expiredCursor", "within 3600 seconds");
        assertEquals(2, page(USERS, Map.of("filter", filter), valid, 2).path("itemsPerPage").asInt(),
                "the same cursor before its expiry is the first page");
    }

    @Test
    void rfc9865_2_4_startIndexAndCursorTogetherAreRefused() {
        assertScimError(scim().queryParam("startIndex", 1).queryParam("cursor", "").when().get(USERS).then(), 400,
                "invalidValue", "not both");
        assertScimError(scim().body(fixture("search.json", "filter", "null", "sortBy", "null", "sortOrder", "null",
                "cursor", text(""), "count", "2").replace("\"count\"", "\"startIndex\": 1, \"count\""))
                .when().post(ROOT_SEARCH).then(), 400, "invalidValue", "not both");
    }

    @Test
    void rfc9865_2_4_withoutCursorPagingStaysByIndex() {
        JsonNode page = page(USERS, Map.of("filter", users()), null, 3);

        assertEquals(1, page.path("startIndex").asInt());
        assertFalse(page.has("nextCursor"), "index is the default method (RFC 9865 §2.4)");
    }

    // --- going back (RFC 9865 §2: previousCursor)

    @ParameterizedTest(name = "sortBy={0} sortOrder={1}")
    @MethodSource("orders")
    void rfc9865_2_followingPreviousCursorFromTheLastPageShowsEveryForwardPageAgainInReverse(String sortBy,
            String sortOrder) {
        Map<String, String> query = Map.of("filter", users(), "sortBy", sortBy, "sortOrder", sortOrder);

        // pages of 3 end inside runs of ties and of unassigned values, forward and back
        assertBackIsForwardReversed(listing(USERS, query, 3));
    }

    @Test
    void rfc9865_2_followingPreviousCursorInTheDefaultOrderShowsEveryForwardPageAgainInReverse() {
        assertBackIsForwardReversed(listing(USERS, Map.of("filter", users()), 4));
    }

    @Test
    void rfc9865_2_streamedPagesCarryTheirPreviousCursorAndGoBack() {
        String streamed = "curp" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        for (int i = 0; i < 205; i++) {
            createUser(token(), streamed + "-" + String.format("%03d", i) + "@example.com", streamed + "-" + i,
                    "P " + (i % 7), null, true);
        }

        // pages of more than 100 resources are streamed: previousCursor is written before them
        String filter = "userName sw \"" + streamed + "-\"";
        assertBackIsForwardReversed(listing(USERS, Map.of("filter", filter, "sortBy", "displayName", "sortOrder",
                "descending"), 101));
        assertBackIsForwardReversed(rootSearch(filter, "displayName", null, 101));
    }

    @Test
    void rfc9865_2_groupsRolesAndTheRootSearchGoBackByPreviousCursorAsTheyWentForward() {
        String run = "curb" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String filter = fiveGroupsAndThreeUsersNamed(run);

        for (Map<String, String> query : List.of(Map.of("filter", filter), Map.of("filter", filter,
                "excludedAttributes", "members", "sortBy", "displayName", "sortOrder", "descending"))) {
            assertBackIsForwardReversed(listing(GROUPS, query, 2));
        }
        // roles: their creation times tie, so the id orders them
        for (Map<String, String> query : List.of(Map.<String, String>of(), Map.of("sortBy", "displayName"),
                Map.of("sortBy", "displayName", "sortOrder", "descending"))) {
            assertBackIsForwardReversed(listing(ROLES, query, 4));
        }
        // across Users and Groups: groups have no userName, so sort last ascending and first descending
        for (String[] order : new String[][] { { null, null }, { "userName", "ascending" }, { "userName", "descending" },
                { "displayName", "descending" } }) {
            assertBackIsForwardReversed(rootSearch(filter, order[0], order[1], 3));
        }
    }

    @Test
    void rfc9865_2_aPageReachedByGoingBackHasANextCursorLeadingForwardAgain() {
        Pages pages = listing(USERS, Map.of("filter", users(), "sortBy", "displayName"), 3);
        JsonNode first = pages.at("");
        JsonNode second = pages.at(first.get("nextCursor").asText());
        JsonNode third = pages.at(second.get("nextCursor").asText());

        JsonNode secondAgain = pages.at(third.get("previousCursor").asText());
        assertEquals(ids(second), ids(secondAgain));
        assertEquals(ids(third), ids(pages.at(secondAgain.get("nextCursor").asText())),
                "forward again from a page reached by going back");
        JsonNode firstAgain = pages.at(secondAgain.get("previousCursor").asText());
        assertEquals(ids(first), ids(firstAgain));
        assertFalse(firstAgain.has("previousCursor"), "the first page, reached by going back, has no previousCursor");
        assertEquals(ids(second), ids(pages.at(firstAgain.get("nextCursor").asText())));
        assertEquals(first.path("totalResults"), firstAgain.path("totalResults"));
        assertFalse(firstAgain.has("startIndex"));
    }

    @Test
    void rfc9865_2_goingBackOverDeletedResourcesShowsWhatRemainsBeforeThePositionAndRepeatsNothing() {
        String run = "curd" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            ids.add(createUser(token(), run + "-" + i + "@example.com", run + "-" + i, null, null, true));
        }
        Pages pages = listing(USERS, Map.of("filter", "userName sw \"" + run + "-\""), 3);
        JsonNode second = pages.at(pages.at("").get("nextCursor").asText());
        String backToFirst = second.get("previousCursor").asText();
        scim().when().delete(USERS + "/" + ids.get(1)).then().statusCode(204);

        JsonNode first = pages.at(backToFirst);

        assertEquals(List.of(ids.get(0), ids.get(2)), ids(first), "what is left before the position, nothing more");
        assertFalse(first.has("previousCursor"), "nothing before it: the first page");
        assertEquals(8, first.path("totalResults").asInt());
        assertEquals(ids.subList(3, 6), ids(pages.at(first.get("nextCursor").asText())));

        // nothing left before the position: an empty page, whose nextCursor starts again from the first page
        scim().when().delete(USERS + "/" + ids.get(0)).then().statusCode(204);
        scim().when().delete(USERS + "/" + ids.get(2)).then().statusCode(204);
        JsonNode empty = pages.at(backToFirst);

        assertEquals(0, empty.path("itemsPerPage").asInt());
        assertEquals(6, empty.path("totalResults").asInt());
        assertFalse(empty.has("previousCursor"));
        assertEquals(ids.subList(3, 6), ids(pages.at(empty.get("nextCursor").asText())));
    }

    @Test
    void rfc9865_2_1_aTamperedPreviousCursorIsInvalidCursor() {
        String filter = users();
        Pages pages = listing(USERS, Map.of("filter", filter), 2);
        String previous = pages.at(pages.at("").get("nextCursor").asText()).get("previousCursor").asText();
        int middle = previous.length() / 2;
        String flipped = previous.substring(0, middle) + (previous.charAt(middle) == 'A' ? 'B' : 'A')
                + previous.substring(middle + 1);

        for (String tampered : List.of(flipped, previous.substring(0, previous.length() - 4), previous + "AAAA")) {
            assertScimError(scim().queryParam("filter", filter).queryParam("cursor", tampered).queryParam("count", 2)
                    .when().get(USERS).then(), 400, "invalidCursor", "start again with an empty cursor");
        }
        assertScimError(scim().queryParam("filter", filter).queryParam("sortBy", "displayName")
                .queryParam("cursor", previous).queryParam("count", 2).when().get(USERS).then(), 400, "invalidCursor",
                "another query");
        assertScimError(scim().queryParam("filter", filter).queryParam("cursor", previous).queryParam("count", 3)
                .when().get(USERS).then(), 400, "invalidCount", "'count' must stay 2");
    }

    @Test
    void rfc9865_2_1_aPreviousCursorOlderThanTheCursorTimeoutIsExpiredCursor() throws Exception {
        String filter = users();
        UUID org = UUID.fromString((String) Tokens.claimsOf(token()).get("org"));
        ListQuery query = ListQuery.fromParameters(filter, null, null, null, "2", "", null, null, config.scim());
        Paging.Keyset back = Paging.Keyset.before(new KeysetPosition(null, UUID.fromString(created.get(2))), 2);

        assertScimError(scim().queryParam("filter", filter).queryParam("cursor", cursors.seal(query, org, "User", back,
                Instant.now().minusSeconds(2))).queryParam("count", 2).when().get(USERS).then(), 400, "expiredCursor",
                "within 3600 seconds");
    }

    /**
     * Walks forward from an empty cursor to the last page, then back by {@code previousCursor} to the first: the pages
     * going back are the forward pages in reverse, each the same resources in the same order.
     */
    private static void assertBackIsForwardReversed(Pages pages) {
        List<JsonNode> forward = new ArrayList<>();
        String cursor = "";
        while (cursor != null) {
            assertTrue(forward.size() < 100, "the walk ends");
            JsonNode page = pages.at(cursor);
            assertEquals(!forward.isEmpty(), page.hasNonNull("previousCursor"),
                    "previousCursor on every page but the first: " + page);
            forward.add(page);
            cursor = page.hasNonNull("nextCursor") ? page.get("nextCursor").asText() : null;
        }
        List<List<String>> back = new ArrayList<>();
        cursor = forward.get(forward.size() - 1).hasNonNull("previousCursor")
                ? forward.get(forward.size() - 1).get("previousCursor").asText() : null;
        while (cursor != null) {
            assertTrue(back.size() < 100, "the walk back ends");
            JsonNode page = pages.at(cursor);
            assertTrue(page.hasNonNull("nextCursor"), "a page reached by going back is not the last: " + page);
            assertFalse(page.has("startIndex"), page.toString());
            assertEquals(forward.get(0).path("totalResults"), page.path("totalResults"));
            back.add(ids(page));
            cursor = page.hasNonNull("previousCursor") ? page.get("previousCursor").asText() : null;
        }

        List<List<String>> expected = new ArrayList<>(forward.subList(0, forward.size() - 1).stream()
                .map(CursorPaginationTest::ids).toList());
        java.util.Collections.reverse(expected);
        assertEquals(expected, back);
        assertTrue(forward.size() > 2, "the walk has pages to go back over: " + forward.size());
    }

    /** A query's cursor pages: the page a cursor asks for ({@code ""}: the first). */
    private interface Pages {
        JsonNode at(String cursor);
    }

    private static Pages listing(String path, Map<String, String> query, int count) {
        return cursor -> page(path, query, cursor, count);
    }

    private static Pages rootSearch(String filter, String sortBy, String sortOrder, int count) {
        return cursor -> tree(scim().body(fixture("search.json", "filter", text(filter), "sortBy", nullable(sortBy),
                "sortOrder", nullable(sortOrder), "cursor", text(cursor), "count", String.valueOf(count)))
                .when().post(ROOT_SEARCH).then().statusCode(200).extract().response());
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("Resources").forEach(resource -> ids.add(resource.path("id").asText()));
        return ids;
    }

    // --- walks

    /** Every page of the query by cursor from an empty one: the ids in order; checks each page's shape. */
    private static List<String> walkByCursor(String path, Map<String, String> query, int count) {
        List<String> ids = new ArrayList<>();
        String cursor = "";
        long total = -1;
        for (int pages = 0; cursor != null; pages++) {
            assertTrue(pages < 200, "the walk ends");
            JsonNode page = page(path, query, cursor, count);
            assertFalse(page.has("startIndex"), page.toString());
            assertEquals(pages > 0, page.hasNonNull("previousCursor"), "previousCursor on every page but the first: "
                    + page);
            assertEquals(page.path("Resources").size(), page.path("itemsPerPage").asInt());
            if (total >= 0) {
                assertEquals(total, page.path("totalResults").asLong(), "the total of the whole query on every page");
            }
            total = page.path("totalResults").asLong();
            page.path("Resources").forEach(resource -> ids.add(resource.path("id").asText()));
            cursor = page.hasNonNull("nextCursor") ? page.get("nextCursor").asText() : null;
            if (cursor != null) {
                assertEquals(count, page.path("itemsPerPage").asInt(), "only the last page is short");
            }
        }
        assertEquals(total, ids.size(), "the walk shows totalResults resources: " + ids);
        return ids;
    }

    private static List<String> walkByIndex(String path, Map<String, String> query, int count) {
        List<String> ids = new ArrayList<>();
        int startIndex = 1;
        while (true) {
            JsonNode page = tree(scim().queryParams(query).queryParam("startIndex", startIndex).queryParam("count", count)
                    .when().get(path).then().statusCode(200).extract().response());
            page.path("Resources").forEach(resource -> ids.add(resource.path("id").asText()));
            int shown = page.path("itemsPerPage").asInt();
            startIndex += shown;
            if (shown == 0 || startIndex > page.path("totalResults").asInt()) {
                return ids;
            }
        }
    }

    /** The root {@code .search} walked by cursor ({@code startIndex} null) or by index from {@code startIndex}. */
    private static List<String> searchWalk(String filter, String sortBy, String sortOrder, int count,
            Integer startIndex) {
        List<String> ids = new ArrayList<>();
        String cursor = "";
        Integer index = startIndex;
        for (int pages = 0; pages < 50; pages++) {
            String body = fixture("search.json", "filter", text(filter), "sortBy", nullable(sortBy), "sortOrder",
                    nullable(sortOrder), "cursor", index == null ? text(cursor) : "null", "count",
                    String.valueOf(count));
            if (index != null) {
                body = body.replace("\"count\"", "\"startIndex\": " + index + ", \"count\"");
            }
            JsonNode page = tree(scim().body(body).when().post(ROOT_SEARCH).then().statusCode(200).extract().response());
            page.path("Resources").forEach(resource -> ids.add(resource.path("id").asText()));
            if (index == null) {
                if (!page.hasNonNull("nextCursor")) {
                    return ids;
                }
                cursor = page.get("nextCursor").asText();
            } else {
                index += page.path("itemsPerPage").asInt();
                if (page.path("itemsPerPage").asInt() == 0 || index > page.path("totalResults").asInt()) {
                    return ids;
                }
            }
        }
        throw new AssertionError("the walk does not end: " + ids);
    }

    /** One cursor page ({@code cursor} null: an index page), which must be a 200. */
    private static JsonNode page(String path, Map<String, String> query, String cursor, int count) {
        RequestSpecification request = scim().queryParams(query).queryParam("count", count);
        if (cursor != null) {
            request = request.queryParam("cursor", cursor);
        }
        return tree(request.when().get(path).then().statusCode(200).extract().response());
    }

    // --- data

    /** Creates a user; a null displayName or familyName is left unassigned. Returns its id. */
    private static String createUser(String bearer, String userName, String externalId, String displayName,
            String familyName, boolean active) {
        Response created = scim(bearer).body(fixture("user.json", "userName", userName, "externalId", externalId,
                "displayName", nullable(displayName), "familyName", nullable(familyName), "active",
                String.valueOf(active)).getBytes(StandardCharsets.UTF_8)).when().post(USERS);
        assertEquals(201, created.statusCode(), created.asString());
        return created.path("id");
    }

    private static RequestSpecification scim() {
        return scim(token());
    }

    private static RequestSpecification scim(String bearer) {
        return given().auth().oauth2(bearer).contentType(MediaTypes.SCIM_JSON).accept(MediaTypes.SCIM_JSON);
    }

    /**
     * {@code /fixtures/cursor/<name>} with each {@code {{key}}} filled in: a placeholder in quotes in the file takes
     * text (quoted here), one without takes JSON (a quoted string, a number, {@code null}).
     */
    private static String fixture(String name, String... keysAndJson) {
        String text;
        try (InputStream in = CursorPaginationTest.class.getResourceAsStream("/fixtures/cursor/" + name)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < keysAndJson.length; i += 2) {
            values.put(keysAndJson[i], keysAndJson[i + 1]);
        }
        for (Map.Entry<String, String> value : values.entrySet()) {
            String placeholder = "{{" + value.getKey() + "}}";
            if (!text.contains(placeholder)) {
                throw new IllegalArgumentException(name + " has no " + placeholder);
            }
            String quoted = "\"" + placeholder + "\"";
            text = text.contains(quoted) ? text.replace(quoted, text(value.getValue()))
                    : text.replace(placeholder, value.getValue());
        }
        if (text.contains("{{")) {
            throw new IllegalArgumentException(name + " has placeholders left: " + text);
        }
        return text;
    }

    private static String text(String value) {
        return new TextNode(value).toString();
    }

    private static String nullable(String value) {
        return value == null ? "null" : text(value);
    }

    private static JsonNode tree(Response response) {
        try {
            return JSON.readTree(response.asString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
