package io.rollcall.scim;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;
import io.rollcall.support.UserFixtures;

/**
 * A user's computed attributes — {@code groups} (RFC 7643 §4.1.2, direct and indirect) and {@code roles} — read the
 * same in every kind of read: a listing page reads them for the whole page in one batched statement, a filtered search
 * and a single GET in the row's own statement. Each is compared with the GET of the same user.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class UserListingComputedAttributesTest {

    private static final String SCIM = "application/scim+json";

    private static String token;
    private static String run;
    private static String nested;
    private static String plain;
    private static String inner;
    private static String outer;

    @BeforeEach
    void nestedGroupsAndRoles() {
        if (token != null) {
            return;
        }
        token = Tokens.withRoles("scim-client", "organization-owner");
        run = UUID.randomUUID().toString().substring(0, 8);
        nested = createUser("nested", true);
        inner = GroupsFixtures.createGroup(token, run + "-inner", nested);
        outer = GroupsFixtures.createGroup(token, run + "-outer", inner);
        plain = createUser("plain", false);
    }

    @Test
    void rfc7644_3_4_2_listingPageShowsGroupsAndRolesAsGetDoes() {
        JsonPath page = given().auth().oauth2(token)
                .queryParam("sortBy", "meta.created").queryParam("sortOrder", "descending").queryParam("count", 5)
                .when().get("/scim/v2/Users").then().statusCode(200).extract().jsonPath();
        assertSameAsGet(page, plain);
        assertSameAsGet(page, nested);
        assertEquals(List.of("direct", "indirect"), page.getList(resource(nested) + ".groups.type"));
        assertEquals(List.of("system"), page.getList(resource(plain) + ".roles.type"), "the fallback role");
    }

    @Test
    void rfc7644_3_4_2_2_filteredSearchShowsGroupsAndRolesAsGetDoes() {
        JsonPath found = given().auth().oauth2(token)
                .queryParam("filter", "externalId sw \"" + run + "-\"")
                .when().get("/scim/v2/Users").then().statusCode(200).extract().jsonPath();
        assertEquals(2, found.getInt("totalResults"));
        assertSameAsGet(found, plain);
        assertSameAsGet(found, nested);
    }

    @Test
    void rfc7644_3_4_2_5_listingWithoutGroupsStillShowsRoles() {
        JsonPath page = given().auth().oauth2(token)
                .queryParam("sortBy", "meta.created").queryParam("sortOrder", "descending").queryParam("count", 5)
                .queryParam("excludedAttributes", "groups")
                .when().get("/scim/v2/Users").then().statusCode(200).extract().jsonPath();
        assertNull(page.get(resource(nested) + ".groups"));
        assertEquals(List.of("analyze-manager", "campaign-manager"), page.getList(resource(nested) + ".roles.value"));
    }

    @Test
    void rfc7644_3_4_2_2_aGroupsFilterMatchesIndirectMembershipsAsTheRepresentationShowsThem() {
        // nested is in inner directly and in outer through inner; plain is in neither
        assertEquals(List.of(nested), found("groups.value eq \"" + outer + "\""));
        assertEquals(List.of(nested), found("groups[value eq \"" + inner + "\"]"));
        assertEquals(List.of(plain), found("not (groups.value eq \"" + outer + "\")"));
        assertEquals(List.of(nested), found("groups pr"));
    }

    private static List<String> found(String filter) {
        return given().auth().oauth2(token).queryParam("filter", "externalId sw \"" + run + "-\" and (" + filter + ")")
                .queryParam("sortBy", "meta.created").when().get("/scim/v2/Users").then().statusCode(200).extract()
                .jsonPath().getList("Resources.id");
    }

    private static void assertSameAsGet(JsonPath page, String id) {
        JsonPath user = given().auth().oauth2(token).when().get("/scim/v2/Users/" + id).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(user.getList("groups"), page.getList(resource(id) + ".groups"), "groups of " + id);
        assertEquals(user.getList("roles"), page.getList(resource(id) + ".roles"), "roles of " + id);
        assertEquals(user.getString("meta.version"), page.getString(resource(id) + ".meta.version"));
    }

    private static String resource(String id) {
        return "Resources.find { it.id == '" + id + "' }";
    }

    /** With the roles campaign-manager and analyze-manager, or without any (then it has the fallback role). */
    private static String createUser(String name, boolean withRoles) {
        return given().auth().oauth2(token).contentType(SCIM).body(UserFixtures.fixture(withRoles
                ? "create-listed-with-roles.json" : "create-listed.json", Map.of("userName", run + "-" + name
                        + "@listing.example", "externalId", run + "-" + name)))
                .when().post("/scim/v2/Users").then().statusCode(201).extract().path("id");
    }
}
