package io.rollcall.scim;

import static io.rollcall.support.ScimErrors.assertScimError;
import static io.rollcall.support.UserFixtures.ENTERPRISE;
import static io.rollcall.support.UserFixtures.USERS;
import static io.rollcall.support.UserFixtures.create;
import static io.rollcall.support.UserFixtures.fixture;
import static io.rollcall.support.UserFixtures.get;
import static io.rollcall.support.UserFixtures.scim;
import static io.rollcall.support.UserFixtures.tree;
import static io.rollcall.support.UserFixtures.version;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;
import io.rollcall.support.UserFixtures;

/**
 * PATCH of Users, RFC 7644 §3.5.2 (add §3.5.2.1, remove §3.5.2.2, replace §3.5.2.3; all operations or none), in the
 * RFC's own examples and in the shapes Okta (SCIM 2.0 docs) and Microsoft Entra ID ("Tutorial: Develop and plan
 * provisioning for a SCIM endpoint") send; with versions and If-Match (§3.14) and RFC 7643 §2.4 (one primary value).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class UsersPatchTest {

    private static String token;

    private static synchronized String token() {
        if (token == null) {
            token = Tokens.scimClient();
        }
        return token;
    }

    /** A user from create-patch-base.json: work email (primary), work and mobile phones, title, enterprise data. */
    private static ObjectNode base() {
        return create(token(), "create-patch-base.json", Map.of("userName", "patch-" + UserFixtures.token()
                + "@example.com"));
    }

    private static String id(JsonNode user) {
        return user.path("id").asText();
    }

    private static long versionOf(JsonNode user) {
        return version(user.path("meta").path("version").asText());
    }

    /** PATCHes and expects 200 with the patched user, the same as a GET then shows, one version later. */
    private static JsonNode patch(JsonNode before, String fixture, Map<String, String> values) {
        Response response = scim(token()).body(fixture(fixture, values)).when().patch(USERS + "/" + id(before));
        assertEquals(200, response.statusCode(), fixture + " answered " + response.asString());
        JsonNode after = tree(response);
        assertEquals(id(before), id(after));
        assertEquals(versionOf(before) + 1, versionOf(after), "one PATCH, one version: " + after);
        assertEquals(after.path("meta").path("version").asText(), response.header("ETag"));
        assertEquals(after, get(token(), id(before)), "GET shows what PATCH answered");
        return after;
    }

    private static JsonNode patch(JsonNode before, String fixture) {
        return patch(before, fixture, Map.of());
    }

    private static List<String> values(JsonNode multiValued) {
        List<String> values = new ArrayList<>();
        multiValued.forEach(element -> values.add(element.path("value").asText()));
        return values;
    }

    private static JsonNode withType(JsonNode multiValued, String type) {
        for (JsonNode element : multiValued) {
            if (type.equals(element.path("type").asText())) {
                return element;
            }
        }
        throw new AssertionError("No value of type " + type + " in " + multiValued);
    }

    private static int primaries(JsonNode multiValued) {
        int count = 0;
        for (JsonNode element : multiValued) {
            if (element.path("primary").asBoolean(false)) {
                count++;
            }
        }
        return count;
    }

    /** Everything but meta: what a PATCH was or was not allowed to change. */
    private static ObjectNode withoutMeta(JsonNode user) {
        ObjectNode copy = user.deepCopy();
        copy.remove("meta");
        return copy;
    }

    // --- RFC 7644 §3.5.2 examples ------------------------------------------------------------------------------------

    @Test
    void rfc7644_3_5_2_1_addWithoutPathAddsEmailsAndAttributes() {
        JsonNode before = base();
        JsonNode after = patch(before, "patch-rfc-add-no-path.json");
        assertEquals(List.of("bjensen@example.com", "babs@jensen.org"), values(after.path("emails")), after.toString());
        assertEquals("home", withType(after.path("emails"), "home").path("type").asText());
        assertTrue(withType(after.path("emails"), "work").path("primary").booleanValue(), "the work email stays primary");
        assertEquals("Babs", after.path("nickName").asText(), "stored in the schema's spelling: " + after);
        assertFalse(after.has("nickname"), after.toString());
        assertEquals(withoutMeta(before).path("phoneNumbers"), after.path("phoneNumbers"), "untouched");
    }

    @Test
    void rfc7644_3_5_2_1_addWithPathAppendsToAMultiValuedAttribute() {
        JsonNode before = base();
        String email = "other-" + UserFixtures.token() + "@example.org";
        JsonNode after = patch(before, "patch-rfc-add-emails-path.json", Map.of("email", email));
        assertEquals(List.of("bjensen@example.com", email), values(after.path("emails")), after.toString());
        // the new value is findable straight away
        scim(token()).queryParam("filter", "emails.value eq \"" + email.toUpperCase(Locale.ROOT) + "\"").when().get(USERS)
                .then().statusCode(200).body("totalResults", equalTo(1)).body("Resources[0].id", equalTo(id(before)));
    }

    @Test
    void rfc7644_3_5_2_3_replaceWithAValueFilterPath() {
        JsonNode before = base();
        String email = "new-work-" + UserFixtures.token() + "@example.com";
        JsonNode after = patch(before, "patch-rfc-replace-filtered-value.json", Map.of("email", email));
        assertEquals(1, after.path("emails").size(), after.toString());
        JsonNode work = withType(after.path("emails"), "work");
        assertEquals(email, work.path("value").asText());
        assertTrue(work.path("primary").booleanValue(), "the other sub-attributes stay: " + work);
    }

    @Test
    void rfc7644_3_5_2_2_removeWithAValueFilterPath() {
        JsonNode before = base();
        JsonNode after = patch(before, "patch-rfc-remove-filtered.json");
        assertEquals(List.of("555-555-5555"), values(after.path("phoneNumbers")), after.toString());
        assertEquals("work", after.path("phoneNumbers").path(0).path("type").asText());
    }

    @Test
    void rfc7644_3_5_2_2_removeAnAttribute() {
        JsonNode before = base();
        assertEquals("Tour Guide", before.path("title").asText());
        JsonNode after = patch(before, "patch-rfc-remove-attribute.json");
        assertFalse(after.has("title"), after.toString());
        scim(token()).queryParam("filter", "id eq \"" + id(before) + "\" and title pr").when().get(USERS)
                .then().statusCode(200).body("totalResults", equalTo(0));
    }

    @Test
    void rfc7644_3_5_2_3_replaceWithoutPathReplacesTheNamedAttributes() {
        JsonNode before = base();
        JsonNode after = patch(before, "patch-rfc-replace-no-path.json");
        assertEquals(List.of("bjensen@example.com", "babs@jensen.org"), values(after.path("emails")), after.toString());
        assertEquals(1, primaries(after.path("emails")));
        assertEquals("Babs", after.path("nickName").asText(), after.toString());
        assertEquals("Tour Guide", after.path("title").asText(), "attributes not named are left alone");
        assertEquals(before.path("name"), after.path("name"));
    }

    @Test
    void rfc7644_3_5_2_3_replaceOfAComplexAttributeKeepsTheSubAttributesNotGiven() {
        JsonNode before = base();
        JsonNode after = patch(before, "patch-rfc-replace-complex-path.json");
        assertEquals("Barb", after.path("name").path("givenName").asText(), after.toString());
        assertEquals("Jensen", after.path("name").path("familyName").asText(),
                "RFC 7644 §3.5.2.3: sub-attributes not specified in the value are left unchanged: " + after);
        assertEquals("Jane", after.path("name").path("middleName").asText(), after.toString());
    }

    // --- RFC 7644 §3.10: attribute paths qualified with the schema URN ----------------------------------------------

    @Test
    void rfc7644_3_10_corePathsQualifiedWithTheSchemaUrnWorkAsUnqualifiedOnes() {
        JsonNode before = base();
        JsonNode after = patch(before, "patch-core-urn-paths.json");
        assertEquals("Urn Display", after.path("displayName").asText(), after.toString());
        assertEquals("Urnie", after.path("name").path("givenName").asText(), after.toString());
        assertEquals("Jensen", after.path("name").path("familyName").asText(), after.toString());
        assertEquals("Urn Title", after.path("title").asText(), "as a key of a no-path value: " + after);
        assertEquals("Urn Department", after.path(ENTERPRISE).path("department").asText(), after.toString());
        assertEquals("701984", after.path(ENTERPRISE).path("employeeNumber").asText(), after.toString());
        after.fieldNames().forEachRemaining(name -> assertFalse(name.startsWith(UserFixtures.CORE), after.toString()));
    }

    // --- Okta --------------------------------------------------------------------------------------------------------

    @Test
    void rfc7644_3_5_2_3_okta_deactivationIsAReplaceOfActiveWithoutPath() {
        JsonNode before = base();
        JsonNode after = patch(before, "patch-okta-deactivate.json");
        assertTrue(after.path("active").isBoolean(), after.toString());
        assertFalse(after.path("active").booleanValue());
        assertEquals(withoutMeta(before).put("active", false), withoutMeta(after), "only active changed");
        scim(token()).queryParam("filter", "id eq \"" + id(before) + "\" and active eq false").when().get(USERS)
                .then().statusCode(200).body("totalResults", equalTo(1));
    }

    @Test
    void rfc7644_3_5_2_3_okta_profileUpdateWithoutPath() {
        JsonNode before = base();
        String email = "okta-" + UserFixtures.token() + "@example.com";
        JsonNode after = patch(before, "patch-okta-profile.json", Map.of("email", email));
        assertEquals("Jensen-Okta", after.path("name").path("familyName").asText(), after.toString());
        assertEquals("Barbara", after.path("name").path("givenName").asText());
        assertEquals("Barbara Jensen-Okta", after.path("displayName").asText());
        assertEquals("Senior Tour Guide", after.path("title").asText());
        assertEquals(List.of(email), values(after.path("emails")), "emails replaced as a whole: " + after);
        assertEquals(before.path(ENTERPRISE), after.path(ENTERPRISE), "the extension is untouched");
        assertEquals(before.path("userName"), after.path("userName"));
        // the indexed columns follow the document
        scim(token()).queryParam("filter", "displayName eq \"Barbara Jensen-Okta\" and id eq \"" + id(before) + "\"")
                .when().get(USERS).then().statusCode(200).body("totalResults", equalTo(1));
    }

    @Test
    void rfc7644_3_5_2_3_okta_profileUpdateWithPaths() {
        JsonNode before = base();
        JsonNode after = patch(before, "patch-okta-profile-path.json");
        assertEquals("Jensen-Path", after.path("name").path("familyName").asText(), after.toString());
        assertEquals("Barbara", after.path("name").path("givenName").asText());
        assertEquals("Head Tour Guide", after.path("title").asText());
        assertEquals(versionOf(before) + 1, versionOf(after), "two operations, one request, one version");
    }

    @Test
    void rfc7644_3_5_2_3_okta_passwordReplaceIsAcceptedAndNeverReturned() {
        JsonNode before = base();
        String password = "Okta-" + UserFixtures.token() + "!";
        Response response = scim(token()).body(fixture("patch-okta-password.json", Map.of("password", password)))
                .when().patch(USERS + "/" + id(before));
        response.then().statusCode(200);
        assertFalse(response.asString().contains(password), response.asString());
        assertFalse(response.asString().toLowerCase(Locale.ROOT).contains("password"), response.asString());
        JsonNode after = tree(response);
        assertEquals(versionOf(before) + 1, versionOf(after), "a password change is a change");
        assertEquals(withoutMeta(before), withoutMeta(after), "nothing visible changed");

        String second = "Path-" + UserFixtures.token() + "!";
        Response byPath = scim(token()).body(fixture("patch-password-path.json", Map.of("password", second)))
                .when().patch(USERS + "/" + id(before));
        byPath.then().statusCode(200);
        assertFalse(byPath.asString().contains(second), byPath.asString());
        Response read = scim(token()).when().get(USERS + "/" + id(before));
        assertFalse(read.asString().toLowerCase(Locale.ROOT).contains("password"), read.asString());
    }

    // --- Microsoft Entra ID ------------------------------------------------------------------------------------------

    @Test
    void rfc7644_3_5_2_3_entra_capitalisedReplaceOfAFilteredValueAndASubAttribute() {
        JsonNode before = base();
        String email = "updatedEmail-" + UserFixtures.token() + "@microsoft.com";
        JsonNode after = patch(before, "patch-entra-multi-valued.json", Map.of("email", email));
        assertEquals(List.of(email), values(after.path("emails")), after.toString());
        assertEquals("updatedFamilyName", after.path("name").path("familyName").asText(), after.toString());
        assertEquals("Barbara", after.path("name").path("givenName").asText());
    }

    @Test
    void rfc7644_3_5_2_3_entra_activeFalseAsAStringDisablesAndTrueEnables() {
        JsonNode before = base();
        JsonNode disabled = patch(before, "patch-entra-disable.json");
        assertTrue(disabled.path("active").isBoolean(), "stored as a boolean: " + disabled);
        assertFalse(disabled.path("active").booleanValue());
        scim(token()).queryParam("filter", "id eq \"" + id(before) + "\" and active eq false").when().get(USERS)
                .then().statusCode(200).body("totalResults", equalTo(1));
        JsonNode enabled = patch(disabled, "patch-entra-enable.json");
        assertTrue(enabled.path("active").isBoolean(), enabled.toString());
        assertTrue(enabled.path("active").booleanValue());
    }

    @Test
    void rfc7644_3_5_2_3_entra_multiAttributeReplaceWithDottedAndUrnKeys() {
        JsonNode before = base();
        JsonNode after = patch(before, "patch-entra-multi-attribute.json");
        assertEquals("Test1", after.path("displayName").asText(), after.toString());
        assertEquals("Test2", after.path("name").path("givenName").asText(), after.toString());
        assertEquals("Test3", after.path("name").path("familyName").asText(), after.toString());
        assertEquals("Jane", after.path("name").path("middleName").asText(), "other sub-attributes stay: " + after);
        assertFalse(after.path("name").has("name.givenName"), after.toString());
        assertFalse(after.has("name.givenName"), "dotted keys are paths, not attribute names: " + after);
        JsonNode enterprise = after.path(ENTERPRISE);
        assertEquals("Test4", enterprise.path("department").asText(), after.toString());
        assertEquals("Test5", enterprise.path("employeeNumber").asText(), after.toString());
        assertEquals("26118915-6090-4610-87e4-49d8ca9f808d", enterprise.path("manager").path("value").asText(),
                "the rest of the extension stays: " + after);
        assertFalse(after.has(ENTERPRISE + ":department"), after.toString());
        assertTrue(after.path("active").isBoolean() && !after.path("active").booleanValue(), after.toString());
        scim(token()).queryParam("filter", ENTERPRISE + ":department eq \"Test4\" and id eq \"" + id(before) + "\"")
                .when().get(USERS).then().statusCode(200).body("totalResults", equalTo(1));
    }

    @Test
    void rfc7644_3_5_2_1_entra_addOfAFilteredWorkEmailCreatesItWhenThereIsNone() {
        JsonNode before = create(token(), "create-home-email-only.json", Map.of("userName", "entra-"
                + UserFixtures.token() + "@example.com"));
        String email = "work-" + UserFixtures.token() + "@contoso.com";
        JsonNode after = patch(before, "patch-entra-add-work-email.json", Map.of("email", email));
        assertEquals(2, after.path("emails").size(), after.toString());
        assertEquals(email, withType(after.path("emails"), "work").path("value").asText());
        assertEquals("home@example.net", withType(after.path("emails"), "home").path("value").asText());

        // with no emails at all
        JsonNode bare = create(token(), "create-minimal.json", Map.of("userName", "entra-bare-" + UserFixtures.token()));
        JsonNode created = patch(bare, "patch-entra-add-work-email.json", Map.of("email", email));
        assertEquals(1, created.path("emails").size(), created.toString());
        assertEquals(email, withType(created.path("emails"), "work").path("value").asText());
    }

    /**
     * Entra sends the same Add when the work email exists. The target, {@code value} of the matching email, is
     * single-valued, and RFC 7644 §3.5.2.1 says "the existing value is replaced".
     */
    @Test
    void rfc7644_3_5_2_1_entra_addOfAFilteredWorkEmailReplacesTheExistingValue() {
        JsonNode before = base();
        String email = "work2-" + UserFixtures.token() + "@contoso.com";
        JsonNode after = patch(before, "patch-entra-add-work-email.json", Map.of("email", email));
        assertEquals(List.of(email), values(after.path("emails")), "set, not added: " + after);
        assertTrue(withType(after.path("emails"), "work").path("primary").booleanValue(), after.toString());
    }

    @Test
    void rfc7644_3_5_2_entra_managerSetFromAPlainIdAndRemoved() {
        JsonNode before = create(token(), "create-minimal.json", Map.of("userName", "report-" + UserFixtures.token()));
        JsonNode manager = create(token(), "create-minimal.json", Map.of("userName", "boss-" + UserFixtures.token()));
        JsonNode managed = patch(before, "patch-entra-add-manager.json", Map.of("managerId", id(manager)));
        assertEquals(id(manager), managed.path(ENTERPRISE).path("manager").path("value").asText(), managed.toString());
        assertTrue(managed.path("schemas").toString().contains(ENTERPRISE), "schemas lists the extension now in use: "
                + managed);
        scim(token()).queryParam("filter", ENTERPRISE + ":manager.value eq \"" + id(manager) + "\"").when().get(USERS)
                .then().statusCode(200).body("totalResults", equalTo(1)).body("Resources[0].id", equalTo(id(before)));

        JsonNode removed = patch(managed, "patch-entra-remove-manager.json");
        assertFalse(removed.path(ENTERPRISE).has("manager"), removed.toString());
        scim(token()).queryParam("filter", ENTERPRISE + ":manager.value eq \"" + id(manager) + "\"").when().get(USERS)
                .then().statusCode(200).body("totalResults", equalTo(0));
    }

    @Test
    void rfc7644_3_5_2_2_entra_removeManagerKeepsTheRestOfTheExtension() {
        JsonNode before = base();
        JsonNode after = patch(before, "patch-entra-remove-manager.json");
        assertFalse(after.path(ENTERPRISE).has("manager"), after.toString());
        assertEquals("701984", after.path(ENTERPRISE).path("employeeNumber").asText(), after.toString());
        assertEquals("Tour Operations", after.path(ENTERPRISE).path("department").asText());
    }

    // --- RFC 7643 §2.4: at most one primary ---------------------------------------------------------------------------

    @Test
    void rfc7643_2_4_addingANewPrimaryEmailClearsTheOldOne() {
        JsonNode before = base();
        assertTrue(withType(before.path("emails"), "work").path("primary").booleanValue());
        String email = "primary-" + UserFixtures.token() + "@example.net";
        JsonNode after = patch(before, "patch-add-primary-email.json", Map.of("email", email));
        assertEquals(2, after.path("emails").size(), after.toString());
        assertEquals(1, primaries(after.path("emails")), "exactly one primary: " + after.path("emails"));
        assertTrue(withType(after.path("emails"), "home").path("primary").booleanValue(), "the new one: " + after);
        assertFalse(withType(after.path("emails"), "work").path("primary").asBoolean(false), after.toString());
    }

    /**
     * RFC 7644 §3.5.2 lets a filtered replace make a value primary; the server then clears {@code primary} on the others
     * (RFC 7643 §2.4), whether the value names {@code primary} alone, comes whole, or the path ends in {@code .primary}.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "patch-primary-filtered.json", "patch-primary-filtered-full-value.json",
            "patch-primary-filtered-sub-attribute.json" })
    void rfc7643_2_4_aFilteredReplaceMakingAValuePrimaryClearsTheOldPrimary(String fixture) {
        JsonNode before = create(token(), "create-work-and-home-emails.json", Map.of("userName", "primary-"
                + UserFixtures.token() + "@example.com"));
        JsonNode after = patch(before, fixture);
        assertEquals(List.of("work@example.com", "home@example.net"), values(after.path("emails")), after.toString());
        assertEquals(1, primaries(after.path("emails")), "exactly one primary: " + after.path("emails"));
        assertTrue(withType(after.path("emails"), "home").path("primary").booleanValue(), "the home one: " + after);
        assertFalse(withType(after.path("emails"), "work").path("primary").asBoolean(false), after.toString());
    }

    @Test
    void rfc7643_2_4_oneValueArrayMarkingTwoValuesPrimaryIsInvalidValue() {
        JsonNode before = base();
        assertScimError(scim(token()).body(fixture("patch-add-two-primary-emails.json")).when()
                .patch(USERS + "/" + id(before)).then(), 400, "invalidValue", "primary");
        assertEquals(before, get(token(), id(before)));
    }

    // --- all or nothing, refusals -------------------------------------------------------------------------------------

    @Test
    void rfc7644_3_5_2_failingSecondOperationLeavesTheUserUnchanged() {
        JsonNode before = base();
        assertScimError(scim(token()).body(fixture("patch-second-operation-fails.json")).when()
                .patch(USERS + "/" + id(before)).then(), 400, "invalidPath", "Operation 2")
                .body("detail", containsString("nosuchattr"));
        JsonNode after = get(token(), id(before));
        assertEquals("Tour Guide", after.path("title").asText(), "operation 1 was not applied: " + after);
        assertEquals(before, after, "nothing changed, not even the version");
    }

    @Test
    void rfc7644_3_5_2_errorNamesTheRequestOperationEvenAfterANoPathValueOfSeveralPaths() {
        JsonNode before = base();
        assertScimError(scim(token()).body(fixture("patch-dotted-keys-then-unknown.json")).when()
                .patch(USERS + "/" + id(before)).then(), 400, "invalidPath", "")
                .body("detail", equalTo("Operation 2 (add nosuchattr): Unknown attribute 'nosuchattr' for User resources"));
        assertEquals(before, get(token(), id(before)));
    }

    @Test
    void rfc7644_3_5_2_2_removeWithoutPathIsNoTarget() {
        JsonNode before = base();
        assertScimError(scim(token()).body(fixture("patch-remove-no-path.json")).when()
                .patch(USERS + "/" + id(before)).then(), 400, "noTarget", "")
                .body("detail", equalTo("Operation 1 (remove) needs a \"path\""));
        assertEquals(before, get(token(), id(before)));
    }

    @ParameterizedTest(name = "path {0}")
    @ValueSource(strings = { "id", "meta", "meta.created", "groups", "ID" })
    void rfc7644_3_5_2_patchOfAReadOnlyAttributeIsMutability(String path) {
        JsonNode before = base();
        assertScimError(scim(token()).body(fixture("patch-read-only-path.json", Map.of("path", path))).when()
                .patch(USERS + "/" + id(before)).then(), 400, "mutability", path);
        assertEquals(before, get(token(), id(before)));
    }

    @Test
    void rfc7644_3_5_2_readOnlyAttributeInANoPathValueIsMutability() {
        JsonNode before = base();
        assertScimError(scim(token()).body(fixture("patch-read-only-no-path.json")).when()
                .patch(USERS + "/" + id(before)).then(), 400, "mutability", "id");
        assertEquals(before, get(token(), id(before)));
    }

    @Test
    void rfc7644_3_5_2_bodyWithoutThePatchOpSchemaIsInvalidSyntax() {
        JsonNode before = base();
        assertScimError(scim(token()).body(fixture("patch-missing-schemas.json")).when().patch(USERS + "/" + id(before))
                .then(), 400, "invalidSyntax", "urn:ietf:params:scim:api:messages:2.0:PatchOp");
        assertEquals(before, get(token(), id(before)));
    }

    @Test
    void rfc7644_3_5_2_emptyOperationsIsRefused() {
        JsonNode before = base();
        assertScimError(scim(token()).body(fixture("patch-empty-operations.json")).when().patch(USERS + "/" + id(before))
                .then(), 400, "invalidSyntax", "Operations");
        assertEquals(before, get(token(), id(before)));
    }

    @Test
    void rfc7644_3_5_2_unknownOpIsRefused() {
        JsonNode before = base();
        assertScimError(scim(token()).body(fixture("patch-op-merge.json")).when().patch(USERS + "/" + id(before))
                .then(), 400, "invalidSyntax", "merge");
        assertEquals(before, get(token(), id(before)));
    }

    @Test
    void rfc7644_3_5_2_patchOfAnUnknownUserIsNotFound() {
        String id = UUID.randomUUID().toString();
        assertScimError(scim(token()).body(fixture("patch-rfc-remove-attribute.json")).when().patch(USERS + "/" + id)
                .then(), 404, null, id);
    }

    // --- versions (RFC 7644 §3.14) ------------------------------------------------------------------------------------

    @Test
    void rfc7644_3_14_patchWithAStaleIfMatchIsPreconditionFailed() {
        JsonNode before = base();
        long version = versionOf(before);
        assertScimError(scim(token()).header("If-Match", UserFixtures.etag(version + 1))
                .body(fixture("patch-rfc-remove-attribute.json")).when().patch(USERS + "/" + id(before)).then(),
                412, null, UserFixtures.etag(version));
        assertEquals(before, get(token(), id(before)), "nothing changed");

        // the current ETag is accepted
        Response ok = scim(token()).header("If-Match", before.path("meta").path("version").asText())
                .body(fixture("patch-rfc-remove-attribute.json")).when().patch(USERS + "/" + id(before));
        ok.then().statusCode(200);
        assertEquals(version + 1, version(ok.header("ETag")));
    }

    @Test
    void rfc7644_3_14_versionGoesUpByOnePerPatch() {
        JsonNode user = base();
        long first = versionOf(user);
        for (int i = 1; i <= 5; i++) {
            user = patch(user, "patch-replace-title.json", Map.of("title", "Title " + i));
            assertEquals(first + i, versionOf(user));
            assertEquals("Title " + i, user.path("title").asText());
        }
    }
}
