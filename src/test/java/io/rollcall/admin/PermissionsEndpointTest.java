package io.rollcall.admin;

import static io.restassured.RestAssured.given;
import static io.rollcall.support.AdminFixtures.as;
import static io.rollcall.support.AdminFixtures.asOwner;
import static io.rollcall.support.ScimErrors.assertProblem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.rollcall.access.Permission;
import io.rollcall.access.PermissionCatalogue;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/** {@code GET /admin/v1/permissions}: the closed catalogue, versioned, grouped by section; needs roles:read. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class PermissionsEndpointTest {

    private static final String PERMISSIONS = "/admin/v1/permissions";

    @Test
    void listsTheCatalogueWithItsVersion() {
        asOwner().when().get(PERMISSIONS)
                .then().statusCode(200)
                .contentType(startsWith("application/json"))
                .body("version", equalTo(PermissionCatalogue.VERSION))
                .body("sections.name", hasItem("Campaigns"))
                .body("sections.find { it.name == 'Campaigns' }.permissions.key", hasItem("campaigns:launch"));
    }

    @Test
    void listsEveryPermissionOnceUnderItsSectionInCatalogueOrder() {
        JsonPath json = asOwner().when().get(PERMISSIONS).then().statusCode(200).extract().jsonPath();
        List<String> keys = new ArrayList<>();
        List<Map<String, Object>> sections = json.getList("sections");
        for (Map<String, Object> section : sections) {
            @SuppressWarnings("unchecked")
            List<Map<String, String>> permissions = (List<Map<String, String>>) section.get("permissions");
            for (Map<String, String> permission : permissions) {
                assertEquals(section.get("name"), PermissionCatalogue.find(permission.get("key")).orElseThrow().section());
                keys.add(permission.get("key"));
            }
        }
        assertEquals(PermissionCatalogue.all().stream().map(Permission::key).toList(), keys);
    }

    @Test
    void saysWhetherEachPermissionIsOrganizationOrWorkspaceLevel() {
        asOwner().when().get(PERMISSIONS).then().statusCode(200)
                .body("sections.permissions.flatten().find { it.key == 'roles:read' }.level", equalTo("org"))
                .body("sections.permissions.flatten().find { it.key == 'campaigns:launch' }.level", equalTo("workspace"))
                .body("sections.permissions.flatten().find { it.key == 'campaigns:launch' }.description",
                        equalTo("Send or schedule campaigns"));
    }

    @Test
    void aScimClientKeyMayReadItWithRolesRead() {
        as(Tokens.scimClient()).when().get(PERMISSIONS).then().statusCode(200)
                .body("version", equalTo(PermissionCatalogue.VERSION));
    }

    @Test
    void refusesACallerWithoutRolesReadWith403NamingIt() {
        assertProblem(as(Tokens.withRoles("analyze-manager")).when().get(PERMISSIONS).then(), 403, "roles:read");
    }

    @Test
    void refusesAnAnonymousCallerWith401() {
        assertProblem(given().when().get(PERMISSIONS).then(), 401, "Bearer");
    }
}
