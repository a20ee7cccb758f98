package io.rollcall.scim;

import static io.rollcall.support.ScimErrors.assertScimError;
import static io.rollcall.support.UserFixtures.ENTERPRISE;
import static io.rollcall.support.UserFixtures.LIST_RESPONSE;
import static io.rollcall.support.UserFixtures.USERS;
import static io.rollcall.support.UserFixtures.fixture;
import static io.rollcall.support.UserFixtures.fixtureTree;
import static io.rollcall.support.UserFixtures.scim;
import static io.rollcall.support.UserFixtures.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;
import io.rollcall.support.UserFixtures;

/**
 * Listing and searching Users, RFC 7644 §3.4.2 (filter §3.4.2.2, sort §3.4.2.3, paging §3.4.2.4, attributes §3.4.2.5)
 * and §3.4.3 ({@code POST .search}), over eight users (fixtures/users/query-users.json) made once per run. Every query is
 * scoped to them with {@code externalId sw "<run>-"}, as the database is shared with other tests.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class UsersQueryTest {

    /** The data set in creation order, by the part of their userName before the '@'. */
    private static final List<String> CREATED = List.of("alice", "Bob", "carol", "dave", "erin", "frank", "grace", "heidi");

    private static String token;
    private static String run;
    private static Map<String, JsonNode> users;

    private static synchronized String token() {
        if (token == null) {
            token = Tokens.scimClient();
        }
        return token;
    }

    /** Creates the eight users, one after another (so that their created and lastModified times are in that order). */
    private static synchronized Map<String, JsonNode> users() {
        if (users == null) {
            run = UserFixtures.token();
            Map<String, JsonNode> made = new LinkedHashMap<>();
            for (JsonNode body : fixtureTree("query-users.json", Map.of("run", run))) {
                Response response = scim(token()).body(body.toString()).when().post(USERS);
                response.then().statusCode(201);
                JsonNode user = tree(response);
                made.put(who(user), user);
            }
            assertEquals(CREATED, List.copyOf(made.keySet()));
            users = made;
        }
        return users;
    }

    private static String run() {
        users();
        return run;
    }

    private static String who(JsonNode user) {
        String userName = user.path("userName").asText();
        return userName.substring(0, userName.indexOf('@'));
    }

    private static String scope() {
        return "externalId sw \"" + run() + "-\"";
    }

    /** A list request limited to this run's users. */
    private static RequestSpecification list(String filter) {
        return scim(token()).queryParam("filter", scope() + " and (" + filter + ")");
    }

    private static JsonNode ok(Response response) {
        response.then().statusCode(200);
        JsonNode body = tree(response);
        assertEquals(LIST_RESPONSE, body.path("schemas").path(0).asText(), body.toString());
        assertEquals(1, body.path("schemas").size());
        return body;
    }

    /** The users a filter finds, in the default order (creation). */
    private static List<String> found(String filter) {
        JsonNode body = ok(list(filter).when().get(USERS));
        List<String> names = names(body);
        assertEquals(names.size(), body.path("totalResults").asInt(), "totalResults for " + filter + ": " + body);
        return names;
    }

    private static List<String> names(JsonNode listResponse) {
        List<String> names = new ArrayList<>();
        for (JsonNode resource : listResponse.path("Resources")) {
            names.add(who(resource));
        }
        return names;
    }

    // --- filter (RFC 7644 §3.4.2.2) -----------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("filters")
    void rfc7644_3_4_2_2_filterFindsExactlyTheMatchingUsers(String filter, List<String> expected) {
        assertEquals(expected, found(filter.replace("{{run}}", run())
                .replace("{{RUN}}", run().toUpperCase(Locale.ROOT))));
    }

    static Stream<Arguments> filters() {
        return Stream.of(
                // userName is caseExact false (RFC 7643 §4.1.1)
                Arguments.of("userName eq \"ALICE@{{RUN}}.EXAMPLE.COM\"", List.of("alice")),
                Arguments.of("userName eq \"bob@{{run}}.example.com\"", List.of("Bob")),
                // externalId is caseExact true (RFC 7643 §3.1)
                Arguments.of("externalId eq \"{{run}}-Alice\"", List.of("alice")),
                Arguments.of("externalId eq \"{{run}}-alice\"", List.of()),
                Arguments.of("emails.value eq \"BOB@work.{{run}}.example.com\"", List.of("Bob")),
                Arguments.of("emails.value eq \"zz-bob@home.{{run}}.example.net\"", List.of("Bob")),
                Arguments.of("emails[type eq \"work\" and value co \"@work.{{run}}.example.com\"]",
                        List.of("alice", "Bob", "dave", "frank", "heidi")),
                Arguments.of("emails[type eq \"home\" and value co \"@work.{{run}}.example.com\"]", List.of()),
                Arguments.of("emails[value eq \"carol@home.{{run}}.example.net\"]", List.of("carol")),
                Arguments.of("emails.type eq \"work\" and emails.value co \"partner\"", List.of("erin")),
                Arguments.of("displayName co \"anders\"", List.of("alice")),
                Arguments.of("displayName sw \"Dave\"", List.of("dave")),
                Arguments.of("displayName ew \"hill\"", List.of("heidi")),
                Arguments.of("name.familyName eq \"anders\"", List.of("alice", "frank")),
                Arguments.of("name.givenName sw \"G\"", List.of("grace")),
                Arguments.of("title pr", List.of("alice", "Bob", "dave", "frank", "grace")),
                Arguments.of("not (title pr)", List.of("carol", "erin", "heidi")),
                Arguments.of("active eq false", List.of("Bob", "erin")),
                Arguments.of("active eq true", List.of("alice", "carol", "dave", "frank", "grace", "heidi")),
                Arguments.of(ENTERPRISE + ":employeeNumber eq \"{{run}}-1002\"", List.of("Bob")),
                Arguments.of(ENTERPRISE + ":employeeNumber pr", List.of("alice", "Bob", "dave")),
                Arguments.of(ENTERPRISE + ":manager.value eq \"{{run}}-manager\"", List.of("alice")),
                Arguments.of("title eq \"Engineer\" or title eq \"Director\"", List.of("alice", "dave", "frank", "grace")),
                Arguments.of("(title eq \"Engineer\" or title eq \"Manager\") and not (active eq false)",
                        List.of("alice", "dave", "grace")),
                Arguments.of("title eq \"Engineer\" and (name.familyName eq \"Anders\" or emails pr)",
                        List.of("alice", "dave")),
                // not: true wherever the inner filter is false, also for users without the attribute
                Arguments.of("not (title eq \"Engineer\")", List.of("Bob", "carol", "erin", "frank", "heidi")),
                Arguments.of("not (title eq \"Engineer\" or active eq false)", List.of("carol", "frank", "heidi")),
                // ne also matches users without the attribute (RFC 7644 §3.4.2.2)
                Arguments.of("title ne \"Engineer\"", List.of("Bob", "carol", "erin", "frank", "heidi")),
                // % and _ in a value are characters, not wildcards
                Arguments.of("displayName co \"50%_off\"", List.of("dave")),
                Arguments.of("displayName co \"0%_o\"", List.of("dave")),
                Arguments.of("displayName co \"_\"", List.of("dave")),
                Arguments.of("displayName co \"%\"", List.of("dave")));
    }

    @Test
    void rfc7644_3_4_2_2_metaLastModifiedComparesAsInstants() {
        String dave = users().get("dave").path("meta").path("lastModified").asText();
        assertEquals(List.of("erin", "frank", "grace", "heidi"), found("meta.lastModified gt \"" + dave + "\""));
        assertEquals(List.of("alice", "Bob", "carol"), found("meta.lastModified lt \"" + dave + "\""));
        assertEquals(List.of("dave", "erin", "frank", "grace", "heidi"), found("meta.lastModified ge \"" + dave + "\""));
        assertEquals(List.of("dave"), found("meta.lastModified eq \"" + dave + "\""));
        // the same instant written in another offset
        String inParis = Instant.parse(dave).atOffset(java.time.ZoneOffset.ofHours(2)).toString();
        assertEquals(List.of("erin", "frank", "grace", "heidi"), found("meta.lastModified gt \"" + inParis + "\""));
        String created = users().get("Bob").path("meta").path("created").asText();
        assertEquals(List.of("alice", "Bob"), found("meta.created le \"" + created + "\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidFilters")
    void rfc7644_3_4_2_2_invalidFilterIsInvalidFilter(String filter, String detail) {
        assertScimError(scim(token()).queryParam("filter", filter).when().get(USERS).then(), 400, "invalidFilter", detail);
    }

    static Stream<Arguments> invalidFilters() {
        return Stream.of(
                Arguments.of("userName eq", "userName eq"),
                Arguments.of("userName eq \"x\" and", "userName"),
                Arguments.of("(userName eq \"x\"", "userName"),
                Arguments.of("userName xx \"x\"", "userName"),
                Arguments.of("shoeSize eq \"42\"", "shoeSize"),
                Arguments.of("name.shoeSize eq \"42\"", "shoeSize"),
                Arguments.of("urn:example:unknown:1.0:User:shoeSize eq \"42\"", "shoeSize"),
                Arguments.of("active gt true", "active"),
                Arguments.of("active co \"tru\"", "active"),
                Arguments.of("meta.lastModified gt \"yesterday\"", "yesterday"),
                // meta.location depends on the request's base URL and is not stored
                Arguments.of("meta.location eq \"https://example.com/scim/v2/Users/1\"", "meta.location"),
                // never returned (RFC 7643 §7): no answer may depend on it
                Arguments.of("password eq \"t1meMa$heen\"", "'password' is not supported: it is never returned"),
                // computed from role bindings, not stored with the user
                Arguments.of("roles.value eq \"inbox-agent\"", "'roles.value' is not supported"),
                Arguments.of("urn:rollcall:scim:schemas:extension:access:2.0:User:effectiveRoles.value eq \"x\"",
                        "effectiveRoles"));
    }

    /** meta is not in the stored document: resourceType and version are compared as the representation shows them. */
    @Test
    void rfc7644_3_4_2_2_metaVersionAndResourceTypeCompareAsTheRepresentationShowsThem() {
        String userName = UserFixtures.unique("versioned") + "@example.com";
        JsonNode user = UserFixtures.create(token(), "create-with-title.json", Map.of("userName", userName));
        String created = user.path("meta").path("version").asText();
        Response patched = scim(token()).body(fixture("patch-replace-title.json", Map.of("title", "Patched")))
                .when().patch(USERS + "/" + user.path("id").asText());
        patched.then().statusCode(200);
        String current = patched.header("ETag");
        String self = "userName eq " + quoted(userName) + " and ";
        assertEquals(1, total(self + "meta.version eq " + quoted(current)), current);
        assertEquals(0, total(self + "meta.version eq " + quoted(created)), created);
        assertEquals(1, total(self + "meta.resourceType eq \"User\""));
        assertEquals(0, total(self + "meta.resourceType eq \"Group\""));
    }

    private static int total(String filter) {
        return ok(scim(token()).queryParam("filter", filter).when().get(USERS)).path("totalResults").asInt();
    }

    /** A SCIM filter string literal. */
    private static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    // --- sort (RFC 7644 §3.4.2.3) -------------------------------------------------------------------------------------

    @Test
    void rfc7644_3_4_2_3_sortByUserNameAscendingIgnoresCase() {
        JsonNode body = ok(scim(token()).queryParam("filter", scope()).queryParam("sortBy", "userName").when().get(USERS));
        assertEquals(List.of("alice", "Bob", "carol", "dave", "erin", "frank", "grace", "heidi"), names(body));
        JsonNode explicit = ok(scim(token()).queryParam("filter", scope()).queryParam("sortBy", "userName")
                .queryParam("sortOrder", "ascending").when().get(USERS));
        assertEquals(names(body), names(explicit));
    }

    @Test
    void rfc7644_3_4_2_3_sortByUserNameDescending() {
        JsonNode body = ok(scim(token()).queryParam("filter", scope()).queryParam("sortBy", "userName")
                .queryParam("sortOrder", "descending").when().get(USERS));
        assertEquals(List.of("heidi", "grace", "frank", "erin", "dave", "carol", "Bob", "alice"), names(body));
    }

    @Test
    void rfc7644_3_4_2_3_sortByEmailsUsesThePrimaryValue() {
        // Bob's first email is zz-bob@home..., his primary bob@work...; grace has no email and sorts last ascending
        JsonNode ascending = ok(scim(token()).queryParam("filter", scope()).queryParam("sortBy", "emails").when().get(USERS));
        assertEquals(List.of("alice", "Bob", "carol", "dave", "erin", "frank", "heidi", "grace"), names(ascending));
        JsonNode descending = ok(scim(token()).queryParam("filter", scope()).queryParam("sortBy", "emails")
                .queryParam("sortOrder", "descending").when().get(USERS));
        assertEquals(List.of("grace", "heidi", "frank", "erin", "dave", "carol", "Bob", "alice"), names(descending));
    }

    @Test
    void rfc7644_3_4_2_3_sortByMetaResourceTypeListsEveryUser() {
        JsonNode body = ok(scim(token()).queryParam("filter", scope()).queryParam("sortBy", "meta.resourceType")
                .when().get(USERS));
        assertEquals(new HashSet<>(CREATED), new HashSet<>(names(body)));
    }

    @Test
    void rfc7644_3_4_2_3_sortByMetaCreated() {
        JsonNode ascending = ok(scim(token()).queryParam("filter", scope()).queryParam("sortBy", "meta.created")
                .when().get(USERS));
        assertEquals(CREATED, names(ascending));
        JsonNode descending = ok(scim(token()).queryParam("filter", scope()).queryParam("sortBy", "meta.created")
                .queryParam("sortOrder", "descending").when().get(USERS));
        List<String> reversed = new ArrayList<>(CREATED);
        java.util.Collections.reverse(reversed);
        assertEquals(reversed, names(descending));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unsortable")
    void rfc7644_3_4_2_3_sortByWhatHasNoSingleValueIsRefused(String sortBy, String named) {
        users();
        assertScimError(scim(token()).queryParam("filter", scope()).queryParam("sortBy", sortBy).when().get(USERS)
                .then(), 400, "invalidValue", named);
    }

    static Stream<Arguments> unsortable() {
        return Stream.of(
                Arguments.of("groups", "groups"),
                Arguments.of("emails[type eq \"work\"].value", "emails"),
                Arguments.of("name", "name"),
                Arguments.of("meta.location", "meta.location"),
                Arguments.of("password", "'password': it is never returned"),
                Arguments.of("roles", "'roles': the server computes it"));
    }

    @Test
    void rfc7644_3_4_2_3_sortByAnExtensionAttributePutsUsersWithoutItLastAscendingAndFirstDescending() {
        String employeeNumber = ENTERPRISE + ":employeeNumber";
        JsonNode ascending = ok(scim(token()).queryParam("filter", scope()).queryParam("sortBy", employeeNumber)
                .when().get(USERS));
        assertEquals(List.of("alice", "Bob", "dave"), names(ascending).subList(0, 3));
        assertEquals(Set.of("carol", "erin", "frank", "grace", "heidi"), new HashSet<>(names(ascending).subList(3, 8)));
        JsonNode descending = ok(scim(token()).queryParam("filter", scope()).queryParam("sortBy", employeeNumber)
                .queryParam("sortOrder", "descending").when().get(USERS));
        assertEquals(Set.of("carol", "erin", "frank", "grace", "heidi"), new HashSet<>(names(descending).subList(0, 5)));
        assertEquals(List.of("dave", "Bob", "alice"), names(descending).subList(5, 8));
    }

    @Test
    void rfc7644_3_4_2_2_orderingOperatorsCompareStringsIgnoringCaseAndSkipUsersWithoutTheValue() {
        // titles: alice, dave, grace Engineer; Bob Manager; frank Director; the others none (caseExact false)
        assertEquals(List.of("Bob"), found("title gt \"Engineer\""));
        assertEquals(List.of("alice", "Bob", "dave", "grace"), found("title ge \"ENGINEER\""));
        assertEquals(List.of("frank"), found("title lt \"engineer\""));
        assertEquals(List.of("alice", "dave", "frank", "grace"), found("title le \"Engineer\""));
    }

    @Test
    void rfc7644_3_4_2_3_sortByUnknownAttributeIsRefused() {
        users();
        assertScimError(scim(token()).queryParam("filter", scope()).queryParam("sortBy", "shoeSize").when().get(USERS)
                .then(), 400, "invalidValue", "shoeSize");
    }

    // --- paging (RFC 7644 §3.4.2.4) -----------------------------------------------------------------------------------

    @Test
    void rfc7644_3_4_2_4_pagesCoverEveryUserOnceInAStableOrder() {
        for (String sortBy : new String[] { null, "userName", "title", "emails" }) {
            List<String> seen = new ArrayList<>();
            int[] expectedSizes = { 3, 3, 2 };
            for (int page = 0; page < 3; page++) {
                int startIndex = 1 + page * 3;
                RequestSpecification request = scim(token()).queryParam("filter", scope())
                        .queryParam("startIndex", startIndex).queryParam("count", 3);
                if (sortBy != null) {
                    request.queryParam("sortBy", sortBy);
                }
                JsonNode body = ok(request.when().get(USERS));
                assertEquals(8, body.path("totalResults").asInt(), "totalResults is the filtered total on every page");
                assertEquals(startIndex, body.path("startIndex").asInt());
                assertEquals(expectedSizes[page], body.path("itemsPerPage").asInt(), body.toString());
                assertEquals(expectedSizes[page], body.path("Resources").size());
                seen.addAll(names(body));
            }
            assertEquals(8, seen.size(), "sortBy " + sortBy + ": " + seen);
            assertEquals(Set.copyOf(CREATED), new HashSet<>(seen), "each user exactly once (sortBy " + sortBy + ")");
            // and the same as one page with everything
            RequestSpecification all = scim(token()).queryParam("filter", scope());
            if (sortBy != null) {
                all.queryParam("sortBy", sortBy);
            }
            assertEquals(names(ok(all.when().get(USERS))), seen, "pages concatenate to the full list (sortBy " + sortBy + ")");
        }
    }

    @Test
    void rfc7644_3_4_2_4_pastTheLastPageIsEmptyWithTheTotal() {
        JsonNode body = ok(scim(token()).queryParam("filter", scope()).queryParam("startIndex", 50).when().get(USERS));
        assertEquals(8, body.path("totalResults").asInt());
        assertEquals(0, body.path("Resources").size());
        assertEquals(50, body.path("startIndex").asInt());
    }

    @Test
    void rfc7644_3_4_2_4_countZeroReturnsOnlyTheTotal() {
        for (String count : new String[] { "0", "-5" }) {
            JsonNode body = ok(scim(token()).queryParam("filter", scope()).queryParam("count", count).when().get(USERS));
            assertEquals(8, body.path("totalResults").asInt(), "count=" + count + ": " + body);
            assertEquals(0, body.path("Resources").size(), "count=" + count + " returns no resources: " + body);
            assertEquals(0, body.path("itemsPerPage").asInt(0), "count=" + count + ": " + body);
        }
    }

    @Test
    void rfc7644_3_4_2_4_startIndexBelowOneCountsAsOne() {
        JsonNode first = ok(scim(token()).queryParam("filter", scope()).queryParam("count", 2).when().get(USERS));
        for (String startIndex : new String[] { "0", "-3" }) {
            JsonNode body = ok(scim(token()).queryParam("filter", scope()).queryParam("startIndex", startIndex)
                    .queryParam("count", 2).when().get(USERS));
            assertEquals(1, body.path("startIndex").asInt(), "startIndex=" + startIndex + ": " + body);
            assertEquals(List.of("alice", "Bob"), names(body));
            assertEquals(names(first), names(body));
        }
    }

    @Test
    void rfc7644_3_4_2_4_nonNumericPagingIsRefused() {
        assertScimError(scim(token()).queryParam("count", "ten").when().get(USERS).then(), 400, "invalidValue", "count");
        assertScimError(scim(token()).queryParam("startIndex", "first").when().get(USERS).then(), 400, "invalidValue",
                "startIndex");
    }

    /**
     * More than the 1000-per-page maximum exist; asking for more gets 1000 and the true total. The 1003 users stay: the
     * database is this run's own, and every other test scopes its queries.
     */
    @Test
    void rfc7644_3_4_2_4_countAboveTheMaximumIsCappedAt1000() throws Exception {
        String prefix = "bulk-" + UserFixtures.token();
        int total = 1003;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> created = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                String n = String.format("%04d", i);
                created.add(pool.submit(() -> scim(token()).body(fixture("create-bulk-member.json", Map.of(
                        "userName", prefix + "-" + n + "@example.com", "externalId", prefix + "-" + n)))
                        .when().post(USERS).statusCode()));
            }
            for (Future<Integer> status : created) {
                assertEquals(201, status.get(5, TimeUnit.MINUTES));
            }
        } finally {
            pool.shutdownNow();
        }
        String filter = "externalId sw \"" + prefix + "-\"";
        for (String count : new String[] { "1001", "5000", "2147483647" }) {
            JsonNode body = ok(scim(token()).queryParam("filter", filter).queryParam("count", count)
                    .queryParam("attributes", "externalId").when().get(USERS));
            assertEquals(total, body.path("totalResults").asInt());
            assertEquals(1000, body.path("itemsPerPage").asInt(), "count=" + count);
            assertEquals(1000, body.path("Resources").size(), "count=" + count);
        }
        JsonNode rest = ok(scim(token()).queryParam("filter", filter).queryParam("count", 5000)
                .queryParam("startIndex", 1001).queryParam("attributes", "externalId").when().get(USERS));
        assertEquals(total, rest.path("totalResults").asInt());
        assertEquals(3, rest.path("Resources").size());
        // the default page is 100
        JsonNode defaultPage = ok(scim(token()).queryParam("filter", filter).queryParam("attributes", "externalId")
                .when().get(USERS));
        assertEquals(100, defaultPage.path("Resources").size());
    }

    // --- attributes / excludedAttributes (RFC 7644 §3.4.2.5) ----------------------------------------------------------

    private static JsonNode onlyAlice(String parameter, String value) {
        JsonNode body = ok(list("externalId eq \"" + run() + "-Alice\"").queryParam(parameter, value).when().get(USERS));
        assertEquals(1, body.path("Resources").size(), body.toString());
        return body.path("Resources").path(0);
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void rfc7644_3_4_2_5_attributesUserNameReturnsOnlyIdSchemasAndUserName() {
        JsonNode alice = onlyAlice("attributes", "userName");
        assertEquals(Set.of("schemas", "id", "userName"), fieldNames(alice), alice.toString());
        assertEquals(users().get("alice").path("id").asText(), alice.path("id").asText());
        assertEquals("alice@" + run() + ".example.com", alice.path("userName").asText());
        // and on GET by id too
        JsonNode byId = tree(scim(token()).queryParam("attributes", "USERNAME").when()
                .get(USERS + "/" + alice.path("id").asText()));
        assertEquals(Set.of("schemas", "id", "userName"), fieldNames(byId), byId.toString());
    }

    @Test
    void rfc7644_3_4_2_5_attributesSubAttributeReturnsOnlyThatSubAttribute() {
        JsonNode alice = onlyAlice("attributes", "name.givenName");
        assertEquals(Set.of("schemas", "id", "name"), fieldNames(alice), alice.toString());
        assertEquals(Set.of("givenName"), fieldNames(alice.path("name")), alice.toString());
        assertEquals("Alice", alice.path("name").path("givenName").asText());

        JsonNode emails = onlyAlice("attributes", "emails.value,displayName");
        assertEquals(Set.of("schemas", "id", "emails", "displayName"), fieldNames(emails), emails.toString());
        for (JsonNode email : emails.path("emails")) {
            assertEquals(Set.of("value"), fieldNames(email), emails.toString());
        }
    }

    @Test
    void rfc7644_3_4_2_5_excludedAttributesDropsThem() {
        JsonNode alice = onlyAlice("excludedAttributes", "emails,name");
        assertFalse(alice.has("emails"), alice.toString());
        assertFalse(alice.has("name"), alice.toString());
        assertTrue(alice.has("userName"), alice.toString());
        assertTrue(alice.has("displayName"), alice.toString());
        assertTrue(alice.has("meta"), alice.toString());
        assertTrue(alice.has(ENTERPRISE), alice.toString());
    }

    @Test
    void rfc7644_3_4_2_5_excludedAttributesCannotDropId() {
        JsonNode alice = onlyAlice("excludedAttributes", "id,title");
        assertEquals(users().get("alice").path("id").asText(), alice.path("id").asText(), alice.toString());
        assertFalse(alice.has("title"), alice.toString());
        assertTrue(alice.has("userName"), alice.toString());
    }

    @Test
    void rfc7644_3_4_2_5_attributesNamingTheWholeEnterpriseExtension() {
        JsonNode alice = onlyAlice("attributes", ENTERPRISE);
        assertEquals(Set.of("schemas", "id", ENTERPRISE), fieldNames(alice), alice.toString());
        assertEquals(users().get("alice").path(ENTERPRISE), alice.path(ENTERPRISE), "the whole extension object");

        JsonNode one = onlyAlice("attributes", ENTERPRISE + ":department,userName");
        assertEquals(Set.of("schemas", "id", "userName", ENTERPRISE), fieldNames(one), one.toString());
        assertEquals(Set.of("department"), fieldNames(one.path(ENTERPRISE)), one.toString());

        JsonNode without = onlyAlice("excludedAttributes", ENTERPRISE);
        assertFalse(without.has(ENTERPRISE), without.toString());
        assertTrue(without.has("userName"), without.toString());
    }

    // --- POST .search (RFC 7644 §3.4.3) -------------------------------------------------------------------------------

    @Test
    void rfc7644_3_4_3_searchRequestGivesTheSameResultsAsGet() {
        Response searched = scim(token()).body(fixture("search-request.json", Map.of("run", run())))
                .when().post(USERS + "/.search");
        JsonNode viaPost = ok(searched);
        JsonNode viaGet = ok(scim(token()).queryParam("filter", scope() + " and title pr").queryParam("sortBy", "userName")
                .queryParam("sortOrder", "descending").queryParam("startIndex", 2).queryParam("count", 2)
                .queryParam("attributes", "userName,title").when().get(USERS));
        assertEquals(viaGet, viaPost);
        // title pr: alice, Bob, dave, frank, grace; descending by userName: grace, frank, dave, Bob, alice; page 2 of 2
        assertEquals(List.of("frank", "dave"), names(viaPost));
        assertEquals(5, viaPost.path("totalResults").asInt());
        assertEquals(2, viaPost.path("startIndex").asInt());
        assertEquals(2, viaPost.path("itemsPerPage").asInt());
        for (JsonNode resource : viaPost.path("Resources")) {
            assertEquals(Set.of("schemas", "id", "userName", "title"), fieldNames(resource), resource.toString());
        }
    }

    @Test
    void rfc7644_3_4_3_searchRequestWithValueFilterSortAndExclusions() {
        JsonNode viaPost = ok(scim(token()).body(fixture("search-request-excluded.json", Map.of("run", run())))
                .when().post(USERS + "/.search"));
        JsonNode viaGet = ok(scim(token()).queryParam("filter", scope() + " and (emails[type eq \"work\" and value co \"@work."
                + run() + ".example.com\"] or active eq false)").queryParam("sortBy", "emails").queryParam("startIndex", 1)
                .queryParam("count", 10).queryParam("excludedAttributes", "emails,name").when().get(USERS));
        assertEquals(viaGet, viaPost);
        assertEquals(List.of("alice", "Bob", "dave", "erin", "frank", "heidi"), names(viaPost));
        for (JsonNode resource : viaPost.path("Resources")) {
            assertFalse(resource.has("emails") || resource.has("name"), resource.toString());
        }
    }

    @Test
    void rfc7644_3_4_3_searchRequestWithAnInvalidFilterIsInvalidFilter() {
        assertScimError(scim(token()).body(fixture("search-request-invalid-filter.json")).when().post(USERS + "/.search")
                .then(), 400, "invalidFilter", "shoeSize");
    }
}
