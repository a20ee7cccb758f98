package io.rollcall.admin;

import static io.rollcall.support.AdminFixtures.as;
import static io.rollcall.support.AdminFixtures.asOwner;
import static io.rollcall.support.AdminFixtures.bind;
import static io.rollcall.support.AdminFixtures.createGroup;
import static io.rollcall.support.AdminFixtures.createUser;
import static io.rollcall.support.AdminFixtures.createWorkspace;
import static io.rollcall.support.AdminFixtures.unique;
import static io.rollcall.support.ScimErrors.assertProblem;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.rollcall.support.AccessRows;
import io.rollcall.support.AdminFixtures.User;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * {@code GET /admin/v1/authz/check}: a principal's direct and group bindings, expanded to statements and evaluated (any
 * deny wins, else any allow, else deny; a workspace-scoped binding never grants an organization-level permission), with
 * the bindings and statements behind the answer.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class AuthzEndpointTest {

    private static final String CHECK = "/admin/v1/authz/check";

    // --- Allowed ----------------------------------------------------------------------------------------------------

    @Test
    void allowsThroughADirectBindingAndNamesTheStatement() {
        User user = createUser();
        String binding = bind("users", user.id(), "campaign-manager", null);
        check("user:" + user.id(), "campaigns:launch", null).statusCode(200)
                .body("decision", equalTo("allow"))
                .body("principal", equalTo(Map.of("kind", "user", "id", user.id())))
                .body("permission", equalTo("campaigns:launch"))
                .body("workspace", nullValue())
                .body("explanation.bindings.size()", equalTo(1))
                .body("explanation.bindings[0].id", equalTo(binding))
                .body("explanation.bindings[0].principal.kind", equalTo("user"))
                .body("explanation.bindings[0].role.value", equalTo("campaign-manager"))
                .body("explanation.bindings[0].appliesHere", equalTo(true))
                .body("explanation.statements.size()", equalTo(1))
                .body("explanation.statements[0].bindingId", equalTo(binding))
                .body("explanation.statements[0].role", equalTo("campaign-manager"))
                .body("explanation.statements[0].policy", equalTo("CampaignsFullAccess"))
                .body("explanation.statements[0].effect", equalTo("allow"))
                .body("explanation.statements[0].permissions", equalTo(List.of("campaigns:*")))
                .body("reason", containsString("Allowed"));
    }

    @Test
    void allowsThroughAGroupTheUserIsIn() {
        User user = createUser();
        String group = createGroup(unique("launchers"), user.id());
        String binding = bind("groups", group, "campaign-approval-manager", null);
        check("user:" + user.id(), "campaigns:approve", null).statusCode(200)
                .body("decision", equalTo("allow"))
                .body("explanation.bindings.find { it.id == '" + binding + "' }.principal",
                        equalTo(Map.of("kind", "group", "id", group)))
                .body("explanation.statements.bindingId", everyItem(equalTo(binding)))
                .body("explanation.statements.role", hasItem("campaign-approval-manager"));
    }

    @Test
    void allowsThroughANestedGroup() {
        User user = createUser();
        String inner = createGroup(unique("inner"), user.id());
        String outer = createGroup(unique("outer"), inner);
        bind("groups", outer, "finance-manager", null);
        check("user:" + user.id(), "billing:manage", null).statusCode(200)
                .body("decision", equalTo("allow"))
                .body("explanation.bindings.principal.id", hasItem(outer));
    }

    @Test
    void checksAGroupOrAnAccessKeyToo() {
        String group = createGroup(unique("checked"));
        bind("groups", group, "inbox-agent", null);
        check("group:" + group, "inbox:reply", null).statusCode(200).body("decision", equalTo("allow"))
                .body("principal.kind", equalTo("group"));

        String keyId = (String) Tokens.claimsOf(Tokens.scimClient()).get("sub");
        check("access_key:" + keyId, "scim:provision", null).statusCode(200).body("decision", equalTo("allow"))
                .body("explanation.statements[0].role", equalTo("scim-client"));
        check("access_key:" + keyId, "users:manage", null).statusCode(200).body("decision", equalTo("deny"));
    }

    @Test
    void aGroupGetsTheBindingsOfTheGroupsItIsNestedInAndSaysThroughWhich() {
        String inner = createGroup(unique("nested-inner"));
        String middle = createGroup(unique("nested-middle"), inner);
        String outer = createGroup(unique("nested-outer"), middle);
        String own = bind("groups", inner, "inbox-agent", null);
        String inherited = bind("groups", outer, "finance-manager", null);

        check("group:" + inner, "billing:manage", null).statusCode(200)
                .body("decision", equalTo("allow"))
                .body("principal", equalTo(Map.of("kind", "group", "id", inner)))
                .body("explanation.bindings.size()", equalTo(2))
                .body("explanation.bindings.find { it.id == '" + inherited + "' }.principal",
                        equalTo(Map.of("kind", "group", "id", outer)))
                .body("explanation.bindings.find { it.id == '" + own + "' }.principal",
                        equalTo(Map.of("kind", "group", "id", inner)))
                .body("explanation.statements.bindingId", everyItem(equalTo(inherited)))
                .body("explanation.statements.role", hasItem("finance-manager"));
        check("group:" + middle, "billing:manage", null).statusCode(200).body("decision", equalTo("allow"));
        check("group:" + inner, "inbox:reply", null).statusCode(200).body("decision", equalTo("allow"))
                .body("explanation.statements.bindingId", everyItem(equalTo(own)));
    }

    @Test
    void aGroupDoesNotGetTheBindingsOfTheGroupsItContains() {
        String inner = createGroup(unique("contained"));
        String outer = createGroup(unique("container"), inner);
        bind("groups", inner, "finance-manager", null);
        check("group:" + outer, "billing:manage", null).statusCode(200)
                .body("decision", equalTo("deny"))
                .body("explanation.bindings", empty())
                .body("reason", containsString("holds no role"));
    }

    @Test
    void aWorkspaceBindingOfAContainingGroupAppliesInItsWorkspaceOnly() {
        String workspace = unique("Inherited");
        String workspaceId = createWorkspace(workspace);
        String inner = createGroup(unique("ws-inner"));
        String outer = createGroup(unique("ws-outer"), inner);
        bind("groups", outer, "campaign-manager", workspace);
        check("group:" + inner, "campaigns:launch", workspace).statusCode(200)
                .body("decision", equalTo("allow"))
                .body("explanation.bindings[0].principal.id", equalTo(outer))
                .body("explanation.bindings[0].workspace.id", equalTo(workspaceId))
                .body("explanation.bindings[0].appliesHere", equalTo(true));
        check("group:" + inner, "campaigns:launch", null).statusCode(200).body("decision", equalTo("deny"))
                .body("explanation.bindings[0].appliesHere", equalTo(false));
    }

    // --- Denied -----------------------------------------------------------------------------------------------------

    @Test
    void deniesWhenNoStatementAllowsAndSaysSo() {
        User user = createUser();
        bind("users", user.id(), "inbox-agent", null);
        check("user:" + user.id(), "billing:read", null).statusCode(200)
                .body("decision", equalTo("deny"))
                .body("explanation.bindings.size()", equalTo(1))
                .body("explanation.statements", empty())
                .body("reason", containsString("no statement"));
    }

    @Test
    void aDenyStatementWinsOverAnAllow() {
        String policy = asOwner().body(Map.of("name", unique("No launching"), "statements", List.of(
                Map.of("effect", "deny", "permissions", List.of("campaigns:launch")))))
                .when().post("/admin/v1/policies").then().statusCode(201).extract().jsonPath().getString("id");
        String role = unique("no-launch");
        AccessRows.customRole(role, policy);
        User user = createUser();
        bind("users", user.id(), "campaign-manager", null);
        bind("users", user.id(), role, null);

        check("user:" + user.id(), "campaigns:launch", null).statusCode(200)
                .body("decision", equalTo("deny"))
                .body("explanation.statements.size()", equalTo(1))
                .body("explanation.statements[0].effect", equalTo("deny"))
                .body("explanation.statements[0].role", equalTo(role))
                .body("reason", containsString("deny wins"));
        check("user:" + user.id(), "campaigns:create", null).statusCode(200).body("decision", equalTo("allow"));
    }

    @Test
    void aWorkspaceBindingAllowsWorkspacePermissionsInThatWorkspaceOnly() {
        String here = unique("Here");
        String hereId = createWorkspace(here);
        String elsewhere = createWorkspace(unique("Elsewhere"));
        User user = createUser();
        bind("users", user.id(), "campaign-manager", here);

        check("user:" + user.id(), "campaigns:launch", here).statusCode(200)
                .body("decision", equalTo("allow"))
                .body("workspace", equalTo(Map.of("id", hereId, "name", here)))
                .body("explanation.bindings[0].workspace.id", equalTo(hereId))
                .body("explanation.bindings[0].appliesHere", equalTo(true));
        check("user:" + user.id(), "campaigns:launch", elsewhere).statusCode(200)
                .body("decision", equalTo("deny"))
                .body("explanation.bindings[0].appliesHere", equalTo(false))
                .body("reason", containsString("another workspace"));
        check("user:" + user.id(), "campaigns:launch", null).statusCode(200).body("decision", equalTo("deny"));
    }

    @Test
    void aWorkspaceBindingNeverGrantsAnOrganizationLevelPermission() {
        String workspace = unique("Scoped");
        createWorkspace(workspace);
        User user = createUser();
        bind("users", user.id(), "analyze-manager", workspace);

        check("user:" + user.id(), "reports:read", workspace).statusCode(200).body("decision", equalTo("allow"));
        check("user:" + user.id(), "users:read", workspace).statusCode(200)
                .body("decision", equalTo("deny"))
                .body("explanation.bindings[0].appliesHere", equalTo(false))
                .body("explanation.statements", empty())
                .body("reason", containsString("organization-level"));
    }

    @Test
    void anOrganizationBindingCoversEveryWorkspace() {
        String workspace = unique("Anywhere");
        createWorkspace(workspace);
        User user = createUser();
        bind("users", user.id(), "campaign-manager", null);
        check("user:" + user.id(), "campaigns:launch", workspace).statusCode(200).body("decision", equalTo("allow"));
    }

    @Test
    void aPrincipalWithoutRolesIsDenied() {
        String group = createGroup(unique("empty-handed"));
        check("group:" + group, "inbox:read", null).statusCode(200)
                .body("decision", equalTo("deny"))
                .body("explanation.bindings", empty())
                .body("reason", containsString("holds no role"));
    }

    // --- Refusals ---------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "permission {0} -> 400")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "campaigns:lunch | not a permission of the catalogue",
            "campaigns:*     | not a pattern",
            "\"\"            | 'permission' is required",
    })
    void refusesAPermissionOutsideTheCatalogue(String permission, String detail) {
        User user = createUser();
        assertProblem(check("user:" + user.id(), permission, null), 400, detail);
    }

    @ParameterizedTest(name = "principal {0} -> 400")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "robot:2819c223-7f76-453a-919d-413861904646 | <kind>:<id>",
            "2819c223-7f76-453a-919d-413861904646       | <kind>:<id>",
            "\"\"                                       | 'principal' is missing",
    })
    void refusesAMalformedPrincipal(String principal, String detail) {
        assertProblem(check(principal.isEmpty() ? null : principal, "inbox:read", null), 400, detail);
    }

    @Test
    void refusesAnUnknownWorkspaceWith400() {
        User user = createUser();
        assertProblem(check("user:" + user.id(), "inbox:read", "Atlantis"), 400, "'Atlantis'");
    }

    @Test
    void returns404ForAnUnknownPrincipal() {
        String id = UUID.randomUUID().toString();
        assertProblem(check("user:" + id, "inbox:read", null), 404, id);
        assertProblem(check("group:" + id, "inbox:read", null), 404, id);
        assertProblem(check("access_key:" + id, "inbox:read", null), 404, id);
        assertProblem(check("user:someone", "inbox:read", null), 404, "someone");
        User user = createUser();
        assertProblem(check("group:" + user.id(), "inbox:read", null), 404, user.id());
    }

    @Test
    void returns404ForARevokedAccessKey() {
        Tokens.CreatedKey key = Tokens.createKey(Map.of("name", unique("revoked"), "roles", List.of("inbox-agent")));
        asOwner().when().delete("/admin/v1/access-keys/" + key.id()).then().statusCode(204);
        assertProblem(check("access_key:" + key.id(), "inbox:read", null), 404, key.id());
    }

    @Test
    void aCallerWithoutRolesReadMayNotCheckWith403() {
        User user = createUser();
        assertProblem(as(Tokens.withRoles("analyze-manager")).queryParam("principal", "user:" + user.id())
                .queryParam("permission", "inbox:read").when().get(CHECK).then(), 403, "roles:read");
    }

    @Test
    void aReaderMayCheck() {
        User user = createUser();
        as(Tokens.scimClient()).queryParam("principal", "user:" + user.id()).queryParam("permission", "knowledge-base:read")
                .when().get(CHECK).then().statusCode(200)
                .body("decision", equalTo("allow"))
                .body("explanation.bindings[0].source", equalTo("system"))
                .body("explanation.statements[0].policy", notNullValue());
    }

    private static ValidatableResponse check(String principal, String permission, String workspace) {
        var request = asOwner();
        if (principal != null) {
            request.queryParam("principal", principal);
        }
        request.queryParam("permission", permission);
        if (workspace != null) {
            request.queryParam("workspace", workspace);
        }
        return request.when().get(CHECK).then();
    }
}
