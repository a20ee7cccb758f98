package io.rollcall.scim;

import static io.restassured.RestAssured.given;
import static io.rollcall.support.ScimErrors.assertScimError;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.rollcall.support.AdminFixtures;
import io.rollcall.support.PostgresResource;

/**
 * Filters and PATCH paths are read strictly (RFC 7644 §3.4.2.2, §3.5.2): what the grammar does not produce is a 400
 * naming the problem, never a guess — an unterminated value path, a control character (a trailing NUL must not leave
 * the path before it to act on), brackets that do not pair, nesting past the limit, and a value filter on an attribute
 * that has one value. Nothing is changed by a refused PATCH.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class StrictSyntaxTest {

    private static final String SCIM_JSON = "application/scim+json";
    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    private static final String SEARCH = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";

    private static RequestSpecification scim() {
        return given().auth().oauth2(AdminFixtures.scimToken()).contentType(SCIM_JSON);
    }

    private static void assertFilterRefused(String filter, String detail) {
        assertScimError(scim().body(Map.of("schemas", List.of(SEARCH), "filter", filter)).when()
                .post("/scim/v2/Users/.search").then(), 400, "invalidFilter", detail);
    }

    @Test
    void rfc7644_3_4_2_2_anUnterminatedValuePathIsAnInvalidFilter() {
        assertFilterRefused("emails[type eq \"work\"", "unclosed");
        assertScimError(scim().queryParam("filter", "emails[type eq \"work\"").when().get("/scim/v2/Users").then(), 400,
                "invalidFilter", "unclosed");
    }

    @Test
    void rfc7644_3_4_2_2_aControlCharacterAfterAValidFilterIsAnInvalidFilter() {
        assertFilterRefused("userName eq \"a\"\u0000", "U+0000");
        assertFilterRefused("userName eq \"a\u0001\"", "U+0001");
    }

    @Test
    void rfc7644_3_4_2_2_bracketsThatDoNotPairAndQuotesLeftOpenAreInvalidFilters() {
        assertFilterRefused("userName eq \"a\")", "closes nothing");
        assertFilterRefused("emails[type eq \"work\")]", "closes nothing");
        assertFilterRefused("userName eq \"a", "quoted value");
    }

    @Test
    void rfc7644_3_4_2_2_redundantParenthesesCountTowardsTheNestingLimit() {
        String nested = "(".repeat(FilterLimits.MAX_DEPTH + 1) + "userName eq \"a\"" + ")".repeat(FilterLimits.MAX_DEPTH + 1);
        assertFilterRefused(nested, "nests more than " + FilterLimits.MAX_DEPTH + " levels");
        String within = "(".repeat(3) + "userName eq \"a\"" + ")".repeat(3);
        scim().body(Map.of("schemas", List.of(SEARCH), "filter", within)).when().post("/scim/v2/Users/.search").then()
                .statusCode(200);
    }

    @Test
    void rfc7644_3_4_2_2_parenthesesAndBracketsInsideAQuotedValueAreData() {
        scim().body(Map.of("schemas", List.of(SEARCH), "filter", "userName eq \"a)]([\\\"b\"")).when()
                .post("/scim/v2/Users/.search").then().statusCode(200).body("totalResults", equalTo(0));
    }

    private static void assertPatchRefused(AdminFixtures.User user, String path, Object value, String detail) {
        Map<String, Object> operation = value == null ? Map.of("op", "remove", "path", path)
                : Map.of("op", "replace", "path", path, "value", value);
        assertScimError(scim().body(Map.of("schemas", List.of(PATCH_OP), "Operations", List.of(operation))).when()
                .patch("/scim/v2/Users/" + user.id()).then(), 400, "invalidPath", detail);
    }

    private static String version(AdminFixtures.User user) {
        return scim().when().get("/scim/v2/Users/" + user.id()).then().statusCode(200).extract().path("meta.version");
    }

    @Test
    void rfc7644_3_5_2_aPatchPathWithAnUnterminatedValueFilterIsAnInvalidPathAndChangesNothing() {
        AdminFixtures.User user = AdminFixtures.createUser();
        String version = version(user);
        assertPatchRefused(user, "emails[type eq \"work\"", null, "unclosed");
        assertPatchRefused(user, "emails[type eq \"work\".value", "x@example.com", "unclosed");
        scim().when().get("/scim/v2/Users/" + user.id()).then().statusCode(200).body("meta.version", equalTo(version));
    }

    @Test
    void rfc7644_3_5_2_aPatchPathEndingInANulDoesNotActOnTheAttributeBeforeIt() {
        AdminFixtures.User user = AdminFixtures.createUser();
        String version = version(user);
        assertPatchRefused(user, "displayName\u0000", "Changed", "U+0000");
        assertPatchRefused(user, "displayName\u0000", null, "U+0000");
        scim().when().get("/scim/v2/Users/" + user.id()).then().statusCode(200).body("displayName", nullValue())
                .body("meta.version", equalTo(version));
    }

    @Test
    void rfc7644_3_5_2_aValueFilterOnASingleValuedAttributeIsAnInvalidPathAndChangesNothing() {
        AdminFixtures.User user = AdminFixtures.createUser();
        String version = version(user);
        assertPatchRefused(user, "name.givenName[value eq \"x\"]", "Ana", "single value");
        assertPatchRefused(user, "displayName[value eq \"x\"]", "Ana", "single value");
        scim().when().get("/scim/v2/Users/" + user.id()).then().statusCode(200).body("meta.version", equalTo(version));
    }
}
