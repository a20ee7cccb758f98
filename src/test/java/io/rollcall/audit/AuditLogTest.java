package io.rollcall.audit;

import static io.restassured.RestAssured.given;
import static io.rollcall.support.AdminFixtures.SCIM_JSON;
import static io.rollcall.support.AdminFixtures.asOwner;
import static io.rollcall.support.AdminFixtures.scimToken;
import static io.rollcall.support.AdminFixtures.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.rollcall.support.AccessRows;
import io.rollcall.support.AdminFixtures;
import io.rollcall.support.AuditRows;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * The audit log (issue 15): every change made through SCIM (Bulk included), the admin API, the console and the
 * operator API writes one row in the change's transaction — actor, channel, action, resource, the names of the
 * attributes set (never values), result and request id — and a refused change that reached the service writes one with
 * its status. Asserted on the raw {@code audit_events} table, found by the request id each request sends.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class AuditLogTest {

    private static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";
    private static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    private static final String ROLE = "urn:okta:scim:schemas:core:1.0:Role";
    private static final String ROLE_ACCESS = "urn:rollcall:scim:schemas:extension:access:2.0:Role";
    private static final String PASSWORD = "Very-Secret-Passw0rd-" + unique("p");
    private static final String SUBSCRIPTIONS = "/admin/v1/event-subscriptions";
    /** Loopback, which the tests' rollcall.events.allowed-networks allows. */
    private static final String SUBSCRIBER = "http://127.0.0.1:9/hooks/audited";

    private static RequestSpecification scim(String token, String request) {
        return given().auth().oauth2(token).contentType(SCIM_JSON).header("X-Request-Id", request);
    }

    private static RequestSpecification admin(String token, String request) {
        return AdminFixtures.as(token).header("X-Request-Id", request);
    }

    private static Map<String, Object> patch(Map<String, Object> operation) {
        return Map.of("schemas", List.of(PATCH_OP), "Operations", List.of(operation));
    }

    /** The one audit row of the request. */
    private static String onlyRow(String request) {
        List<String> rows = AuditRows.audit(request);
        assertEquals(1, rows.size(), rows.toString());
        return rows.get(0);
    }

    private static String scimKeyName() {
        return AccessRows.strings("SELECT name FROM access_keys WHERE id = CAST(? AS uuid)",
                (String) Tokens.claimsOf(scimToken()).get("sub")).get(0);
    }

    @Test
    void aUserCreatedOverScimIsRecordedWithItsAttributeNamesAndNeverItsPassword() {
        String request = AuditRows.requestId();
        String id = scim(scimToken(), request).body(Map.of("schemas", List.of(USER), "userName",
                unique("ana") + "@example.com", "displayName", "Ana", "password", PASSWORD))
                .when().post("/scim/v2/Users").then().statusCode(201).extract().path("id");
        String row = onlyRow(request);
        assertTrue(row.startsWith("user.create User " + id + " success 201 scim access_key " + scimKeyName() + " "), row);
        assertTrue(row.contains("\"userName\"") && row.contains("\"displayName\"") && row.contains("\"password\""), row);
        assertFalse(AuditRows.auditRowsText(request).contains(PASSWORD), "a password value in audit_events");
        assertFalse(AuditRows.eventRowsText(request).contains(PASSWORD), "a password value in change_events");
    }

    @Test
    void scimReplacePatchAndDeleteOfAUserAreRecordedWithWhatChanged() {
        String userName = unique("bo") + "@example.com";
        String id = AdminFixtures.createUser().id();
        String put = AuditRows.requestId();
        scim(scimToken(), put).body(Map.of("schemas", List.of(USER), "userName", userName, "displayName", "Bo"))
                .when().put("/scim/v2/Users/" + id).then().statusCode(200);
        String replaced = onlyRow(put);
        assertTrue(replaced.startsWith("user.replace User " + id + " success 200 scim "), replaced);
        assertTrue(replaced.endsWith("[\"displayName\", \"userName\"]"), replaced);

        String patched = AuditRows.requestId();
        scim(scimToken(), patched).body(patch(Map.of("op", "replace", "path", "password", "value", PASSWORD)))
                .when().patch("/scim/v2/Users/" + id).then().statusCode(200);
        assertTrue(onlyRow(patched).startsWith("user.patch User " + id + " success 200 scim "), onlyRow(patched));
        assertTrue(onlyRow(patched).endsWith("[\"password\"]"), onlyRow(patched));
        assertFalse(AuditRows.auditRowsText(patched).contains(PASSWORD));
        assertFalse(AuditRows.eventRowsText(patched).contains(PASSWORD));

        String deleted = AuditRows.requestId();
        scim(scimToken(), deleted).when().delete("/scim/v2/Users/" + id).then().statusCode(204);
        assertTrue(onlyRow(deleted).startsWith("user.delete User " + id + " success 204 scim "), onlyRow(deleted));
    }

    @Test
    void scimGroupCreateReplacePatchAndDeleteAreRecorded() {
        String member = AdminFixtures.createUser().id();
        String created = AuditRows.requestId();
        String id = scim(scimToken(), created).body(Map.of("schemas", List.of(GROUP), "displayName", unique("g")))
                .when().post("/scim/v2/Groups").then().statusCode(201).extract().path("id");
        assertTrue(onlyRow(created).startsWith("group.create Group " + id + " success 201 scim "), onlyRow(created));

        String replaced = AuditRows.requestId();
        scim(scimToken(), replaced).body(Map.of("schemas", List.of(GROUP), "displayName", unique("renamed")))
                .when().put("/scim/v2/Groups/" + id).then().statusCode(200);
        assertTrue(onlyRow(replaced).startsWith("group.replace Group " + id + " success 200 scim "), onlyRow(replaced));
        assertTrue(onlyRow(replaced).contains("\"displayName\""), onlyRow(replaced));

        // the one-statement membership delta records itself in the same statement
        String added = AuditRows.requestId();
        scim(scimToken(), added).body(patch(Map.of("op", "add", "path", "members", "value",
                List.of(Map.of("value", member))))).when().patch("/scim/v2/Groups/" + id).then().statusCode(204);
        assertEquals("group.patch Group " + id + " success 204 scim access_key " + scimKeyName() + " [\"members\"]",
                onlyRow(added));
        String removed = AuditRows.requestId();
        scim(scimToken(), removed).body(patch(Map.of("op", "remove", "path", "members[value eq \"" + member + "\"]")))
                .when().patch("/scim/v2/Groups/" + id).then().statusCode(204);
        assertTrue(onlyRow(removed).startsWith("group.patch Group " + id + " success 204 scim "), onlyRow(removed));

        String deleted = AuditRows.requestId();
        scim(scimToken(), deleted).when().delete("/scim/v2/Groups/" + id).then().statusCode(204);
        assertTrue(onlyRow(deleted).startsWith("group.delete Group " + id + " success 204 scim "), onlyRow(deleted));
    }

    @Test
    void scimRoleCreatePatchAndDeleteAreRecorded() {
        String manager = Tokens.withRoles("scim-client", "organization-owner");
        String created = AuditRows.requestId();
        String id = scim(manager, created).body(Map.of("schemas", List.of(ROLE, ROLE_ACCESS), "displayName",
                unique("Scim role"), ROLE_ACCESS, Map.of("permissions", List.of("reports:read"))))
                .when().post("/scim/v2/Roles").then().statusCode(201).extract().path("id");
        assertTrue(onlyRow(created).startsWith("role.create Role " + id + " success 201 scim "), onlyRow(created));

        String user = AdminFixtures.createUser().id();
        AdminFixtures.bind("users", user, "inbox-agent", null);
        String patched = AuditRows.requestId();
        scim(manager, patched).body(patch(Map.of("op", "add", "path", "members", "value",
                List.of(Map.of("value", user))))).when().patch("/scim/v2/Roles/" + id).then().statusCode(200);
        assertTrue(onlyRow(patched).startsWith("role.patch Role " + id + " success 200 scim "), onlyRow(patched));
        assertTrue(onlyRow(patched).contains("\"members\""), onlyRow(patched));

        String deleted = AuditRows.requestId();
        scim(manager, deleted).when().delete("/scim/v2/Roles/" + id).then().statusCode(204);
        assertTrue(onlyRow(deleted).startsWith("role.delete Role " + id + " success 204 scim "), onlyRow(deleted));
    }

    @Test
    void eachOperationOfABulkRequestIsRecordedAsItsSingleRequestWouldBe() {
        String request = AuditRows.requestId();
        Map<String, Object> bulk = Map.of("schemas", List.of("urn:ietf:params:scim:api:messages:2.0:BulkRequest"),
                "Operations", List.of(
                        Map.of("method", "POST", "path", "/Users", "bulkId", "u1", "data", Map.of("schemas",
                                List.of(USER), "userName", unique("bulk") + "@example.com")),
                        Map.of("method", "POST", "path", "/Groups", "bulkId", "g1", "data", Map.of("schemas",
                                List.of(GROUP), "displayName", unique("bulk group"), "members",
                                List.of(Map.of("value", "bulkId:u1")))),
                        Map.of("method", "DELETE", "path", "/Users/" + java.util.UUID.randomUUID())));
        scim(scimToken(), request).body(bulk).when().post("/scim/v2/Bulk").then().statusCode(200);
        List<String> rows = AuditRows.audit(request);
        assertEquals(3, rows.size(), rows.toString());
        assertTrue(rows.get(0).startsWith("user.create User ") && rows.get(0).contains(" success 201 scim "), rows.get(0));
        assertTrue(rows.get(1).startsWith("group.create Group ") && rows.get(1).contains(" success 201 scim "),
                rows.get(1));
        assertTrue(rows.get(2).startsWith("user.delete User ") && rows.get(2).contains(" refused 404 scim "), rows.get(2));
    }

    @Test
    void adminChangesToRolesKeysSettingsPoliciesWorkspacesAndUserRolesAreRecorded() {
        String owner = Tokens.owner();
        String ownerKey = (String) Tokens.claimsOf(owner).get("sub");

        String roleCreated = AuditRows.requestId();
        String role = admin(owner, roleCreated).body(Map.of("name", unique("Audited role"), "permissions",
                List.of("reports:read"))).when().post("/admin/v1/roles").then().statusCode(201).extract().path("id");
        assertTrue(onlyRow(roleCreated).startsWith("role.create Role " + role + " success 201 admin access_key "),
                onlyRow(roleCreated));
        String roleReplaced = AuditRows.requestId();
        admin(owner, roleReplaced).body(Map.of("name", unique("Renamed role"), "permissions", List.of("reports:read")))
                .when().put("/admin/v1/roles/" + role).then().statusCode(200);
        assertTrue(onlyRow(roleReplaced).startsWith("role.replace Role " + role + " success 200 admin "),
                onlyRow(roleReplaced));

        String user = AdminFixtures.createUser().id();
        AdminFixtures.bind("users", user, "inbox-agent", null);
        String bound = AuditRows.requestId();
        String binding = admin(owner, bound).body(Map.of("role", role)).when().post("/admin/v1/users/" + user + "/roles")
                .then().statusCode(201).extract().path("id");
        assertTrue(onlyRow(bound).startsWith("role_binding.add User " + user + " success 201 admin "), onlyRow(bound));
        String unbound = AuditRows.requestId();
        admin(owner, unbound).when().delete("/admin/v1/users/" + user + "/roles/" + binding).then().statusCode(204);
        assertTrue(onlyRow(unbound).startsWith("role_binding.remove User " + user + " success 204 admin "),
                onlyRow(unbound));

        String roleDeleted = AuditRows.requestId();
        admin(owner, roleDeleted).when().delete("/admin/v1/roles/" + role).then().statusCode(204);
        assertTrue(onlyRow(roleDeleted).startsWith("role.delete Role " + role + " success 204 admin "),
                onlyRow(roleDeleted));

        String keyCreated = AuditRows.requestId();
        var key = admin(owner, keyCreated).body(Map.of("name", unique("audited key"), "roles", List.of("inbox-agent")))
                .when().post("/admin/v1/access-keys").then().statusCode(201).extract().jsonPath();
        assertTrue(onlyRow(keyCreated).startsWith("access_key.create AccessKey " + key.getString("id")
                + " success 201 admin access_key "), onlyRow(keyCreated));
        assertFalse(AuditRows.auditRowsText(keyCreated).contains(key.getString("token")), "a token in audit_events");
        String secret = AuditRows.requestId();
        String clientSecret = admin(owner, secret).when().post("/admin/v1/access-keys/" + key.getString("id")
                + "/secrets").then().statusCode(201).extract().path("secret");
        assertTrue(onlyRow(secret).startsWith("client_secret.create ClientSecret "), onlyRow(secret));
        assertFalse(AuditRows.auditRowsText(secret).contains(clientSecret), "a client secret in audit_events");
        String keyRevoked = AuditRows.requestId();
        admin(owner, keyRevoked).when().delete("/admin/v1/access-keys/" + key.getString("id")).then().statusCode(204);
        assertTrue(onlyRow(keyRevoked).startsWith("access_key.revoke AccessKey " + key.getString("id")
                + " success 204 admin "), onlyRow(keyRevoked));

        String settings = AuditRows.requestId();
        admin(owner, settings).body(Map.of("fallbackRole", "knowledge-base-user")).when().put("/admin/v1/settings")
                .then().statusCode(200);
        assertEquals("settings.replace Settings - success 200 admin access_key bootstrap owner [\"fallbackRole\"]",
                onlyRow(settings));

        String policyCreated = AuditRows.requestId();
        String policy = admin(owner, policyCreated).body(Map.of("name", unique("Audited policy"), "statements",
                List.of(Map.of("effect", "allow", "permissions", List.of("reports:read"), "resources", List.of("*")))))
                .when().post("/admin/v1/policies").then().statusCode(201).extract().path("id");
        assertTrue(onlyRow(policyCreated).startsWith("policy.create Policy " + policy + " success 201 admin "),
                onlyRow(policyCreated));
        String policyReplaced = AuditRows.requestId();
        admin(owner, policyReplaced).body(Map.of("name", unique("Audited policy"), "statements",
                List.of(Map.of("effect", "allow", "permissions", List.of("reports:read"), "resources", List.of("*")))))
                .when().put("/admin/v1/policies/" + policy).then().statusCode(200);
        assertTrue(onlyRow(policyReplaced).startsWith("policy.replace Policy " + policy + " success 200 admin "),
                onlyRow(policyReplaced));
        String policyDeleted = AuditRows.requestId();
        admin(owner, policyDeleted).when().delete("/admin/v1/policies/" + policy).then().statusCode(204);
        assertTrue(onlyRow(policyDeleted).startsWith("policy.delete Policy " + policy + " success 204 admin "),
                onlyRow(policyDeleted));

        String workspaceCreated = AuditRows.requestId();
        String workspace = admin(owner, workspaceCreated).body(Map.of("name", unique("Audited workspace"))).when()
                .post("/admin/v1/workspaces").then().statusCode(201).extract().path("id");
        assertTrue(onlyRow(workspaceCreated).startsWith("workspace.create Workspace " + workspace + " success 201 "),
                onlyRow(workspaceCreated));
        String workspaceDeleted = AuditRows.requestId();
        admin(owner, workspaceDeleted).when().delete("/admin/v1/workspaces/" + workspace).then().statusCode(204);
        assertTrue(onlyRow(workspaceDeleted).startsWith("workspace.delete Workspace " + workspace + " success 204 "),
                onlyRow(workspaceDeleted));
        assertEquals(List.of(ownerKey), AccessRows.strings("SELECT DISTINCT CAST(actor_id AS text) FROM audit_events "
                + "WHERE request_id = ?", roleCreated));
    }

    @Test
    void aChangeMadeInTheConsoleIsRecordedAsTheConsolesChannel() {
        var session = given().contentType("application/json").body(Map.of("token", Tokens.owner()))
                .when().post("/console/session").then().statusCode(201).extract().response();
        String request = AuditRows.requestId();
        given().cookie("rollcall_console", session.cookie("rollcall_console"))
                .header("X-CSRF-Token", session.jsonPath().getString("csrfToken")).header("X-Request-Id", request)
                .contentType("application/json").body(Map.of("name", unique("Console workspace")))
                .when().post("/admin/v1/workspaces").then().statusCode(201);
        assertTrue(onlyRow(request).startsWith("workspace.create Workspace ") && onlyRow(request).contains(" console "),
                onlyRow(request));
    }

    @Test
    void aTokenIssuedForAClientSecretIsRecordedAsTheOauthChannelWithoutTheSecretOrToken() {
        String name = unique("oauth client");
        Tokens.CreatedKey key = Tokens.createKey(Map.of("name", name, "roles", List.of("scim-client")));
        String secret = AdminFixtures.asOwner().when().post("/admin/v1/access-keys/" + key.id() + "/secrets").then()
                .statusCode(201).extract().path("secret");
        String request = AuditRows.requestId();
        String token = given().header("X-Request-Id", request).contentType("application/x-www-form-urlencoded")
                .body("grant_type=client_credentials&client_id=" + key.id() + "&client_secret=" + secret)
                .when().post("/oauth/token").then().statusCode(200).extract().path("access_token");
        assertEquals("access_key.token AccessKey " + key.id() + " success 200 oauth access_key " + name + " []",
                onlyRow(request));
        String text = AuditRows.auditRowsText(request);
        assertFalse(text.contains(secret) || text.contains(token), "a secret or token in audit_events");
        // a wrong secret authenticates no one: nothing to record
        String refused = AuditRows.requestId();
        given().header("X-Request-Id", refused).contentType("application/x-www-form-urlencoded")
                .body("grant_type=client_credentials&client_id=" + key.id() + "&client_secret=rcs_wrong")
                .when().post("/oauth/token").then().statusCode(401);
        assertEquals(List.of(), AuditRows.audit(refused));
    }

    @Test
    void theOperatorsOrganizationChangesAreRecordedUnderTheOrganization() {
        String name = unique("Audited org");
        String created = AuditRows.requestId();
        String org = given().auth().oauth2(Tokens.operator()).contentType("application/json")
                .header("X-Request-Id", created).body(Map.of("name", name)).when().post("/admin/v1/organizations")
                .then().statusCode(201).extract().path("id");
        assertEquals("organization.create Organization " + org + " success 201 operator operator platform operator "
                + "[\"name\"]", onlyRow(created));
        String patched = AuditRows.requestId();
        given().auth().oauth2(Tokens.operator()).contentType("application/json").header("X-Request-Id", patched)
                .body(Map.of("suspended", true)).when().patch("/admin/v1/organizations/" + org).then().statusCode(200);
        assertTrue(onlyRow(patched).startsWith("organization.update Organization " + org + " success 200 operator "),
                onlyRow(patched));
        String refused = AuditRows.requestId();
        given().auth().oauth2(Tokens.operator()).header("X-Request-Id", refused).queryParam("confirm", "not " + name)
                .when().delete("/admin/v1/organizations/" + org).then().statusCode(409);
        assertTrue(onlyRow(refused).startsWith("organization.delete Organization " + org + " refused 409 operator "),
                onlyRow(refused));
        String deleted = AuditRows.requestId();
        given().auth().oauth2(Tokens.operator()).header("X-Request-Id", deleted).queryParam("confirm", name)
                .when().delete("/admin/v1/organizations/" + org).then().statusCode(204);
        assertTrue(onlyRow(deleted).startsWith("organization.delete Organization " + org + " success 204 operator "),
                onlyRow(deleted));
        // the organization's rows went with it; the attempts to delete it stay, in the operator's log (no organization)
        assertEquals(List.of("organization.delete refused -", "organization.delete success -"), AccessRows.strings(
                "SELECT concat_ws(' ', action, result, coalesce(CAST(org_id AS text), '-')) FROM audit_events "
                + "WHERE request_id IN (?, ?, ?, ?) ORDER BY seq", created, patched, refused, deleted));
    }

    @Test
    void refusedChangesThatReachedTheServiceAreRecordedWithTheirStatus() {
        String user = AdminFixtures.createUser().id();
        // 412: a stale version
        String stale = AuditRows.requestId();
        scim(scimToken(), stale).header("If-Match", "W/\"999999\"").body(Map.of("schemas", List.of(USER), "userName",
                unique("stale") + "@example.com")).when().put("/scim/v2/Users/" + user).then().statusCode(412);
        assertTrue(onlyRow(stale).startsWith("user.replace User " + user + " refused 412 scim "), onlyRow(stale));
        // 403: a key without roles:assign binding a role
        String viewer = Tokens.withRoles("inbox-agent");
        String escalation = AuditRows.requestId();
        admin(viewer, escalation).body(Map.of("role", "organization-owner")).when()
                .post("/admin/v1/users/" + user + "/roles").then().statusCode(403);
        assertTrue(onlyRow(escalation).startsWith("role_binding.add User " + user + " refused 403 admin "),
                onlyRow(escalation));
        // 409: the last role of a user, through the admin API
        String only = AdminFixtures.bind("users", user, "campaign-manager", null);
        String last = AuditRows.requestId();
        admin(Tokens.owner(), last).when().delete("/admin/v1/users/" + user + "/roles/" + only).then().statusCode(409);
        assertTrue(onlyRow(last).startsWith("role_binding.remove User " + user + " refused 409 admin "), onlyRow(last));
        // 404: an unknown user
        String missing = AuditRows.requestId();
        String unknown = java.util.UUID.randomUUID().toString();
        scim(scimToken(), missing).when().delete("/scim/v2/Users/" + unknown).then().statusCode(404);
        assertEquals(List.of("user.delete User " + unknown + " refused 404 scim access_key " + scimKeyName() + " []"),
                AuditRows.audit(missing));
        // 409: a userName taken
        String taken = AuditRows.requestId();
        String userName = AccessRows.strings("SELECT user_name FROM users WHERE id = CAST(? AS uuid)", user).get(0);
        scim(scimToken(), taken).body(Map.of("schemas", List.of(USER), "userName", userName, "password", PASSWORD))
                .when().post("/scim/v2/Users").then().statusCode(409);
        assertTrue(onlyRow(taken).startsWith("user.create User - refused 409 scim "), onlyRow(taken));
        assertFalse(AuditRows.auditRowsText(taken).contains(PASSWORD));
        // a refused membership delta (unknown group) on the one-statement path
        String noGroup = AuditRows.requestId();
        scim(scimToken(), noGroup).body(patch(Map.of("op", "add", "path", "members", "value",
                List.of(Map.of("value", user))))).when().patch("/scim/v2/Groups/" + unknown).then().statusCode(404);
        assertTrue(onlyRow(noGroup).startsWith("group.patch Group " + unknown + " refused 404 scim "), onlyRow(noGroup));
    }

    @Test
    void eventSubscriptionChangesAreRecordedWithTheNamesOfWhatTheySetAndNeverTheSecret() {
        String owner = Tokens.newOrganization(unique("Subscribing org")).token();
        String created = AuditRows.requestId();
        var subscription = admin(owner, created).body(Map.of("url", SUBSCRIBER, "eventTypes", List.of("user.deleted")))
                .when().post(SUBSCRIPTIONS).then().statusCode(201).extract().jsonPath();
        String id = subscription.getString("id");
        String secret = subscription.getString("secret");
        assertTrue(onlyRow(created).startsWith("event_subscription.create EventSubscription " + id
                + " success 201 admin access_key "), onlyRow(created));
        assertTrue(onlyRow(created).endsWith("[\"url\", \"eventTypes\", \"secret\"]"), onlyRow(created));

        String updated = AuditRows.requestId();
        admin(owner, updated).body(Map.of("eventTypes", List.of("*"), "url", SUBSCRIBER + "/other")).when()
                .patch(SUBSCRIPTIONS + "/" + id).then().statusCode(200).body("paused", equalTo(false))
                .body("eventTypes", equalTo(List.of("*")));
        assertTrue(onlyRow(updated).startsWith("event_subscription.update EventSubscription " + id
                + " success 200 admin "), onlyRow(updated));
        assertTrue(onlyRow(updated).endsWith("[\"url\", \"eventTypes\"]"), onlyRow(updated));

        String redriven = AuditRows.requestId();
        admin(owner, redriven).when().post(SUBSCRIPTIONS + "/" + id + "/dead-letters/redrive").then().statusCode(200);
        assertTrue(onlyRow(redriven).startsWith("event_subscription.redrive EventSubscription " + id
                + " success 200 admin "), onlyRow(redriven));

        String deleted = AuditRows.requestId();
        admin(owner, deleted).when().delete(SUBSCRIPTIONS + "/" + id).then().statusCode(204);
        assertTrue(onlyRow(deleted).startsWith("event_subscription.delete EventSubscription " + id
                + " success 204 admin "), onlyRow(deleted));

        // reading writes nothing
        String read = AuditRows.requestId();
        admin(owner, read).when().get(SUBSCRIPTIONS).then().statusCode(200);
        assertEquals(List.of(), AuditRows.audit(read));
        assertEquals(List.of("0"), AccessRows.strings("SELECT count(*) FROM audit_events a "
                + "WHERE strpos(row_to_json(a)::text, ?) > 0", secret), "the HMAC secret in an audit row");
    }

    @Test
    void refusedEventSubscriptionChangesAreRecordedWithTheirStatus() {
        String owner = Tokens.newOrganization(unique("Refused subscriptions org")).token();
        String other = Tokens.newOrganization(unique("Other subscribing org")).token();
        String foreign = admin(other, AuditRows.requestId()).body(Map.of("url", SUBSCRIBER, "eventTypes",
                List.of("user.deleted"))).when().post(SUBSCRIPTIONS).then().statusCode(201).extract().path("id");
        // 403: no events:manage
        String forbidden = AuditRows.requestId();
        admin(Tokens.withRolesIn(owner, "inbox-agent"), forbidden).body(Map.of("url", SUBSCRIBER, "eventTypes",
                List.of("*"))).when().post(SUBSCRIPTIONS).then().statusCode(403);
        assertTrue(onlyRow(forbidden).startsWith("event_subscription.create EventSubscription - refused 403 admin "),
                onlyRow(forbidden));
        // 400: an internal address, an unknown event type
        String internal = AuditRows.requestId();
        admin(owner, internal).body(Map.of("url", "http://10.1.2.3/hook", "eventTypes", List.of("*"))).when()
                .post(SUBSCRIPTIONS).then().statusCode(400);
        assertTrue(onlyRow(internal).startsWith("event_subscription.create EventSubscription - refused 400 admin "),
                onlyRow(internal));
        String unknownType = AuditRows.requestId();
        admin(owner, unknownType).body(Map.of("url", SUBSCRIBER, "eventTypes", List.of("user.hacked"))).when()
                .post(SUBSCRIPTIONS).then().statusCode(400);
        assertTrue(onlyRow(unknownType).startsWith("event_subscription.create EventSubscription - refused 400 "),
                onlyRow(unknownType));
        // 404: another organization's subscription, for each change
        String update = AuditRows.requestId();
        admin(owner, update).body(Map.of("paused", true)).when().patch(SUBSCRIPTIONS + "/" + foreign).then()
                .statusCode(404);
        assertTrue(onlyRow(update).startsWith("event_subscription.update EventSubscription " + foreign
                + " refused 404 admin "), onlyRow(update));
        String redrive = AuditRows.requestId();
        admin(owner, redrive).when().post(SUBSCRIPTIONS + "/" + foreign + "/dead-letters/redrive").then()
                .statusCode(404);
        assertTrue(onlyRow(redrive).startsWith("event_subscription.redrive EventSubscription " + foreign
                + " refused 404 admin "), onlyRow(redrive));
        String delete = AuditRows.requestId();
        admin(owner, delete).when().delete(SUBSCRIPTIONS + "/" + foreign).then().statusCode(404);
        assertTrue(onlyRow(delete).startsWith("event_subscription.delete EventSubscription " + foreign
                + " refused 404 admin "), onlyRow(delete));
        // 409: one subscription more than the organization may have
        for (int i = 0; i < 20; i++) {
            admin(owner, AuditRows.requestId()).body(Map.of("url", SUBSCRIBER + i, "eventTypes", List.of("*"))).when()
                    .post(SUBSCRIPTIONS).then().statusCode(201);
        }
        String tooMany = AuditRows.requestId();
        admin(owner, tooMany).body(Map.of("url", SUBSCRIBER, "eventTypes", List.of("*"), "signing", "hmac")).when()
                .post(SUBSCRIPTIONS).then().statusCode(409);
        assertTrue(onlyRow(tooMany).startsWith("event_subscription.create EventSubscription - refused 409 admin "),
                onlyRow(tooMany));
        assertTrue(onlyRow(tooMany).endsWith("[\"url\", \"eventTypes\", \"signing\"]"), onlyRow(tooMany));
    }

    @Test
    void aRequestRefusedBeforeTheServiceWritesNothing() {
        String request = AuditRows.requestId();
        given().header("X-Request-Id", request).contentType(SCIM_JSON).body(Map.of("schemas", List.of(USER),
                "userName", unique("anon") + "@example.com")).when().post("/scim/v2/Users").then().statusCode(401);
        assertEquals(List.of(), AuditRows.audit(request));
        assertEquals(List.of(), AuditRows.events(request));
        asOwner().get("/admin/v1/settings").then().statusCode(200);
    }
}
