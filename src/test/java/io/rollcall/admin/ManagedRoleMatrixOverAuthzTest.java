package io.rollcall.admin;

import static io.rollcall.support.AdminFixtures.asOwner;
import static io.rollcall.support.AdminFixtures.bind;
import static io.rollcall.support.AdminFixtures.createUser;
import static io.rollcall.support.AdminFixtures.createWorkspace;
import static io.rollcall.support.AdminFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rollcall.support.AdminFixtures.User;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.RoleMatrix;
import io.rollcall.support.Tokens;

/**
 * The managed role matrix ({@code fixtures/access/managed-role-matrix.csv}) end to end: a user bound to a managed role
 * through the admin API is allowed and denied what the matrix says by {@code GET /admin/v1/authz/check}, which reads
 * the seeded roles and policies from the database, for every cell of each role's column; and a workspace-scoped binding gives only the role's workspace-level
 * permissions, only in that workspace (rule 7).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ManagedRoleMatrixOverAuthzTest {

    private static final String CHECK = "/admin/v1/authz/check";
    private static final RoleMatrix MATRIX = RoleMatrix.load();
    /** Bound only to access keys (rule 5); Visitor and Chat Widget are never bound (rule 4). */
    private static final List<String> NOT_BOUND_TO_USERS = List.of("scim-client", "visitor", "chat-widget");

    static Stream<String> rolesBindableToUsers() {
        return MATRIX.roles().stream().filter(role -> !NOT_BOUND_TO_USERS.contains(role));
    }

    /** Every cell of the role's column (each catalogue permission), asked of authz/check a few at a time. */
    @ParameterizedTest(name = "{0}: every cell of its column")
    @MethodSource("rolesBindableToUsers")
    void aUserBoundToAManagedRoleIsAllowedExactlyItsMatrixCells(String role) throws Exception {
        User user = createUser();
        bind("users", user.id(), role, null);
        Map<String, String> answered = decisions("user:" + user.id(), List.copyOf(MATRIX.permissions()));
        List<String> wrong = new ArrayList<>();
        for (String permission : MATRIX.permissions()) {
            String expected = MATRIX.grants(role, permission) ? "allow" : "deny";
            if (!expected.equals(answered.get(permission))) {
                wrong.add(permission + ": matrix " + expected + ", authz/check " + answered.get(permission));
            }
        }
        assertEquals(MATRIX.permissions().size(), answered.size(), "one decision per cell");
        assertEquals(List.of(), wrong, role + " over authz/check");
    }

    @Test
    void anAccessKeyHoldingScimClientIsAllowedExactlyItsMatrixColumn() {
        String keyId = Tokens.createKey(Map.of("name", unique("matrix-key"), "roles", List.of("scim-client"))).id();
        List<String> wrong = new ArrayList<>();
        for (String permission : MATRIX.permissions()) {
            String expected = MATRIX.grants("scim-client", permission) ? "allow" : "deny";
            String answered = decision("access_key:" + keyId, permission, null);
            if (!expected.equals(answered)) {
                wrong.add(permission + ": matrix " + expected + ", authz/check " + answered);
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void workspaceOwnerBoundToOneWorkspaceGetsEveryWorkspaceLevelCellThereAndNoOrganizationLevelOneAnywhere() {
        String here = createWorkspace(unique("matrix-here"));
        String elsewhere = createWorkspace(unique("matrix-elsewhere"));
        User user = createUser();
        bind("users", user.id(), "workspace-owner", here);
        List<String> wrong = new ArrayList<>();
        List<String> granted = new ArrayList<>();
        for (String permission : MATRIX.permissions()) {
            boolean workspaceLevel = MATRIX.level(permission).equals("workspace");
            boolean inColumn = MATRIX.grants("workspace-owner", permission);
            expect(wrong, "user:" + user.id(), permission, here, inColumn && workspaceLevel ? "allow" : "deny");
            if (inColumn) {
                granted.add(permission);
            }
        }
        // the column's organization-level cells, and a first and last workspace-level one: nowhere else
        List<String> workspaceCells = granted.stream().filter(p -> MATRIX.level(p).equals("workspace")).toList();
        List<String> elsewhereSample = List.of(workspaceCells.get(0), workspaceCells.get(workspaceCells.size() - 1));
        for (String permission : granted) {
            if (MATRIX.level(permission).equals("org") || elsewhereSample.contains(permission)) {
                expect(wrong, "user:" + user.id(), permission, null, "deny");
                expect(wrong, "user:" + user.id(), permission, elsewhere, "deny");
            }
        }
        assertEquals(List.of(), wrong, "rule 7: a workspace-scoped binding never grants organization-level permissions");
        // the matrix gives Workspace Owner organization-level cells: the scope is what takes them away here
        assertEquals("allow", decision("user:" + createOrgScopedWorkspaceOwner(), "users:read", null));
    }

    @Test
    void accountAdminBoundToAWorkspaceGrantsNothingBecauseAllItsCellsAreOrganizationLevel() {
        String here = createWorkspace(unique("matrix-admin"));
        User user = createUser();
        bind("users", user.id(), "account-admin", here);
        for (String permission : MATRIX.grantsOf("account-admin")) {
            assertEquals("org", MATRIX.level(permission), "the premise: " + permission + " is organization-level");
            assertEquals("deny", decision("user:" + user.id(), permission, here), permission + " in the workspace");
            assertEquals("deny", decision("user:" + user.id(), permission, null), permission + " on the organization");
        }
    }

    private static String createOrgScopedWorkspaceOwner() {
        User user = createUser();
        bind("users", user.id(), "workspace-owner", null);
        return user.id();
    }

    /**
     * authz/check's decision for each permission, on the organization, asked by a few requests at once (the cells are
     * independent reads, and one at a time the whole matrix would take long over HTTP).
     */
    private static Map<String, String> decisions(String principal, List<String> permissions) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Map<String, Future<String>> pending = new LinkedHashMap<>();
            for (String permission : permissions) {
                pending.put(permission, pool.submit(() -> decision(principal, permission, null)));
            }
            Map<String, String> decisions = new LinkedHashMap<>();
            for (Map.Entry<String, Future<String>> entry : pending.entrySet()) {
                decisions.put(entry.getKey(), entry.getValue().get(60, TimeUnit.SECONDS));
            }
            return decisions;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void expect(List<String> wrong, String principal, String permission, String workspace,
            String expected) {
        String answered = decision(principal, permission, workspace);
        if (!expected.equals(answered)) {
            wrong.add(permission + (workspace == null ? " on the organization" : " in " + workspace) + ": expected "
                    + expected + ", authz/check " + answered);
        }
    }

    private static String decision(String principal, String permission, String workspace) {
        var request = asOwner().queryParam("principal", principal).queryParam("permission", permission);
        if (workspace != null) {
            request.queryParam("workspace", workspace);
        }
        return request.when().get(CHECK).then().statusCode(200).extract().jsonPath().getString("decision");
    }
}
