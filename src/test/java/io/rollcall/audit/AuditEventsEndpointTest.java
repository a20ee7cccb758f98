package io.rollcall.audit;

import static io.restassured.RestAssured.given;
import static io.rollcall.support.AdminFixtures.as;
import static io.rollcall.support.AdminFixtures.asOwner;
import static io.rollcall.support.AdminFixtures.unique;
import static io.rollcall.support.ScimErrors.assertProblem;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.rollcall.support.AdminFixtures;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * {@code GET /admin/v1/audit-events}: {@code audit:read} only, the caller's organization only, newest first, filters,
 * cursor pages, and RFC 9457 problems for bad parameters.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class AuditEventsEndpointTest {

    private static final String EVENTS = "/admin/v1/audit-events";

    /** A workspace renamed {@code times} times: as many rows for one resource, oldest first. */
    private static String workspaceChanged(int times) {
        String workspace = AdminFixtures.createWorkspace(unique("audited"));
        for (int i = 0; i < times; i++) {
            asOwner().body(Map.of("name", unique("renamed"))).when().patch("/admin/v1/workspaces/" + workspace).then()
                    .statusCode(200);
        }
        return workspace;
    }

    @Test
    void aKeyWithoutAuditReadIsRefused403() {
        assertProblem(as(Tokens.withRoles("inbox-agent")).when().get(EVENTS).then(), 403, "audit:read");
        // the permission is checked before the parameters: a bad one does not tell a stranger more
        assertProblem(as(Tokens.withRoles("inbox-agent")).queryParam("count", "x").when().get(EVENTS).then(), 403,
                "audit:read");
    }

    @Test
    void accountAdminHoldsAuditRead() {
        as(Tokens.withRoles("account-admin")).when().get(EVENTS).then().statusCode(200);
    }

    @Test
    void listsOneResourcesRowsNewestFirstWithTheirActorAndChannel() {
        String workspace = workspaceChanged(2);
        JsonPath page = asOwner().queryParam("resourceId", workspace).when().get(EVENTS).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of("workspace.update", "workspace.update", "workspace.create"), page.getList("items.action"));
        assertEquals(List.of("admin", "admin", "admin"), page.getList("items.channel"));
        assertEquals((String) Tokens.claimsOf(Tokens.owner()).get("sub"), page.getString("items[0].actor.id"));
        assertEquals("access_key", page.getString("items[0].actor.kind"));
        assertEquals("Workspace", page.getString("items[0].resource.type"));
        assertEquals(List.of("name"), page.getList("items[0].attributes"));
        assertNull(page.getString("nextCursor"));
        List<String> times = page.getList("items.occurredAt");
        assertTrue(Instant.parse(times.get(0)).compareTo(Instant.parse(times.get(2))) >= 0, times.toString());
    }

    @Test
    void filtersByActionActorResourceTypeAndTime() {
        Instant before = Instant.now().minusSeconds(1);
        String workspace = workspaceChanged(1);
        asOwner().queryParam("resourceId", workspace).queryParam("action", "workspace.create").when().get(EVENTS)
                .then().statusCode(200).body("items.size()", equalTo(1));
        asOwner().queryParam("resourceId", workspace).queryParam("resourceType", "User").when().get(EVENTS)
                .then().statusCode(200).body("items.size()", equalTo(0));
        String owner = (String) Tokens.claimsOf(Tokens.owner()).get("sub");
        asOwner().queryParam("resourceId", workspace).queryParam("actor", owner).when().get(EVENTS)
                .then().statusCode(200).body("items.size()", equalTo(2));
        asOwner().queryParam("resourceId", workspace).queryParam("actor", java.util.UUID.randomUUID().toString())
                .when().get(EVENTS).then().statusCode(200).body("items.size()", equalTo(0));
        asOwner().queryParam("resourceId", workspace).queryParam("from", before.toString()).when().get(EVENTS)
                .then().statusCode(200).body("items.size()", equalTo(2));
        asOwner().queryParam("resourceId", workspace).queryParam("to", before.toString()).when().get(EVENTS)
                .then().statusCode(200).body("items.size()", equalTo(0));
    }

    @Test
    void cursorPagesWalkEveryRowOnceInOrder() {
        String workspace = workspaceChanged(4);
        List<String> all = asOwner().queryParam("resourceId", workspace).when().get(EVENTS).then().statusCode(200)
                .extract().jsonPath().getList("items.id");
        assertEquals(5, all.size());
        List<String> paged = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = asOwner().queryParam("resourceId", workspace).queryParam("count", 2);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.when().get(EVENTS).then().statusCode(200).extract().jsonPath();
            paged.addAll(page.getList("items.id"));
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null && pages < 10);
        assertEquals(all, paged);
        assertEquals(3, pages);
    }

    @Test
    void aCursorWorksOnlyWithTheFiltersAndOrganizationThatGaveIt() {
        String workspace = workspaceChanged(2);
        String cursor = asOwner().queryParam("resourceId", workspace).queryParam("count", 1).when().get(EVENTS).then()
                .statusCode(200).extract().path("nextCursor");
        assertProblem(asOwner().queryParam("resourceId", workspace).queryParam("count", 2).queryParam("cursor", cursor)
                .when().get(EVENTS).then(), 400, "cursor");
        assertProblem(asOwner().queryParam("count", 1).queryParam("cursor", cursor).when().get(EVENTS).then(), 400,
                "cursor");
        String forged = cursor.substring(0, cursor.length() - 2) + (cursor.endsWith("AA") ? "BB" : "AA");
        assertProblem(asOwner().queryParam("resourceId", workspace).queryParam("count", 1).queryParam("cursor", forged)
                .when().get(EVENTS).then(), 400, "cursor");
        String other = Tokens.newOrganization(unique("Cursor org")).token();
        assertProblem(as(other).queryParam("resourceId", workspace).queryParam("count", 1).queryParam("cursor", cursor)
                .when().get(EVENTS).then(), 400, "cursor");
    }

    @Test
    void badParametersAreProblemsNamingThem() {
        assertProblem(asOwner().queryParam("count", "0").when().get(EVENTS).then(), 400, "count");
        assertProblem(asOwner().queryParam("count", "501").when().get(EVENTS).then(), 400, "count");
        assertProblem(asOwner().queryParam("from", "yesterday").when().get(EVENTS).then(), 400, "from");
        assertProblem(asOwner().queryParam("to", "2026-13-01").when().get(EVENTS).then(), 400, "to");
        assertProblem(asOwner().queryParam("actor", "someone").when().get(EVENTS).then(), 400, "actor");
        assertProblem(asOwner().queryParam("cursor", "%%%").when().get(EVENTS).then(), 400, "cursor");
    }

    @Test
    void anotherOrganizationsRowsAreNeverListed() {
        String workspace = workspaceChanged(1);
        String other = Tokens.newOrganization(unique("Other org")).token();
        as(other).queryParam("resourceId", workspace).when().get(EVENTS).then().statusCode(200)
                .body("items.size()", equalTo(0));
        List<String> resources = as(other).queryParam("count", 500).when().get(EVENTS).then().statusCode(200)
                .extract().jsonPath().getList("items.resource.id");
        assertTrue(!resources.contains(workspace), resources.toString());
        // and the first organization does not see the other's
        String otherWorkspace = as(other).body(Map.of("name", unique("theirs"))).when().post("/admin/v1/workspaces")
                .then().statusCode(201).extract().path("id");
        asOwner().queryParam("resourceId", otherWorkspace).when().get(EVENTS).then().statusCode(200)
                .body("items.size()", equalTo(0));
        given().auth().oauth2(Tokens.operator()).when().get(EVENTS).then().statusCode(403);
    }
}
