package io.rollcall.scim;

import static io.restassured.RestAssured.given;
import static io.rollcall.support.ScimErrors.assertScimError;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.rollcall.http.MediaTypes;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * The SCIM discovery endpoints: RFC 7644 §4 (GET /ServiceProviderConfig, /ResourceTypes, /Schemas; filter → 403;
 * discovery is read-only), RFC 7644 §3.4.2 (ListResponse shape), RFC 7643 §6 (resource type documents), RFC 7643 §7
 * (schema documents), RFC 7643 §3.1 ({@code meta.resourceType}, absolute {@code meta.location}) and RFC 7644 §3.12
 * (errors). RFC 9110 §15.5.6 for the {@code Allow} header of a 405.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class DiscoveryEndpointsTest {

    private static final String LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
    private static final String RESOURCE_TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
    private static final String SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema";
    private static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";
    private static final String ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    private static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
    private static final String ROLE = "urn:okta:scim:schemas:core:1.0:Role";
    private static final String ROLE_ACCESS = "urn:rollcall:scim:schemas:extension:access:2.0:Role";
    private static final String USER_ACCESS = "urn:rollcall:scim:schemas:extension:access:2.0:User";
    private static final String GROUP_ACCESS = "urn:rollcall:scim:schemas:extension:access:2.0:Group";

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String token;

    /** One SCIM Client key for the whole class; each key creation is a round trip through the admin API. */
    private static synchronized String token() {
        if (token == null) {
            token = Tokens.scimClient();
        }
        return token;
    }

    private static RequestSpecification scim() {
        return given().auth().oauth2(token()).accept(MediaTypes.SCIM_JSON);
    }

    /** The absolute URL the test client uses to reach the server, e.g. {@code http://localhost:40123}. */
    private static String server() {
        return RestAssured.baseURI + ":" + RestAssured.port;
    }

    // --- /ResourceTypes ---------------------------------------------------------------------------------------------

    @Test
    void rfc7644_4_resourceTypesIsACompleteListResponseOfUserGroupAndRole() {
        scim().when().get("/scim/v2/ResourceTypes")
                .then().statusCode(200)
                .contentType(startsWith("application/scim+json"))
                // RFC 7644 §3.4.2: ListResponse message
                .body("schemas", equalTo(List.of(LIST_RESPONSE)))
                .body("totalResults", equalTo(3))
                .body("Resources", hasSize(3))
                .body("startIndex", equalTo(1))
                .body("itemsPerPage", equalTo(3))
                .body("Resources.name", containsInAnyOrder("User", "Group", "Role"))
                .body("Resources.schemas", everyItem(equalTo(List.of(RESOURCE_TYPE_SCHEMA))))
                .body("Resources.meta.resourceType", everyItem(equalTo("ResourceType")))
                // RFC 7643 §6: User with the optional enterprise extension
                .body("Resources.find { it.name == 'User' }.endpoint", equalTo("/Users"))
                .body("Resources.find { it.name == 'User' }.schema", equalTo(USER))
                .body("Resources.find { it.name == 'User' }.schemaExtensions", hasSize(2))
                .body("Resources.find { it.name == 'User' }.schemaExtensions[0].schema", equalTo(ENTERPRISE_USER))
                .body("Resources.find { it.name == 'User' }.schemaExtensions[0].required", equalTo(false))
                .body("Resources.find { it.name == 'User' }.schemaExtensions[1].schema", equalTo(USER_ACCESS))
                .body("Resources.find { it.name == 'Role' }.endpoint", equalTo("/Roles"))
                .body("Resources.find { it.name == 'Role' }.schema", equalTo(ROLE))
                .body("Resources.find { it.name == 'Role' }.schemaExtensions[0].schema", equalTo(ROLE_ACCESS))
                .body("Resources.find { it.name == 'Role' }.schemaExtensions[0].required", equalTo(true))
                .body("Resources.find { it.name == 'User' }.meta.location",
                        equalTo(server() + "/scim/v2/ResourceTypes/User"))
                // RFC 7643 §6: Group with the access extension (its role bindings)
                .body("Resources.find { it.name == 'Group' }.schemaExtensions[0].schema", equalTo(GROUP_ACCESS))
                .body("Resources.find { it.name == 'Group' }.endpoint", equalTo("/Groups"))
                .body("Resources.find { it.name == 'Group' }.schema", equalTo(GROUP))
                .body("Resources.find { it.name == 'Group' }.meta.location",
                        equalTo(server() + "/scim/v2/ResourceTypes/Group"));
    }

    @Test
    void rfc7644_4_resourceTypeUserIsServedAlone() {
        scim().when().get("/scim/v2/ResourceTypes/User")
                .then().statusCode(200)
                .contentType(startsWith("application/scim+json"))
                .body("schemas", equalTo(List.of(RESOURCE_TYPE_SCHEMA)))
                .body("id", equalTo("User"))
                .body("name", equalTo("User"))
                .body("endpoint", equalTo("/Users"))
                .body("schema", equalTo(USER))
                .body("schemaExtensions[0].schema", equalTo(ENTERPRISE_USER))
                .body("schemaExtensions[0].required", equalTo(false))
                .body("meta.resourceType", equalTo("ResourceType"))
                .body("meta.location", equalTo(server() + "/scim/v2/ResourceTypes/User"));
    }

    @Test
    void rfc7644_4_resourceTypeGroupIsServedAlone() {
        scim().when().get("/scim/v2/ResourceTypes/Group")
                .then().statusCode(200)
                .contentType(startsWith("application/scim+json"))
                .body("schemas", equalTo(List.of(RESOURCE_TYPE_SCHEMA)))
                .body("id", equalTo("Group"))
                .body("name", equalTo("Group"))
                .body("endpoint", equalTo("/Groups"))
                .body("schema", equalTo(GROUP))
                .body("meta.resourceType", equalTo("ResourceType"))
                .body("meta.location", equalTo(server() + "/scim/v2/ResourceTypes/Group"));
    }

    @Test
    void rfc7643_6_resourceTypeDocumentsServedEqualTheFilesApartFromMeta() {
        for (String name : List.of("User", "Group")) {
            JsonNode served = served("/scim/v2/ResourceTypes/" + name);
            assertEquals(file("scim-schemas/resource-types/" + name + ".json"), served,
                    "/ResourceTypes/" + name + " without meta");
        }
    }

    @Test
    void rfc7644_3_12_unknownResourceTypeIsAScimNotFound() {
        assertScimError(scim().when().get("/scim/v2/ResourceTypes/Printer").then(), 404, null,
                "No resource type 'Printer'");
    }

    // --- /Schemas ---------------------------------------------------------------------------------------------------

    @Test
    void rfc7644_4_schemasIsACompleteListResponseOfEverySchema() {
        scim().when().get("/scim/v2/Schemas")
                .then().statusCode(200)
                .contentType(startsWith("application/scim+json"))
                .body("schemas", equalTo(List.of(LIST_RESPONSE)))
                .body("totalResults", equalTo(7))
                .body("Resources", hasSize(7))
                .body("startIndex", equalTo(1))
                .body("itemsPerPage", equalTo(7))
                .body("Resources.id", containsInAnyOrder(USER, ENTERPRISE_USER, GROUP, ROLE, ROLE_ACCESS, USER_ACCESS,
                        GROUP_ACCESS))
                .body("Resources.schemas", everyItem(equalTo(List.of(SCHEMA_SCHEMA))))
                .body("Resources.meta.resourceType", everyItem(equalTo("Schema")))
                .body("Resources.find { it.id == '" + USER + "' }.meta.location",
                        equalTo(server() + "/scim/v2/Schemas/" + USER))
                .body("Resources.find { it.id == '" + ENTERPRISE_USER + "' }.meta.location",
                        equalTo(server() + "/scim/v2/Schemas/" + ENTERPRISE_USER))
                .body("Resources.find { it.id == '" + GROUP + "' }.meta.location",
                        equalTo(server() + "/scim/v2/Schemas/" + GROUP));
    }

    @Test
    void rfc7643_7_coreUserSchemaDescribesItsAttributes() {
        scim().when().get("/scim/v2/Schemas/" + USER)
                .then().statusCode(200)
                .contentType(startsWith("application/scim+json"))
                .body("schemas", equalTo(List.of(SCHEMA_SCHEMA)))
                .body("id", equalTo(USER))
                .body("name", equalTo("User"))
                .body("attributes.name", hasItem("userName"))
                .body("attributes.find { it.name == 'userName' }.type", equalTo("string"))
                .body("attributes.find { it.name == 'userName' }.required", equalTo(true))
                .body("attributes.find { it.name == 'userName' }.uniqueness", equalTo("server"))
                .body("attributes.find { it.name == 'password' }.mutability", equalTo("writeOnly"))
                .body("attributes.find { it.name == 'password' }.returned", equalTo("never"))
                .body("attributes.find { it.name == 'groups' }.mutability", equalTo("readOnly"))
                .body("attributes.find { it.name == 'groups' }.subAttributes.mutability", everyItem(equalTo("readOnly")))
                .body("attributes.find { it.name == 'groups' }.subAttributes.find { it.name == '$ref' }.referenceTypes",
                        containsInAnyOrder("User", "Group"))
                .body("meta.resourceType", equalTo("Schema"))
                .body("meta.location", equalTo(server() + "/scim/v2/Schemas/" + USER));
    }

    @Test
    void rfc7643_7_enterpriseUserSchemaDescribesItsAttributes() {
        scim().when().get("/scim/v2/Schemas/" + ENTERPRISE_USER)
                .then().statusCode(200)
                .contentType(startsWith("application/scim+json"))
                .body("schemas", equalTo(List.of(SCHEMA_SCHEMA)))
                .body("id", equalTo(ENTERPRISE_USER))
                .body("name", equalTo("EnterpriseUser"))
                .body("attributes.name", containsInAnyOrder("employeeNumber", "costCenter", "organization", "division",
                        "department", "manager"))
                .body("attributes.find { it.name == 'manager' }.type", equalTo("complex"))
                .body("attributes.find { it.name == 'manager' }.subAttributes.name",
                        containsInAnyOrder("value", "$ref", "displayName"))
                .body("attributes.find { it.name == 'manager' }.subAttributes.find { it.name == 'displayName' }.mutability",
                        equalTo("readOnly"))
                .body("meta.resourceType", equalTo("Schema"))
                .body("meta.location", equalTo(server() + "/scim/v2/Schemas/" + ENTERPRISE_USER));
    }

    @Test
    void rfc7643_7_coreGroupSchemaDescribesItsAttributes() {
        scim().when().get("/scim/v2/Schemas/" + GROUP)
                .then().statusCode(200)
                .contentType(startsWith("application/scim+json"))
                .body("schemas", equalTo(List.of(SCHEMA_SCHEMA)))
                .body("id", equalTo(GROUP))
                .body("name", equalTo("Group"))
                .body("attributes.name", containsInAnyOrder("displayName", "members"))
                .body("attributes.find { it.name == 'displayName' }.required", equalTo(true))
                .body("attributes.find { it.name == 'members' }.multiValued", equalTo(true))
                .body("attributes.find { it.name == 'members' }.subAttributes.name",
                        containsInAnyOrder("value", "$ref", "display", "type"))
                .body("meta.resourceType", equalTo("Schema"))
                .body("meta.location", equalTo(server() + "/scim/v2/Schemas/" + GROUP));
    }

    /** RFC 7643 §7: what discovery advertises is exactly the document in scim-schemas/, plus the server's meta. */
    @ParameterizedTest(name = "/Schemas/{0} equals scim-schemas/schemas/{1}")
    @MethodSource("schemaFiles")
    void rfc7643_7_schemaDocumentsServedEqualTheFilesApartFromMeta(String urn, String file) {
        JsonNode served = served("/scim/v2/Schemas/" + urn);
        assertEquals(file("scim-schemas/schemas/" + file), served, "/Schemas/" + urn + " without meta");
    }

    static Stream<Arguments> schemaFiles() {
        return Stream.of(
                Arguments.of(USER, "User.json"),
                Arguments.of(ENTERPRISE_USER, "EnterpriseUser.json"),
                Arguments.of(GROUP, "Group.json"));
    }

    @Test
    void rfc7644_3_12_unknownSchemaUrnIsAScimNotFound() {
        assertScimError(scim().when().get("/scim/v2/Schemas/urn:example:scim:schemas:Device").then(), 404, null,
                "No schema 'urn:example:scim:schemas:Device'");
    }

    // --- meta.location behind a proxy (RFC 7643 §3.1) ----------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "/ServiceProviderConfig", "/ResourceTypes/User", "/Schemas/" + GROUP })
    void rfc7643_3_1_metaLocationUsesTheForwardedProtoAndHost(String path) {
        scim().header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "scim.example.com")
                .when().get("/scim/v2" + path)
                .then().statusCode(200)
                .body("meta.location", equalTo("https://scim.example.com/scim/v2" + path));
    }

    @Test
    void rfc7643_3_1_listedMetaLocationsUseTheForwardedProtoAndHost() {
        scim().header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "scim.example.com")
                .when().get("/scim/v2/ResourceTypes")
                .then().statusCode(200)
                .body("Resources.meta.location", everyItem(startsWith("https://scim.example.com/scim/v2/ResourceTypes/")));
        scim().header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "scim.example.com")
                .when().get("/scim/v2/Schemas")
                .then().statusCode(200)
                .body("Resources.meta.location", everyItem(startsWith("https://scim.example.com/scim/v2/Schemas/")))
                .body("Resources.find { it.id == '" + USER + "' }.meta.location", endsWith(USER));
    }

    // --- filter → 403 (RFC 7644 §4) ----------------------------------------------------------------------------------

    @ParameterizedTest(name = "GET {0}?filter=...")
    @ValueSource(strings = { "/scim/v2/Schemas", "/scim/v2/ResourceTypes", "/scim/v2/ServiceProviderConfig",
            "/scim/v2/ResourceTypes/User", "/scim/v2/Schemas/" + USER })
    void rfc7644_4_filterOnADiscoveryEndpointIsForbidden(String path) {
        assertScimError(scim().queryParam("filter", "name eq \"User\"").when().get(path).then(), 403, null,
                "Filtering is not supported");
    }

    // --- discovery is read-only: 405 with Allow (RFC 7644 §4, RFC 9110 §15.5.6) ---------------------------------------

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("writesOnDiscovery")
    void rfc7644_4_writeMethodOnADiscoveryEndpointIsMethodNotAllowed(String method, String path) {
        RequestSpecification request = scim();
        if (method.equals("PATCH")) {
            request = request.contentType(MediaTypes.SCIM_JSON).body(fixture("discovery-patch.json"));
        } else if (!method.equals("DELETE")) {
            request = request.contentType(MediaTypes.SCIM_JSON).body(fixture("discovery-write.json"));
        }
        assertScimError(request.when().request(method, path).then(), 405, null, "does not support that method")
                .header("Allow", containsString("GET"));
    }

    static Stream<Arguments> writesOnDiscovery() {
        List<String> paths = List.of("/scim/v2/ServiceProviderConfig", "/scim/v2/Schemas", "/scim/v2/Schemas/" + USER,
                "/scim/v2/ResourceTypes", "/scim/v2/ResourceTypes/User");
        return paths.stream().flatMap(path -> Stream.of("POST", "PUT", "PATCH", "DELETE")
                .map(method -> Arguments.of(method, path)));
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    /** The document served at the path, with {@code meta} (which the server adds) removed. */
    private static JsonNode served(String path) {
        String body = scim().when().get(path).then().statusCode(200).extract().asString();
        try {
            ObjectNode served = (ObjectNode) JSON.readTree(body);
            served.remove("meta");
            return served;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode file(String resource) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the test classpath");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] fixture(String name) {
        try (InputStream in = DiscoveryEndpointsTest.class.getResourceAsStream("/fixtures/scim/" + name)) {
            if (in == null) {
                throw new IllegalStateException("No fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
