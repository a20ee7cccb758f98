package io.rollcall.admin;

import static io.restassured.RestAssured.given;
import static io.rollcall.support.AdminFixtures.as;
import static io.rollcall.support.AdminFixtures.asOwner;
import static io.rollcall.support.AdminFixtures.fixture;
import static io.rollcall.support.ScimErrors.assertProblem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.RoleMatrix;
import io.rollcall.support.Tokens;

/**
 * {@code GET /admin/v1/permissions}: the closed catalogue, versioned, grouped by section; needs roles:read. The
 * expected catalogue is hand-written (the role matrix's rows and levels, and the sections fixture), never read from
 * the code that serves it.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class PermissionsEndpointTest {

    private static final String PERMISSIONS = "/admin/v1/permissions";
    /** The catalogue's version, written down: a change to the catalogue bumps it, and this with it, on purpose. */
    private static final int CATALOGUE_VERSION = 2;
    private static final RoleMatrix MATRIX = RoleMatrix.load();

    @Test
    void listsTheCatalogueWithItsVersion() {
        asOwner().when().get(PERMISSIONS)
                .then().statusCode(200)
                .contentType(startsWith("application/json"))
                .body("version", equalTo(CATALOGUE_VERSION))
                .body("sections.name", hasItem("Campaigns"))
                .body("sections.find { it.name == 'Campaigns' }.permissions.key", hasItem("campaigns:launch"));
    }

    /**
     * The sections, in order, each with its permissions in order, as the hand-written fixture
     * {@code fixtures/access/permission-sections.csv} lists them; all together, the rows of the hand-written role
     * matrix in its order: every permission once.
     */
    @Test
    void listsEveryPermissionOnceUnderItsSectionInCatalogueOrder() {
        JsonPath json = asOwner().when().get(PERMISSIONS).then().statusCode(200).extract().jsonPath();
        Map<String, List<String>> listed = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>();
        List<Map<String, Object>> sections = json.getList("sections");
        for (Map<String, Object> section : sections) {
            @SuppressWarnings("unchecked")
            List<Map<String, String>> permissions = (List<Map<String, String>>) section.get("permissions");
            List<String> sectionKeys = permissions.stream().map(permission -> permission.get("key")).toList();
            listed.put((String) section.get("name"), sectionKeys);
            keys.addAll(sectionKeys);
        }
        Map<String, List<String>> expected = sections();
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(listed.keySet()), "the sections, in order");
        assertEquals(expected, listed, "each section's permissions, in order");
        assertEquals(List.copyOf(MATRIX.permissions()), keys, "every permission of the matrix once, in its order");
    }

    @Test
    void saysWhetherEachPermissionIsOrganizationOrWorkspaceLevel() {
        JsonPath json = asOwner().when().get(PERMISSIONS).then().statusCode(200)
                .body("sections.permissions.flatten().find { it.key == 'campaigns:launch' }.description",
                        equalTo("Send or schedule campaigns"))
                .extract().jsonPath();
        List<Map<String, String>> permissions = json.getList("sections.permissions.flatten()");
        Map<String, String> levels = new LinkedHashMap<>();
        for (Map<String, String> permission : permissions) {
            levels.put(permission.get("key"), permission.get("level"));
        }
        Map<String, String> expected = new LinkedHashMap<>();
        for (String permission : MATRIX.permissions()) {
            expected.put(permission, MATRIX.level(permission));
        }
        assertEquals(expected, levels, "each permission's level, as the matrix's level column says");
        assertEquals("org", levels.get("roles:read"));
        assertEquals("workspace", levels.get("campaigns:launch"));
    }

    @Test
    void aScimClientKeyMayReadItWithRolesRead() {
        as(Tokens.scimClient()).when().get(PERMISSIONS).then().statusCode(200)
                .body("version", equalTo(CATALOGUE_VERSION));
    }

    @Test
    void refusesACallerWithoutRolesReadWith403NamingIt() {
        assertProblem(as(Tokens.withRoles("analyze-manager")).when().get(PERMISSIONS).then(), 403, "roles:read");
    }

    @Test
    void refusesAnAnonymousCallerWith401() {
        assertProblem(given().when().get(PERMISSIONS).then(), 401, "Bearer");
    }

    /** {@code fixtures/access/permission-sections.csv}: each section's name and its permissions, in order. */
    private static Map<String, List<String>> sections() {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        List<String> lines = fixture("access/permission-sections.csv").lines().filter(line -> !line.isBlank()).toList();
        assertEquals("section,permissions", lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            int comma = line.indexOf(',');
            sections.put(line.substring(0, comma), List.of(line.substring(comma + 1).trim().split(" ")));
        }
        return sections;
    }
}
