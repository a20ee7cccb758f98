package io.rollcall.audit;

import static io.restassured.RestAssured.given;
import static io.rollcall.support.AdminFixtures.SCIM_JSON;
import static io.rollcall.support.AdminFixtures.scimToken;
import static io.rollcall.support.AdminFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.rollcall.support.AdminFixtures;
import io.rollcall.support.AuditRows;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * The change events of issue 15, written to the outbox ({@code change_events}, V15) in the transaction of each change:
 * per event type, the row exists after the change, and none exists for the same change refused or rolled back.
 * {@code user.roles_changed} is written for each user whose effective roles changed, directly or through a group
 * (nested too), and for no one else. Asserted on the raw table, by the request id each request sends. The organization
 * subscribes to every type (paused, so nothing is sent): without a subscription no outbox row is written
 * ({@link ChangeEventOutboxTest}).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ChangeEventsTest {

    private static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";
    private static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    private static final String STALE = "W/\"999999\"";

    private static String subscription;

    @BeforeAll
    static void subscribeToEveryType() {
        subscription = AuditRows.subscribePaused(io.rollcall.support.AccessRows.orgId(), "*");
    }

    @AfterAll
    static void unsubscribe() {
        AuditRows.unsubscribe(subscription);
    }

    private static RequestSpecification scim(String request) {
        return given().auth().oauth2(scimToken()).contentType(SCIM_JSON).header("X-Request-Id", request);
    }

    private static RequestSpecification admin(String request) {
        return AdminFixtures.asOwner().header("X-Request-Id", request);
    }

    private static Map<String, Object> patch(Map<String, Object> operation) {
        return Map.of("schemas", List.of(PATCH_OP), "Operations", List.of(operation));
    }

    private static Map<String, Object> addMembers(String... ids) {
        return patch(Map.of("op", "add", "path", "members", "value",
                java.util.Arrays.stream(ids).map(id -> Map.of("value", id)).toList()));
    }

    private static void assertNoEvents(String request) {
        assertEquals(List.of(), AuditRows.events(request));
    }

    @Test
    void userCreatedOnlyWhenTheCreateCommits() {
        String request = AuditRows.requestId();
        String userName = unique("created") + "@example.com";
        String id = scim(request).body(Map.of("schemas", List.of(USER), "userName", userName, "displayName", "C"))
                .when().post("/scim/v2/Users").then().statusCode(201).extract().path("id");
        assertEquals(List.of("user.created User " + id + " {\"attributes\": [\"active\", \"displayName\", \"userName\"]}"),
                AuditRows.events(request).stream().filter(e -> e.startsWith("user.created")).toList());
        String refused = AuditRows.requestId();
        scim(refused).body(Map.of("schemas", List.of(USER), "userName", userName)).when().post("/scim/v2/Users")
                .then().statusCode(409);
        assertNoEvents(refused);
    }

    @Test
    void userUpdatedNamesTheAttributesAndNotWhenRefused() {
        String id = AdminFixtures.createUser().id();
        String userName = unique("updated") + "@example.com";
        String refused = AuditRows.requestId();
        scim(refused).header("If-Match", STALE).body(Map.of("schemas", List.of(USER), "userName", userName))
                .when().put("/scim/v2/Users/" + id).then().statusCode(412);
        assertNoEvents(refused);
        String request = AuditRows.requestId();
        scim(request).body(Map.of("schemas", List.of(USER), "userName", userName)).when().put("/scim/v2/Users/" + id)
                .then().statusCode(200);
        assertEquals(List.of("user.updated User " + id + " {\"attributes\": [\"userName\"]}"), AuditRows.events(request));
    }

    @Test
    void userDeactivatedAndActivatedOnlyWhenActiveFlipsAndCommits() {
        String id = AdminFixtures.createUser().id();
        String refused = AuditRows.requestId();
        scim(refused).header("If-Match", STALE).body(patch(Map.of("op", "replace", "value", Map.of("active", false))))
                .when().patch("/scim/v2/Users/" + id).then().statusCode(412);
        assertNoEvents(refused);
        String off = AuditRows.requestId();
        scim(off).body(patch(Map.of("op", "replace", "value", Map.of("active", false)))).when()
                .patch("/scim/v2/Users/" + id).then().statusCode(200);
        assertEquals(List.of("user.deactivated User " + id + " {\"active\": false}"), AuditRows.events(off));
        String again = AuditRows.requestId();
        scim(again).body(patch(Map.of("op", "replace", "value", Map.of("active", false)))).when()
                .patch("/scim/v2/Users/" + id).then().statusCode(200);
        assertNoEvents(again);
        String refusedOn = AuditRows.requestId();
        scim(refusedOn).header("If-Match", STALE).body(patch(Map.of("op", "replace", "value", Map.of("active", true))))
                .when().patch("/scim/v2/Users/" + id).then().statusCode(412);
        assertNoEvents(refusedOn);
        String on = AuditRows.requestId();
        scim(on).body(patch(Map.of("op", "replace", "value", Map.of("active", true)))).when()
                .patch("/scim/v2/Users/" + id).then().statusCode(200);
        assertEquals(List.of("user.activated User " + id + " {\"active\": true}"), AuditRows.events(on));
    }

    @Test
    void userDeletedOnlyWhenTheDeleteCommits() {
        String id = AdminFixtures.createUser().id();
        String refused = AuditRows.requestId();
        scim(refused).header("If-Match", STALE).when().delete("/scim/v2/Users/" + id).then().statusCode(412);
        assertNoEvents(refused);
        String request = AuditRows.requestId();
        scim(request).when().delete("/scim/v2/Users/" + id).then().statusCode(204);
        assertEquals(List.of("user.deleted User " + id + " {}"), AuditRows.events(request));
    }

    @Test
    void userRolesChangedForItsOwnBindingsWithTheRolesItHoldsAfter() {
        String id = AdminFixtures.createUser().id();
        String refused = AuditRows.requestId();
        scim(refused).body(patch(Map.of("op", "add", "path", "roles", "value", List.of(Map.of("value",
                "organization-owner"))))).when().patch("/scim/v2/Users/" + id).then().statusCode(403);
        assertNoEvents(refused);
        String request = AuditRows.requestId();
        scim(request).body(patch(Map.of("op", "add", "path", "roles", "value", List.of(Map.of("value",
                "campaign-manager"))))).when().patch("/scim/v2/Users/" + id).then().statusCode(200);
        assertEquals(List.of("user.roles_changed User " + id + " {\"roles\": [\"campaign-manager\"]}"),
                AuditRows.events(request));
        String admin = AuditRows.requestId();
        admin(admin).body(Map.of("role", "inbox-agent")).when().post("/admin/v1/users/" + id + "/roles").then()
                .statusCode(201);
        assertEquals(List.of("user.roles_changed User " + id + " {\"roles\": [\"campaign-manager\", \"inbox-agent\"]}"),
                AuditRows.events(admin));
    }

    @Test
    void groupCreatedUpdatedAndDeletedOnlyWhenTheyCommit() {
        String refused = AuditRows.requestId();
        scim(refused).body(Map.of("schemas", List.of(GROUP), "displayName", unique("refused"), "members",
                List.of(Map.of("value", UUID.randomUUID().toString())))).when().post("/scim/v2/Groups").then()
                .statusCode(400);
        assertNoEvents(refused);
        String request = AuditRows.requestId();
        String id = scim(request).body(Map.of("schemas", List.of(GROUP), "displayName", unique("events")))
                .when().post("/scim/v2/Groups").then().statusCode(201).extract().path("id");
        assertEquals(List.of("group.created Group " + id + " {\"attributes\": [\"displayName\"]}"),
                AuditRows.events(request));

        String stale = AuditRows.requestId();
        scim(stale).header("If-Match", STALE).body(Map.of("schemas", List.of(GROUP), "displayName", unique("x")))
                .when().put("/scim/v2/Groups/" + id).then().statusCode(412);
        assertNoEvents(stale);
        String renamed = AuditRows.requestId();
        scim(renamed).body(patch(Map.of("op", "replace", "path", "displayName", "value", unique("renamed"))))
                .when().patch("/scim/v2/Groups/" + id).then().statusCode(204);
        assertEquals(List.of("group.updated Group " + id + " {\"attributes\": [\"displayName\"]}"),
                AuditRows.events(renamed));

        String staleDelete = AuditRows.requestId();
        scim(staleDelete).header("If-Match", STALE).when().delete("/scim/v2/Groups/" + id).then().statusCode(412);
        assertNoEvents(staleDelete);
        String deleted = AuditRows.requestId();
        scim(deleted).when().delete("/scim/v2/Groups/" + id).then().statusCode(204);
        assertEquals(List.of("group.deleted Group " + id + " {}"), AuditRows.events(deleted));
    }

    @Test
    void groupMembersChangedOnEveryPathAndNotWhenRolledBack() {
        String ana = AdminFixtures.createUser().id();
        String bo = AdminFixtures.createUser().id();
        String id = AdminFixtures.createGroup(unique("members"));
        // one statement: the delta and its event
        String added = AuditRows.requestId();
        scim(added).body(addMembers(ana)).when().patch("/scim/v2/Groups/" + id).then().statusCode(204);
        assertEquals(List.of("group.members_changed Group " + id + " {\"added\": [\"" + ana + "\"], \"removed\": []}"),
                AuditRows.events(added));
        String again = AuditRows.requestId();
        scim(again).body(addMembers(ana)).when().patch("/scim/v2/Groups/" + id).then().statusCode(204);
        assertNoEvents(again);
        String removed = AuditRows.requestId();
        scim(removed).body(patch(Map.of("op", "remove", "path", "members[value eq \"" + ana + "\"]")))
                .when().patch("/scim/v2/Groups/" + id).then().statusCode(204);
        assertEquals(List.of("group.members_changed Group " + id + " {\"added\": [], \"removed\": [\"" + ana + "\"]}"),
                AuditRows.events(removed));
        // rolled back: the second member does not exist, so the first is not added either
        String rolledBack = AuditRows.requestId();
        scim(rolledBack).body(Map.of("schemas", List.of(PATCH_OP), "Operations", List.of(
                Map.of("op", "add", "path", "members", "value", List.of(Map.of("value", bo))),
                Map.of("op", "add", "path", "members", "value", List.of(Map.of("value", UUID.randomUUID().toString()))))))
                .when().patch("/scim/v2/Groups/" + id).then().statusCode(400);
        assertNoEvents(rolledBack);
        // the general path (two operations)
        String general = AuditRows.requestId();
        scim(general).body(Map.of("schemas", List.of(PATCH_OP), "Operations", List.of(
                Map.of("op", "add", "path", "members", "value", List.of(Map.of("value", bo))),
                Map.of("op", "add", "path", "members", "value", List.of(Map.of("value", ana))))))
                .when().patch("/scim/v2/Groups/" + id).then().statusCode(204);
        assertEquals(List.of("group.members_changed Group " + id + " {\"added\": [\"" + bo + "\", \"" + ana
                + "\"], \"removed\": []}"), AuditRows.events(general));
    }

    @Test
    void aGroupsRoleBindingAnnouncesTheGroupAndEveryUserUnderItWhoseRolesChanged() {
        String direct = AdminFixtures.createUser().id();
        String nested = AdminFixtures.createUser().id();
        String holdsItAlready = AdminFixtures.createUser().id();
        AdminFixtures.bind("users", holdsItAlready, "campaign-manager", null);
        String child = AdminFixtures.createGroup(unique("child"), nested);
        String parent = AdminFixtures.createGroup(unique("parent"), direct, child, holdsItAlready);

        String refused = AuditRows.requestId();
        given().auth().oauth2(Tokens.withRoles("inbox-agent")).contentType("application/json")
                .header("X-Request-Id", refused).body(Map.of("role", "campaign-manager")).when()
                .post("/admin/v1/groups/" + parent + "/roles").then().statusCode(403);
        assertNoEvents(refused);

        String request = AuditRows.requestId();
        admin(request).body(Map.of("role", "campaign-manager")).when().post("/admin/v1/groups/" + parent + "/roles")
                .then().statusCode(201);
        List<String> events = AuditRows.events(request);
        // the two users who had only the fallback role now hold campaign-manager (the fallback left them)
        assertTrue(events.contains("user.roles_changed User " + direct + " {\"roles\": [\"campaign-manager\"]}"),
                events.toString());
        assertTrue(events.contains("user.roles_changed User " + nested + " {\"roles\": [\"campaign-manager\"]}"),
                events.toString());
        assertTrue(events.contains("group.roles_changed Group " + parent + " {\"roles\": [\"campaign-manager\"]}"),
                events.toString());
        assertEquals(3, events.size(), "no event for the user who held campaign-manager already: " + events);
    }

    @Test
    void joiningOrLeavingAGroupThatHoldsRolesAnnouncesThatUsersRoles() {
        String group = AdminFixtures.createGroup(unique("role group"));
        AdminFixtures.bind("groups", group, "inbox-agent", null);
        String user = AdminFixtures.createUser().id();

        String rolledBack = AuditRows.requestId();
        scim(rolledBack).body(addMembers(user, UUID.randomUUID().toString())).when().patch("/scim/v2/Groups/" + group)
                .then().statusCode(400);
        assertNoEvents(rolledBack);

        String joined = AuditRows.requestId();
        scim(joined).body(addMembers(user)).when().patch("/scim/v2/Groups/" + group).then().statusCode(204);
        List<String> events = AuditRows.events(joined);
        assertTrue(events.contains("user.roles_changed User " + user + " {\"roles\": [\"inbox-agent\"]}"),
                events.toString());
        assertTrue(events.stream().anyMatch(e -> e.startsWith("group.members_changed Group " + group)), events.toString());
        assertEquals(2, events.size(), events.toString());

        String left = AuditRows.requestId();
        scim(left).body(patch(Map.of("op", "remove", "path", "members[value eq \"" + user + "\"]")))
                .when().patch("/scim/v2/Groups/" + group).then().statusCode(204);
        List<String> after = AuditRows.events(left);
        // back to the organization's fallback role
        assertTrue(after.contains("user.roles_changed User " + user + " {\"roles\": [\"knowledge-base-user\"]}"),
                after.toString());
    }

    @Test
    void deletingAGroupThatHoldsRolesAnnouncesItsUsersRoles() {
        String user = AdminFixtures.createUser().id();
        String group = AdminFixtures.createGroup(unique("doomed"), user);
        AdminFixtures.bind("groups", group, "inbox-agent", null);
        String request = AuditRows.requestId();
        scim(request).when().delete("/scim/v2/Groups/" + group).then().statusCode(204);
        List<String> events = AuditRows.events(request);
        assertTrue(events.contains("group.deleted Group " + group + " {}"), events.toString());
        assertTrue(events.contains("user.roles_changed User " + user + " {\"roles\": [\"knowledge-base-user\"]}"),
                events.toString());
    }

    @Test
    void deletingAWorkspaceAnnouncesTheRolesOfTheUsersBoundInIt() {
        String name = unique("events workspace");
        String workspace = AdminFixtures.createWorkspace(name);
        String user = AdminFixtures.createUser().id();
        AdminFixtures.bind("users", user, "inbox-agent", null);
        AdminFixtures.bind("users", user, "campaign-manager", workspace);
        String request = AuditRows.requestId();
        admin(request).when().delete("/admin/v1/workspaces/" + workspace).then().statusCode(204);
        assertEquals(List.of("user.roles_changed User " + user + " {\"roles\": [\"inbox-agent\"]}"),
                AuditRows.events(request));
    }

    @Test
    void movingTheFallbackRoleAnnouncesTheRolesOfTheUsersHoldingIt() {
        String user = AdminFixtures.createUser().id();
        String holdsOwnRole = AdminFixtures.createUser().id();
        AdminFixtures.bind("users", holdsOwnRole, "inbox-agent", null);
        String request = AuditRows.requestId();
        try {
            admin(request).body(Map.of("fallbackRole", "content-manager")).when().put("/admin/v1/settings").then()
                    .statusCode(200);
            List<String> events = AuditRows.events(request);
            assertTrue(events.contains("user.roles_changed User " + user + " {\"roles\": [\"content-manager\"]}"),
                    events.toString());
            assertTrue(events.stream().noneMatch(e -> e.contains(holdsOwnRole)), events.toString());
        } finally {
            AdminFixtures.asOwner().body(Map.of("fallbackRole", "knowledge-base-user")).when().put("/admin/v1/settings")
                    .then().statusCode(200);
        }
    }

    @Test
    void aGroupsRolesOverScimAnnounceGroupRolesChanged() {
        String name = unique("scim roles");
        String group = AdminFixtures.createGroup(name);
        String request = AuditRows.requestId();
        scim(request).body(Map.of("schemas", List.of(GROUP, "urn:rollcall:scim:schemas:extension:access:2.0:Group"),
                "displayName", name, "urn:rollcall:scim:schemas:extension:access:2.0:Group",
                Map.of("roles", List.of("inbox-agent")))).when().put("/scim/v2/Groups/" + group).then().statusCode(200);
        assertTrue(AuditRows.events(request).contains("group.roles_changed Group " + group
                + " {\"roles\": [\"inbox-agent\"]}"), AuditRows.events(request).toString());
    }
}
