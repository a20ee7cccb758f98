package io.rollcall.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.rollcall.support.RoleMatrix;

/**
 * Every managed role against every catalogue permission, cell by cell, as the hand-written matrix
 * ({@code fixtures/access/managed-role-matrix.csv}, from the seeds' role descriptions) says, evaluated by
 * {@link PolicyEvaluator} over the role's managed policies. The matrix must name exactly the catalogue's permissions
 * and the managed roles: a permission or role added without deciding who holds it fails here.
 */
class ManagedRoleMatrixTest {

    private static final RoleMatrix MATRIX = RoleMatrix.load();
    private static final String WORKSPACE = "8f7d1c2e-0000-4000-8000-00000000a001";
    private static final String OTHER_WORKSPACE = "8f7d1c2e-0000-4000-8000-00000000a002";

    static Stream<String> roles() {
        return MATRIX.roles().stream();
    }

    @Test
    void theMatrixHasARowForExactlyTheCataloguesPermissionsAtTheirLevels() {
        Set<String> catalogue = PermissionCatalogue.all().stream().map(Permission::key)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(catalogue, new TreeSet<>(MATRIX.permissions()),
                "one matrix row per catalogue permission (add a row, decide each role's cell)");
        for (Permission permission : PermissionCatalogue.all()) {
            assertEquals(permission.level().wire(), MATRIX.level(permission.key()),
                    permission.key() + ": the matrix and the catalogue agree on its level (rule 7 depends on it)");
        }
    }

    @Test
    void theMatrixHasAColumnForExactlyTheManagedRoles() {
        Set<String> managed = ManagedRoles.all().stream().map(ManagedRole::value)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(managed, new TreeSet<>(MATRIX.roles()),
                "one matrix column per managed role (add a column, decide each permission's cell)");
    }

    @ParameterizedTest(name = "{0} grants exactly its matrix column")
    @MethodSource("roles")
    void aManagedRoleBoundToTheOrganizationGrantsExactlyItsMatrixColumn(String role) {
        List<Grant> grants = grantsOf(role, null);
        List<String> wrong = new ArrayList<>();
        for (String permission : MATRIX.permissions()) {
            boolean expected = MATRIX.grants(role, permission);
            boolean onOrganization = PolicyEvaluator.evaluate(grants, permission, null).allowed();
            boolean inAWorkspace = PolicyEvaluator.evaluate(grants, permission, WORKSPACE).allowed();
            if (onOrganization != expected || inAWorkspace != expected) {
                wrong.add(permission + ": matrix " + (expected ? "Y" : "blank") + ", evaluator " + onOrganization
                        + " on the organization, " + inAWorkspace + " in a workspace");
            }
        }
        if (!wrong.isEmpty()) {
            fail(role + " disagrees with the matrix in " + wrong.size() + " cell(s):\n  " + String.join("\n  ", wrong));
        }
    }

    /** Rule 7: the same role bound to one workspace keeps only its workspace-level cells, and only there. */
    @ParameterizedTest(name = "{0} bound to a workspace grants only its workspace-level cells, there")
    @MethodSource("roles")
    void aManagedRoleBoundToAWorkspaceNeverGrantsOrganizationLevelPermissions(String role) {
        List<Grant> grants = grantsOf(role, WORKSPACE);
        Set<String> expectedInWorkspace = MATRIX.grantsOf(role).stream()
                .filter(permission -> MATRIX.level(permission).equals("workspace"))
                .collect(Collectors.toCollection(LinkedHashSet::new));
        assertEquals(expectedInWorkspace, PolicyEvaluator.effectivePermissions(grants, WORKSPACE),
                role + " in its workspace: its workspace-level cells");
        assertEquals(Set.of(), PolicyEvaluator.effectivePermissions(grants, null),
                role + " on the organization: nothing (rule 7)");
        assertEquals(Set.of(), PolicyEvaluator.effectivePermissions(grants, OTHER_WORKSPACE),
                role + " in another workspace: nothing");
    }

    @Test
    void everyRoleButOrganizationOwnerIsNarrowerThanOrganizationOwnerAndOnlyScimClientProvisions() {
        Set<String> owner = MATRIX.grantsOf(ManagedRoles.ORGANIZATION_OWNER);
        for (String role : MATRIX.roles()) {
            Set<String> beyondOwner = new TreeSet<>(MATRIX.grantsOf(role));
            beyondOwner.removeAll(owner);
            assertEquals(role.equals(ManagedRoles.SCIM_CLIENT) ? Set.of(PermissionCatalogue.SCIM_PROVISION) : Set.of(),
                    beyondOwner, role + ": what it grants beyond Organization Owner");
            assertTrue(!MATRIX.grantsOf(role).isEmpty(), role + " grants something");
        }
    }

    /** The role's managed policies as the grants of one binding, at organization scope or in one workspace. */
    private static List<Grant> grantsOf(String roleValue, String workspaceId) {
        ManagedRole role = ManagedRoles.find(roleValue).orElseThrow(() -> new AssertionError("no managed role " + roleValue));
        List<Grant> grants = new ArrayList<>();
        for (String name : role.policyNames()) {
            for (Statement statement : ManagedPolicies.find(name).orElseThrow().statements()) {
                grants.add(new Grant(role.value(), workspaceId, name, statement));
            }
        }
        return grants;
    }
}
