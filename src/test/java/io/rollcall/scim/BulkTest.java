package io.rollcall.scim;

import static io.restassured.RestAssured.given;
import static io.rollcall.scim.GroupsFixtures.createGroup;
import static io.rollcall.scim.GroupsFixtures.createUser;
import static io.rollcall.scim.GroupsFixtures.memberIds;
import static io.rollcall.support.ScimErrors.assertScimError;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.rollcall.support.AdminFixtures;
import io.rollcall.support.Owners;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;
import io.rollcall.support.UserFixtures;

/**
 * {@code POST /scim/v2/Bulk}, RFC 7644 §3.7, against the running application: bulkId references resolved whatever
 * the order of the operations (§3.7.2), circular references (§3.7.1), each operation's own status, location, version
 * and error (§3.7.3), {@code failOnErrors}, per-operation {@code version} as If-Match, the limits (§3.7.4), and every
 * access rule and organization boundary of the single requests, operation by operation. Request bodies are fixtures in
 * {@code src/test/resources/fixtures/bulk/}.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class BulkTest {

    private static final String BULK = "/scim/v2/Bulk";
    private static final String RESPONSE = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";
    private static final String ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
    private static final String ROLE_ACCESS = "urn:rollcall:scim:schemas:extension:access:2.0:Role";
    private static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String idp;
    private static String idpOwner;

    /** The identity provider's key: SCIM Client and nothing else. */
    private static synchronized String idp() {
        if (idp == null) {
            idp = Tokens.scimClient();
        }
        return idp;
    }

    /** A SCIM key that also holds Organization Owner, so that it may create custom roles over SCIM. */
    private static synchronized String idpOwner() {
        if (idpOwner == null) {
            idpOwner = Tokens.withRoles("scim-client", "organization-owner");
        }
        return idpOwner;
    }

    // --- §3.7.2 bulkId references ------------------------------------------------------------------------------------

    @Test
    void rfc7644_3_7_2_aGroupListingAUserCreatedLaterInTheRequestHasItAsMemberAndTheUserTheFallbackRole() {
        String userName = unique("alice");
        JsonPath answer = bulk(idp(), "forward-reference.json", values("displayName", unique("Tour Guides"),
                "userName", userName)).statusCode(200)
                .contentType(startsWith("application/scim+json"))
                .body("schemas", equalTo(List.of(RESPONSE)))
                .extract().jsonPath();

        // in the request's order, each with its own status, location and version
        assertEquals(List.of("POST", "POST"), answer.getList("Operations.method"));
        assertEquals(List.of("ytrewq", "qwerty"), answer.getList("Operations.bulkId"));
        assertEquals(List.of("201", "201"), answer.getList("Operations.status"));
        String group = idOf(answer.getString("Operations[0].location"), "/Groups/");
        String user = idOf(answer.getString("Operations[1].location"), "/Users/");
        assertEquals(scim(idp()).when().get("/scim/v2/Users/" + user).then().extract().header("ETag"),
                answer.getString("Operations[1].version"), "the version is the resource's ETag");
        assertNotNull(answer.getString("Operations[0].version"));
        assertNull(answer.get("Operations[0].response"), "a success may omit the resource (RFC 7644 §3.7)");

        assertEquals(Set.of(user), memberIds(idp(), group));
        scim(idp()).when().get("/scim/v2/Users/" + user).then().statusCode(200)
                .body("userName", equalTo(userName))
                .body("groups.value", equalTo(List.of(group)))
                .body("roles.type", equalTo(List.of("system")));  // the organization's fallback role, rule 1
    }

    @Test
    void rfc7644_3_7_2_bulkIdsResolveInAnExtensionAPatchValueAPatchPathFilterAndAnOperationsPath() {
        String existing = createGroup(idp(), unique("existing"));
        String kris = unique("kris");
        JsonPath answer = bulk(idp(), "references-everywhere.json", values("jesse", unique("jesse"), "kris", kris,
                "team", unique("team"), "existingGroup", existing)).statusCode(200).extract().jsonPath();

        // POST jesse waits for kris (its manager); the PATCHes of the new group and of kris wait for their POSTs
        assertEquals(List.of("201", "201", "201", "204", "204", "200"), answer.getList("Operations.status"),
                answer.prettify());
        String jesse = idOf(answer.getString("Operations[0].location"), "/Users/");
        String krisId = idOf(answer.getString("Operations[1].location"), "/Users/");
        String team = idOf(answer.getString("Operations[2].location"), "/Groups/");
        assertEquals(answer.getString("Operations[2].location"), answer.getString("Operations[3].location"),
                "the PATCH's location is the resource its bulkId named");
        assertEquals(answer.getString("Operations[1].location"), answer.getString("Operations[5].location"));

        JsonPath user = scim(idp()).when().get("/scim/v2/Users/" + jesse).then().statusCode(200).extract().jsonPath();
        assertEquals(krisId, user.getString("'" + ENTERPRISE + "'.manager.value"));
        assertEquals(Set.of(jesse, krisId), memberIds(idp(), team));
        assertEquals(Set.of(krisId), memberIds(idp(), existing), "added both, then removed jesse by a path filter");
        scim(idp()).when().get("/scim/v2/Users/" + krisId).then().statusCode(200)
                .body("userName", equalTo(kris)).body("displayName", equalTo("Kris, patched"));
    }

    @Test
    void rfc7644_3_7_2_rolesUsersAndGroupsReferToEachOtherAcrossResourceTypes() {
        String roleName = unique("Campaign viewer");
        JsonPath answer = bulk(idpOwner(), "roles.json", values("viewer", unique("viewer"), "roleName", roleName,
                "groupName", unique("viewers"), "circularUser", unique("circular"),
                "circularRoleName", unique("Circular role"))).statusCode(200).extract().jsonPath();

        assertEquals(List.of("201", "201", "201", "200", "409", "409"), answer.getList("Operations.status"),
                answer.prettify());
        String user = idOf(answer.getString("Operations[0].location"), "/Users/");
        String role = idOf(answer.getString("Operations[1].location"), "/Roles/");
        String group = idOf(answer.getString("Operations[2].location"), "/Groups/");

        JsonPath created = scim(idp()).queryParam("attributes", "displayName,description," + ROLE_ACCESS + ":members,"
                + ROLE_ACCESS + ":value")
                .when().get("/scim/v2/Roles/" + role).then().statusCode(200).extract().jsonPath();
        assertEquals(roleName, created.getString("displayName"));
        assertEquals("made in one Bulk request", created.getString("description"));
        assertEquals(Set.of(user, group), Set.copyOf(created.getList("'" + ROLE_ACCESS + "'.members.value")));
        assertEquals(List.of(created.getString("'" + ROLE_ACCESS + "'.value")), scim(idp()).when()
                .get("/scim/v2/Users/" + user).then().statusCode(200).extract().jsonPath().getList("roles.value"),
                "the user holds the role created after it in the request");

        // a user whose role lists it as a member, both created here: a cycle, neither runs
        for (int i : List.of(4, 5)) {
            assertEquals("409", answer.getString("Operations[" + i + "].response.status"));
            assertTrue(answer.getString("Operations[" + i + "].response.detail")
                    .contains("bulkId:circularUser → bulkId:circularRole") || answer.getString("Operations[" + i
                            + "].response.detail").contains("bulkId:circularRole → bulkId:circularUser"),
                    answer.getString("Operations[" + i + "].response.detail"));
        }
    }

    @Test
    void rfc7644_3_7_1_circularReferencesAre409NamingTheBulkIdsAndNoneOfThemRuns() {
        Map<String, Object> names = values("groupA", unique("Group A"), "groupB", unique("Group B"),
                "bystander", unique("bystander"), "outer", unique("outer"), "self", unique("self"));
        JsonPath answer = bulk(idp(), "circular.json", names).statusCode(200).extract().jsonPath();

        assertEquals(List.of("409", "201", "409", "409", "409"), answer.getList("Operations.status"),
                answer.prettify());
        String a = answer.getString("Operations[0].response.detail");
        String b = answer.getString("Operations[2].response.detail");
        assertTrue(a.contains("bulkId:groupA → bulkId:groupB → bulkId:groupA"), a);
        assertTrue(b.contains("bulkId:groupB → bulkId:groupA → bulkId:groupB"), b);
        assertTrue(answer.getString("Operations[4].response.detail").contains("bulkId:self → bulkId:self"));
        // the group listing a group of the cycle is not on it, but cannot be created without it
        String outer = answer.getString("Operations[3].response.detail");
        assertTrue(outer.contains("bulkId:groupA cannot be resolved"), outer);
        for (int i : List.of(0, 2, 3, 4)) {
            assertEquals(List.of(ERROR), answer.getList("Operations[" + i + "].response.schemas"));
            assertNull(answer.get("Operations[" + i + "].location"), "a failed POST has no location");
        }
        for (String group : List.of("groupA", "groupB", "outer")) {
            assertEquals(0, groupsNamed((String) names.get(group)), group + " was not created");
        }
        assertEquals(0, usersNamed((String) names.get("self")));
        assertEquals(1, usersNamed((String) names.get("bystander")));
    }

    @Test
    void rfc7644_3_7_2_aBulkIdNoOperationDefinesIs400AndOneWhosePostFailedIs409() {
        String taken = unique("taken");
        createUser(idp(), taken);
        Map<String, Object> names = values("orphans", unique("orphans"), "takenUserName", taken,
                "waiting", unique("waiting"));
        JsonPath answer = bulk(idp(), "unresolvable.json", names).statusCode(200).extract().jsonPath();

        assertEquals(List.of("400", "409", "409"), answer.getList("Operations.status"), answer.prettify());
        assertEquals("invalidValue", answer.getString("Operations[0].response.scimType"));
        assertTrue(answer.getString("Operations[0].response.detail").contains("bulkId:nobody names no operation"));
        assertEquals("uniqueness", answer.getString("Operations[1].response.scimType"));
        String waiting = answer.getString("Operations[2].response.detail");
        assertTrue(waiting.contains("bulkId:taken cannot be resolved") && waiting.contains("operation 2"), waiting);
        assertEquals(0, groupsNamed((String) names.get("orphans")));
        assertEquals(0, groupsNamed((String) names.get("waiting")));
    }

    // --- §3.7 and §3.7.3: each operation on its own -------------------------------------------------------------

    @Test
    void rfc7644_3_7_aFailedOperationMidListLeavesNothingAndTheOthersStillRun() {
        String taken = unique("taken");
        createUser(idp(), taken);
        Map<String, Object> names = creates(taken, RawJson.of("null"));
        JsonPath answer = bulk(idp(), "creates-with-one-taken.json", names).statusCode(200).extract().jsonPath();

        assertEquals(List.of("201", "409", "201", "409", "201"), answer.getList("Operations.status"));
        assertEquals("uniqueness", answer.getString("Operations[1].response.scimType"));
        assertEquals("409", answer.getString("Operations[1].response.status"));
        assertTrue(answer.getString("Operations[1].response.detail").contains(taken));
        assertEquals(0, usersWithExternalId((String) names.get("takenExternalId")), "the failed create wrote nothing");
        for (String created : List.of("first", "second", "third")) {
            assertEquals(1, usersWithExternalId((String) names.get(created)));
        }
    }

    @Test
    void rfc7644_3_7_3_failOnErrorsStopsAfterThatManyErrorsAndTheRestIsNeitherRunNorAnswered() {
        String taken = unique("taken");
        createUser(idp(), taken);

        Map<String, Object> one = creates(taken, RawJson.of("1"));
        JsonPath first = bulk(idp(), "creates-with-one-taken.json", one).statusCode(200).extract().jsonPath();
        assertEquals(List.of("201", "409"), first.getList("Operations.status"));
        assertEquals(List.of("first", "taken"), first.getList("Operations.bulkId"));
        assertEquals(0, usersWithExternalId((String) one.get("second")), "not run after the first error");
        assertEquals(0, usersWithExternalId((String) one.get("third")));

        Map<String, Object> two = creates(taken, RawJson.of("2"));
        JsonPath second = bulk(idp(), "creates-with-one-taken.json", two).statusCode(200).extract().jsonPath();
        assertEquals(List.of("201", "409", "201", "409"), second.getList("Operations.status"));
        assertEquals(1, usersWithExternalId((String) two.get("second")));
        assertEquals(0, usersWithExternalId((String) two.get("third")), "not run after the second error");
    }

    @Test
    void rfc7644_3_7_anOperationsVersionIsItsIfMatchAndAStaleOneIs412InThatOperationOnly() {
        String user = createUser(idp(), unique("versioned"));
        String group = createGroup(idp(), unique("versioned"));
        String userVersion = scim(idp()).when().get("/scim/v2/Users/" + user).then().extract().header("ETag");
        String groupVersion = scim(idp()).when().get("/scim/v2/Groups/" + group).then().extract().header("ETag");

        JsonPath answer = bulk(idp(), "versions.json", values("user", user, "group", group, "userVersion", userVersion,
                "groupVersion", groupVersion)).statusCode(200).extract().jsonPath();

        assertEquals(List.of("412", "412", "412", "200", "204"), answer.getList("Operations.status"),
                answer.prettify());
        assertTrue(answer.getString("Operations[0].response.detail").contains("W/\"999\""));
        assertTrue(answer.getString("Operations[2].response.detail").contains("empty"));
        assertTrue(answer.getString("Operations[0].location").endsWith("/scim/v2/Users/" + user),
                "a failed PATCH still says where its resource is");
        assertEquals("W/\"" + (GroupsFixtures.version(userVersion) + 1) + "\"", answer.getString("Operations[3].version"));
        assertNull(answer.get("Operations[4].version"), "a deleted resource has no version");
        scim(idp()).when().get("/scim/v2/Users/" + user).then().statusCode(200).body("displayName", equalTo("current"));
        scim(idp()).when().get("/scim/v2/Groups/" + group).then().statusCode(404);
    }

    @Test
    void rfc7644_3_7_anOperationTheCallerMayNotDoIs403InThatOperationOnlyAndChangesNothing() {
        String existingUserName = unique("existing");
        String existing = createUser(idp(), existingUserName);
        long before = GroupsFixtures.version(scim(idp()).when().get("/scim/v2/Users/" + existing).then()
                .extract().header("ETag"));
        Map<String, Object> names = values("roleName", unique("Not yours"), "owner", unique("owner"),
                "manager", unique("manager"), "existing", existing, "existingUserName", existingUserName);
        JsonPath answer = bulk(idp(), "refused-by-access-rules.json", names).statusCode(200).extract().jsonPath();

        assertEquals(List.of("403", "403", "201", "403"), answer.getList("Operations.status"), answer.prettify());
        assertTrue(answer.getString("Operations[0].response.detail").contains("roles:manage"),
                answer.getString("Operations[0].response.detail"));
        assertTrue(answer.getString("Operations[1].response.detail").contains("scimAssignableRoles"));
        assertTrue(answer.getString("Operations[3].response.detail").contains("scimAssignableRoles"));
        assertEquals(0, usersNamed((String) names.get("owner")));
        assertEquals(0, scim(idp()).queryParam("filter", "displayName eq \"" + names.get("roleName") + "\"")
                .when().get("/scim/v2/Roles").then().statusCode(200).extract().jsonPath().getInt("totalResults"));
        JsonPath unchanged = scim(idp()).when().get("/scim/v2/Users/" + existing).then().statusCode(200).extract()
                .jsonPath();
        assertNull(unchanged.get("displayName"), "the refused PUT wrote nothing");
        assertEquals("W/\"" + before + "\"", unchanged.getString("meta.version"));
        assertEquals(List.of("campaign-manager"), scim(idp()).when().get("/scim/v2/Users/"
                + idOf(answer.getString("Operations[2].location"), "/Users/")).then().extract().jsonPath()
                .getList("roles.value"));
    }

    @Test
    void rfc7644_3_7_aGroupPatchRefusedByTheOwnerRuleLeavesTheGroupAsItWas() {
        var member = AdminFixtures.createUser();
        AdminFixtures.bind("users", member.id(), "content-manager", null);
        String name = unique("owners");
        String group = AdminFixtures.createGroup(name, member.id());
        AdminFixtures.bind("groups", group, "organization-owner", null);
        Owners.makeLastOwners(member.id());
        String after = unique("after");

        JsonPath answer = bulk(idp(), "owner-group-patch.json", values("group", group, "newName", name + " renamed",
                "member", member.id(), "after", after)).statusCode(200).extract().jsonPath();

        assertEquals(List.of("409", "201"), answer.getList("Operations.status"), answer.prettify());
        assertTrue(answer.getString("Operations[0].response.detail")
                .contains("without an active user holding Organization Owner"));
        JsonPath unchanged = scim(idp()).when().get("/scim/v2/Groups/" + group).then().statusCode(200).extract()
                .jsonPath();
        assertEquals(name, unchanged.getString("displayName"), "the rename in the refused PATCH did not happen");
        assertEquals(List.of(member.id()), unchanged.getList("members.value"));
        assertEquals(List.of(member.id()), Owners.active());
        assertEquals(1, usersNamed(after));
    }

    @Test
    void rfc7644_3_7_operationsOnAnotherOrganizationsIdsAre404AndItsResourcesAreUntouched() {
        String otherOwner = Tokens.newOrganization(unique("bulk-other")).token();
        String otherIdp = Tokens.withRolesIn(otherOwner, "scim-client");
        String foreignUser = createUser(otherIdp, unique("foreign"));
        String foreignGroup = createGroup(otherIdp, unique("foreign"), foreignUser);
        String foreignVersion = scim(otherIdp).when().get("/scim/v2/Users/" + foreignUser).then().extract()
                .header("ETag");
        String ownUser = createUser(idp(), unique("own"));
        String smuggler = unique("smuggler");

        JsonPath answer = bulk(idp(), "foreign-ids.json", values("foreignUser", foreignUser, "foreignGroup",
                foreignGroup, "ownUser", ownUser, "smuggler", smuggler)).statusCode(200).extract().jsonPath();

        assertEquals(List.of("404", "404", "404", "404", "404", "400"), answer.getList("Operations.status"),
                answer.prettify());
        assertEquals("invalidValue", answer.getString("Operations[5].response.scimType"));
        scim(otherIdp).when().get("/scim/v2/Users/" + foreignUser).then().statusCode(200)
                .header("ETag", foreignVersion).body("active", equalTo(true));
        assertEquals(Set.of(foreignUser), memberIds(otherIdp, foreignGroup));
        assertEquals(0, groupsNamed(smuggler));
    }

    // --- The request as a whole --------------------------------------------------------------------------------------

    @Test
    void rfc7644_3_7_malformedOperationsAreRefusedOneByOneAsTheirSingleRequestsWouldBe() {
        String user = createUser(idp(), unique("target"));
        String fine = unique("fine");
        JsonPath answer = bulk(idp(), "malformed-operations.json", values("user", user, "noBulkId", unique("nobulk"),
                "misplaced", unique("misplaced"), "fine", fine)).statusCode(200).extract().jsonPath();

        assertEquals(List.of("400", "400", "404", "405", "405", "400", "404", "400", "400", "201"),
                answer.getList("Operations.status"), answer.prettify());
        assertEquals("invalidValue", answer.getString("Operations[0].response.scimType"));
        assertTrue(answer.getString("Operations[1].response.detail").contains("bulkId"));
        assertTrue(answer.getString("Operations[2].response.detail").contains("/Widgets"));
        assertEquals("invalidSyntax", answer.getString("Operations[5].response.scimType"));
        assertEquals("invalidSyntax", answer.getString("Operations[7].response.scimType"));
        assertEquals("invalidValue", answer.getString("Operations[8].response.scimType"));
        assertEquals("POST", answer.getString("Operations[9].method"), "a method in lower case is read");
        assertEquals(1, usersNamed(fine));
    }

    @Test
    void rfc7644_3_7_aMessageThatIsNotABulkRequestIsRefusedWholeAndRunsNothing() {
        String ops = "[{\"method\": \"POST\", \"path\": \"/Users\", \"bulkId\": \"u\", \"data\": "
                + "{\"schemas\": [\"urn:ietf:params:scim:schemas:core:2.0:User\"], \"userName\": \"%s\"}}]";
        String first = unique("never");
        assertScimError(bulk(idp(), "envelope.json", values("schemas", RawJson.of("[\"urn:ietf:params:scim:api:"
                + "messages:2.0:PatchOp\"]"), "failOnErrors", RawJson.of("null"), "operations",
                RawJson.of(ops.formatted(first)))), 400, "invalidSyntax", "BulkRequest");
        assertScimError(bulk(idp(), "envelope.json", values("schemas", RawJson.of("[\"" + BulkRequestSchema.URN
                + "\"]"), "failOnErrors", RawJson.of("null"), "operations", RawJson.of("{}"))), 400, "invalidSyntax",
                "Operations");
        assertScimError(bulk(idp(), "envelope.json", values("schemas", RawJson.of("[\"" + BulkRequestSchema.URN
                + "\"]"), "failOnErrors", RawJson.of("0"), "operations", RawJson.of(ops.formatted(first)))), 400,
                "invalidValue", "failOnErrors");
        assertScimError(bulk(idp(), "duplicate-bulk-ids.json", values("first", first, "second", unique("never"))),
                400, "invalidValue", "twin");
        assertScimError(scim(idp()).body("{\"schemas\": [").when().post(BULK).then(), 400, "invalidSyntax", "");
        assertEquals(0, usersNamed(first));
    }

    @Test
    void rfc7644_3_7_4_moreThanMaxOperationsIs413AndRunsNothing() {
        String first = unique("first-of-too-many");
        List<Map<String, Object>> operations = new ArrayList<>();
        for (int i = 0; i <= 1000; i++) {
            operations.add(Map.of("method", "POST", "path", "/Users", "bulkId", "u" + i, "data",
                    Map.of("schemas", List.of(UserFixtures.CORE), "userName", i == 0 ? first : unique("many"))));
        }
        assertScimError(scim(idp()).body(Map.of("schemas", List.of(BulkRequestSchema.URN), "Operations", operations))
                .when().post(BULK).then(), 413, null, "maxOperations (1000)");
        assertEquals(0, usersNamed(first));
    }

    @Test
    void rfc7644_3_7_4_aThousandOperationsAreAnsweredInOrder() {
        List<Map<String, Object>> operations = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            operations.add(Map.of("method", "DELETE", "path", "/Users/" + UUID.randomUUID()));
        }
        JsonPath answer = scim(idp()).body(Map.of("schemas", List.of(BulkRequestSchema.URN), "Operations", operations))
                .when().post(BULK).then().statusCode(200).extract().jsonPath();
        List<String> statuses = answer.getList("Operations.status");
        assertEquals(1000, statuses.size());
        assertTrue(statuses.stream().allMatch("404"::equals));
        assertTrue(answer.getString("Operations[999].location").endsWith(
                (String) operations.get(999).get("path")));
    }

    @Test
    void rfc7644_3_7_4_aBodyOverMaxPayloadSizeIs413AndRunsNothing() throws Exception {
        String first = unique("first-of-too-large");
        String body = oversized(first);
        assertScimError(scim(idp()).body(body).when().post(BULK).then(), 413, null, "maxPayloadSize (1048576");
        assertEquals(0, usersNamed(first));

        // without Content-Length (chunked), the body is measured as it is read
        HttpClient http11 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> chunked = http11.send(HttpRequest.newBuilder(URI.create(
                RestAssured.baseURI + ":" + RestAssured.port + BULK))
                .header("Authorization", "Bearer " + idp()).header("Content-Type", "application/scim+json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(
                        body.getBytes(StandardCharsets.UTF_8)))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, chunked.statusCode(), chunked.body());
        assertTrue(chunked.body().contains("maxPayloadSize (1048576"), chunked.body());
        assertEquals(0, usersNamed(first));
    }

    @Test
    void rfc7644_4_serviceProviderConfigAdvertisesBulkWithTheLimitsItEnforces() {
        given().auth().oauth2(idp()).when().get("/scim/v2/ServiceProviderConfig").then().statusCode(200)
                .body("bulk.supported", equalTo(true))
                .body("bulk.maxOperations", equalTo(1000))
                .body("bulk.maxPayloadSize", equalTo(1048576));
    }

    @Test
    void rfc7644_3_7_onlyPostIsServedAtBulk() {
        scim(idp()).when().get(BULK).then().statusCode(405).header("Allow", containsString("POST"));
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    /** The BulkRequest schema URN, for bodies built in code. */
    private static final class BulkRequestSchema {
        static final String URN = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
    }

    /** A JSON value put into a fixture in place of the quoted placeholder. */
    private record RawJson(String json) {
        static RawJson of(String json) {
            return new RawJson(json);
        }
    }

    /** A body just over 1 MiB: a valid request whose first operation creates {@code first}. */
    private static String oversized(String first) {
        StringBuilder operations = new StringBuilder();
        operations.append("{\"method\": \"POST\", \"path\": \"/Users\", \"bulkId\": \"first\", \"data\": {\"schemas\": [\"")
                .append(UserFixtures.CORE).append("\"], \"userName\": \"").append(first).append("\"}}");
        String padding = "x".repeat(1000);
        int i = 0;
        while (operations.length() < 1_100_000) {
            operations.append(", {\"method\": \"POST\", \"path\": \"/Users\", \"bulkId\": \"p").append(i++)
                    .append("\", \"data\": {\"schemas\": [\"").append(UserFixtures.CORE)
                    .append("\"], \"userName\": \"").append(unique("pad")).append("\", \"title\": \"").append(padding)
                    .append("\"}}");
        }
        return "{\"schemas\": [\"" + BulkRequestSchema.URN + "\"], \"Operations\": [" + operations + "]}";
    }

    private static Map<String, Object> creates(String taken, RawJson failOnErrors) {
        return values("failOnErrors", failOnErrors, "first", unique("first"), "taken", taken,
                "takenExternalId", unique("taken-ext"), "second", unique("second"), "third", unique("third"));
    }

    private static ValidatableResponse bulk(String token, String fixture, Map<String, Object> values) {
        return scim(token).body(fixture(fixture, values)).when().post(BULK).then();
    }

    private static io.restassured.specification.RequestSpecification scim(String token) {
        return GroupsFixtures.scim(token);
    }

    /** The id at the end of a location such as {@code http://…/scim/v2/Users/<id>}. */
    private static String idOf(String location, String endpoint) {
        assertNotNull(location, "a location");
        assertTrue(location.startsWith("http") && location.contains("/scim/v2" + endpoint), location);
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private static int usersNamed(String userName) {
        return count("/scim/v2/Users", "userName eq \"" + userName + "\"");
    }

    private static int usersWithExternalId(String externalId) {
        return count("/scim/v2/Users", "externalId eq \"" + externalId + "\"");
    }

    private static int groupsNamed(String displayName) {
        return count("/scim/v2/Groups", "displayName eq \"" + displayName + "\"");
    }

    private static int count(String endpoint, String filter) {
        return scim(idp()).queryParam("filter", filter).queryParam("count", 0).when().get(endpoint).then()
                .statusCode(200).extract().jsonPath().getInt("totalResults");
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 13);
    }

    private static Map<String, Object> values(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /**
     * {@code /fixtures/bulk/<name>} with every {@code {{key}}} filled in: as JSON string content, or, for a
     * {@link RawJson} value, replacing the quoted placeholder whole. Every placeholder must get a value.
     */
    private static String fixture(String name, Map<String, Object> values) {
        String text;
        try (InputStream in = BulkTest.class.getResourceAsStream("/fixtures/bulk/" + name)) {
            if (in == null) {
                throw new IllegalStateException("No fixture " + name);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            String placeholder = "{{" + entry.getKey() + "}}";
            if (!text.contains(placeholder)) {
                throw new IllegalArgumentException("Fixture " + name + " has no " + placeholder);
            }
            text = entry.getValue() instanceof RawJson raw ? text.replace("\"" + placeholder + "\"", raw.json())
                    : text.replace(placeholder, stringContent(String.valueOf(entry.getValue())));
        }
        if (text.contains("{{")) {
            throw new IllegalArgumentException("Fixture " + name + " has a placeholder without a value");
        }
        return text;
    }

    private static String stringContent(String value) {
        try {
            String quoted = JSON.writeValueAsString(value);
            return quoted.substring(1, quoted.length() - 1);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
