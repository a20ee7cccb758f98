package io.rollcall.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.UUID;

import org.junit.jupiter.api.Test;

/** Request labels come from the method and the path's shape: route templates, never the ids or names in the path. */
class RouteLabelsTest {

    private static final String ID = UUID.randomUUID().toString();

    @Test
    void scimOperationsAndResourceTypes() {
        assertLabels("scim", "list", "User", "/scim/v2/Users", "GET", "/scim/v2/Users");
        assertLabels("scim", "create", "User", "/scim/v2/Users", "POST", "/scim/v2/Users");
        assertLabels("scim", "get", "User", "/scim/v2/Users/{id}", "GET", "/scim/v2/Users/" + ID);
        assertLabels("scim", "replace", "Group", "/scim/v2/Groups/{id}", "PUT", "/scim/v2/Groups/" + ID);
        assertLabels("scim", "patch", "Group", "/scim/v2/Groups/{id}", "PATCH", "/scim/v2/Groups/" + ID);
        assertLabels("scim", "delete", "Role", "/scim/v2/Roles/{id}", "DELETE", "/scim/v2/Roles/" + ID);
        assertLabels("scim", "search", "Group", "/scim/v2/Groups/.search", "POST", "/scim/v2/Groups/.search");
        assertLabels("scim", "search", "all", "/scim/v2/.search", "POST", "/scim/v2/.search");
        assertLabels("scim", "get", "ServiceProviderConfig", "/scim/v2/ServiceProviderConfig", "GET",
                "/scim/v2/ServiceProviderConfig");
        assertLabels("scim", "list", "ResourceType", "/scim/v2/ResourceTypes", "GET", "/scim/v2/ResourceTypes");
        assertLabels("scim", "get", "ResourceType", "/scim/v2/ResourceTypes/{name}", "GET", "/scim/v2/ResourceTypes/User");
        assertLabels("scim", "get", "Schema", "/scim/v2/Schemas/{urn}", "GET",
                "/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User");
        assertLabels("scim", "bulk", "Bulk", "/scim/v2/Bulk", "POST", "/scim/v2/Bulk");
    }

    @Test
    void unknownPathsAndMethodsShareOneLabel() {
        assertLabels("scim", "list", "unknown", "/scim/v2/{unknown}", "GET", "/scim/v2/Nothing/" + ID + "/deeper");
        assertLabels("scim", "list", "unknown", "/scim/v2/{unknown}", "GET", "/scim/v2/users/" + ID);
        assertLabels("scim", "other", "User", "/scim/v2/Users/{id}", "POST", "/scim/v2/Users/" + ID);
        assertLabels("scim", "other", "User", "/scim/v2/Users", "TRACE", "/scim/v2/Users");
        assertLabels("admin", "list", "unknown", "/admin/v1/{unknown}", "GET", "/admin/v1/" + ID);
        assertLabels("admin", "list", "unknown", "/admin/v1/{unknown}", "GET", "/admin/v1/roles/a/b/c/d");
    }

    @Test
    void adminRoutes() {
        assertLabels("admin", "list", "access-keys", "/admin/v1/access-keys", "GET", "/admin/v1/access-keys");
        assertLabels("admin", "delete", "access-keys", "/admin/v1/access-keys/{id}", "DELETE",
                "/admin/v1/access-keys/" + ID);
        assertLabels("admin", "create", "access-keys/secrets", "/admin/v1/access-keys/{id}/secrets", "POST",
                "/admin/v1/access-keys/" + ID + "/secrets");
        assertLabels("admin", "delete", "access-keys/secrets", "/admin/v1/access-keys/{id}/secrets/{id}", "DELETE",
                "/admin/v1/access-keys/" + ID + "/secrets/" + ID);
        assertLabels("admin", "create", "roles/duplicate", "/admin/v1/roles/{id}/duplicate", "POST",
                "/admin/v1/roles/" + ID + "/duplicate");
        assertLabels("admin", "patch", "event-subscriptions", "/admin/v1/event-subscriptions/{id}", "PATCH",
                "/admin/v1/event-subscriptions/" + ID);
        assertLabels("admin", "list", "event-subscriptions/dead-letters",
                "/admin/v1/event-subscriptions/{id}/dead-letters", "GET",
                "/admin/v1/event-subscriptions/" + ID + "/dead-letters");
        assertLabels("admin", "redrive", "event-subscriptions/dead-letters/redrive",
                "/admin/v1/event-subscriptions/{id}/dead-letters/redrive", "POST",
                "/admin/v1/event-subscriptions/" + ID + "/dead-letters/redrive");
        assertLabels("admin", "list", "users/roles", "/admin/v1/users/{id}/roles", "GET",
                "/admin/v1/users/" + ID + "/roles");
        assertLabels("admin", "get", "settings", "/admin/v1/settings", "GET", "/admin/v1/settings");
        assertLabels("admin", "patch", "settings", "/admin/v1/settings", "PATCH", "/admin/v1/settings");
        assertLabels("admin", "get", "me", "/admin/v1/me", "GET", "/admin/v1/me");
        assertLabels("admin", "check", "authz/check", "/admin/v1/authz/check", "POST", "/admin/v1/authz/check");
        assertLabels("admin", "create", "organizations", "/admin/v1/organizations", "POST", "/admin/v1/organizations");
        assertLabels("oauth", "create", "token", "/oauth/token", "POST", "/oauth/token");
    }

    @Test
    void otherPathsAreNotLabelled() {
        assertNull(RouteLabels.of("GET", "/q/health/ready"));
        assertNull(RouteLabels.of("GET", "/console/"));
        assertNull(RouteLabels.of("GET", "/.well-known/jwks.json"));
        assertNull(RouteLabels.of("GET", "/scim/v20/Users"));
    }

    @Test
    void keyNamesBeyondTheLimitAreOther() {
        LabelLimit limit = new LabelLimit(2);
        assertEquals("okta", limit.label("okta"));
        assertEquals("entra", limit.label("entra"));
        assertEquals("other", limit.label("third"));
        assertEquals("okta", limit.label("okta"), "a value kept stays kept");
        assertEquals("other", new LabelLimit(0).label("okta"));
    }

    private static void assertLabels(String api, String operation, String type, String route, String method,
            String path) {
        assertEquals(new RouteLabels(api, operation, type, route), RouteLabels.of(method, path), method + " " + path);
    }
}
