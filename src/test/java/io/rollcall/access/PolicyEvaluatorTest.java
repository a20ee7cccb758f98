package io.rollcall.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The access model's evaluation rules, without a server: pattern matching, deny over allow, binding scope, statement
 * resources, and what each managed role ends up granting when built from its managed policies.
 */
class PolicyEvaluatorTest {

    private static final String WS_1 = "11111111-1111-1111-1111-111111111111";
    private static final String WS_2 = "22222222-2222-2222-2222-222222222222";

    // --- Statement patterns -----------------------------------------------------------------------------------------

    @ParameterizedTest(name = "pattern ''{0}'' vs ''{1}'' -> {2}")
    @CsvSource({
            "*,                  campaigns:launch,      true",
            "*,                  scim:provision,        true",
            "campaigns:*,        campaigns:launch,      true",
            "campaigns:*,        campaigns:read,        true",
            "campaigns:*,        contacts:read,         false",
            "campaigns:*,        campaignsx:read,       false",
            "inbox:*,            inbox:read-all,        true",
            "inbox:*,            inbox-settings:manage, false",
            "campaigns:launch,   campaigns:launch,      true",
            "campaigns:launch,   campaigns:read,        false",
            "campaigns:launch,   campaigns:launcher,    false",
            "campaigns:read,     campaigns:read-all,    false",
            "campaigns,          campaigns:read,        false",
    })
    void statementPatternMatchesStarResourceWildcardAndExactKeysOnly(String pattern, String key, boolean expected) {
        assertEquals(expected, Statement.matches(pattern, key));
        assertEquals(expected, Statement.allow(List.of(pattern)).matchesPermission(key));
    }

    @Test
    void statementMatchesWhenAnyOfItsPatternsMatches() {
        Statement statement = Statement.allow(List.of("contacts:read", "campaigns:*"));
        assertTrue(statement.matchesPermission("contacts:read"));
        assertTrue(statement.matchesPermission("campaigns:approve"));
        assertFalse(statement.matchesPermission("contacts:delete"));
    }

    // --- Allow, deny, nothing ---------------------------------------------------------------------------------------

    static Stream<Arguments> decisions() {
        Grant allowAll = orgGrant(allow("*"));
        Grant allowCampaigns = orgGrant(allow("campaigns:*"));
        Grant allowLaunch = orgGrant(allow("campaigns:launch"));
        Grant denyLaunch = orgGrant(deny("campaigns:launch"));
        Grant denyAll = orgGrant(deny("*"));
        return Stream.of(
                Arguments.of("no statement at all", List.of(), "campaigns:launch", false),
                Arguments.of("a statement about something else", List.of(allowLaunch), "campaigns:read", false),
                Arguments.of("exact allow", List.of(allowLaunch), "campaigns:launch", true),
                Arguments.of("resource wildcard allow", List.of(allowCampaigns), "campaigns:approve", true),
                Arguments.of("star allow", List.of(allowAll), "billing:manage", true),
                Arguments.of("exact deny beats star allow", List.of(allowAll, denyLaunch), "campaigns:launch", false),
                Arguments.of("exact deny beats star allow, in either order", List.of(denyLaunch, allowAll),
                        "campaigns:launch", false),
                Arguments.of("exact deny beats exact allow", List.of(allowLaunch, denyLaunch), "campaigns:launch", false),
                Arguments.of("deny on one verb leaves the others", List.of(allowCampaigns, denyLaunch), "campaigns:read",
                        true),
                Arguments.of("star deny beats everything", List.of(allowAll, allowLaunch, denyAll), "campaigns:launch",
                        false),
                Arguments.of("a deny alone is still a deny", List.of(denyLaunch), "campaigns:launch", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decisions")
    void evaluatorAllowsOnlyWhenSomeStatementAllowsAndNoneDenies(String why, List<Grant> grants, String permission,
            boolean expected) {
        PolicyEvaluator.Decision decision = PolicyEvaluator.evaluate(grants, permission, null);
        assertEquals(expected, decision.allowed(), why);
        assertEquals(expected, PolicyEvaluator.allows(grants, permission), why);
    }

    @Test
    void deniedDecisionNamesTheDenyingGrantsAndAllowedDecisionTheAllowingOnes() {
        Grant allowAll = orgGrant(allow("*"));
        Grant denyLaunch = orgGrant(deny("campaigns:launch"));
        PolicyEvaluator.Decision denied = PolicyEvaluator.evaluate(List.of(allowAll, denyLaunch), "campaigns:launch", null);
        assertEquals(List.of(denyLaunch), denied.because());
        PolicyEvaluator.Decision allowed = PolicyEvaluator.evaluate(List.of(allowAll, denyLaunch), "campaigns:read", null);
        assertEquals(List.of(allowAll), allowed.because());
        assertTrue(PolicyEvaluator.evaluate(List.of(), "campaigns:read", null).because().isEmpty());
    }

    @Test
    void evaluatingAPermissionOutsideTheCatalogueIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class,
                () -> PolicyEvaluator.evaluate(List.of(orgGrant(allow("*"))), "campaigns:explode", null));
    }

    // --- Binding scope and statement resources ----------------------------------------------------------------------

    static Stream<Arguments> workspaceScopedGrant() {
        return Stream.of(
                Arguments.of("workspace permission in its own workspace", "campaigns:launch", WS_1, true),
                Arguments.of("workspace permission in another workspace", "campaigns:launch", WS_2, false),
                Arguments.of("workspace permission asked at organization level", "campaigns:launch", null, false),
                Arguments.of("org permission asked in its own workspace", "users:manage", WS_1, false),
                Arguments.of("org permission asked at organization level", "users:manage", null, false),
                Arguments.of("org permission workspaces:create in its own workspace", "workspaces:create", WS_1, false),
                Arguments.of("org permission billing:read at organization level", "billing:read", null, false));
    }

    @ParameterizedTest(name = "{0} -> {3}")
    @MethodSource("workspaceScopedGrant")
    void workspaceScopedStarGrantReachesOnlyWorkspacePermissionsInItsOwnWorkspace(String why, String permission,
            String target, boolean expected) {
        Grant scoped = new Grant("custom", WS_1, "Everything", allow("*"));
        assertEquals(expected, PolicyEvaluator.evaluate(List.of(scoped), permission, target).allowed(), why);
    }

    @Test
    void workspaceScopedGrantNeverAppearsInOrganizationLevelEffectivePermissions() {
        Grant scoped = new Grant("custom", WS_1, "Everything", allow("*"));
        assertTrue(PolicyEvaluator.effectivePermissions(List.of(scoped), null).isEmpty());
        Set<String> inWorkspace = PolicyEvaluator.effectivePermissions(List.of(scoped), WS_1);
        assertEquals(workspaceLevel(), inWorkspace);
        assertTrue(PolicyEvaluator.effectivePermissions(List.of(scoped), WS_2).isEmpty());
    }

    static Stream<Arguments> statementResources() {
        return Stream.of(
                Arguments.of("listed workspace", "campaigns:launch", WS_1, true),
                Arguments.of("unlisted workspace", "campaigns:launch", WS_2, false),
                Arguments.of("the organization itself", "campaigns:launch", null, false),
                Arguments.of("an org permission at organization level", "users:read", null, false));
    }

    @ParameterizedTest(name = "{0} -> {3}")
    @MethodSource("statementResources")
    void statementResourcesRestrictAnOrganizationBindingToTheListedWorkspaces(String why, String permission,
            String target, boolean expected) {
        Grant grant = orgGrant(new Statement(Statement.Effect.ALLOW, List.of("*"), List.of(WS_1)));
        assertEquals(expected, PolicyEvaluator.evaluate(List.of(grant), permission, target).allowed(), why);
    }

    @Test
    void denyRestrictedToOneWorkspaceLeavesTheOthersAllowed() {
        Grant allowCampaigns = orgGrant(allow("campaigns:*"));
        Grant denyInWs1 = orgGrant(new Statement(Statement.Effect.DENY, List.of("campaigns:launch"), List.of(WS_1)));
        List<Grant> grants = List.of(allowCampaigns, denyInWs1);
        assertFalse(PolicyEvaluator.evaluate(grants, "campaigns:launch", WS_1).allowed());
        assertTrue(PolicyEvaluator.evaluate(grants, "campaigns:launch", WS_2).allowed());
        assertTrue(PolicyEvaluator.evaluate(grants, "campaigns:read", WS_1).allowed());
    }

    @Test
    void starResourceStatementReachesTheOrganizationAndEveryWorkspace() {
        Grant grant = orgGrant(allow("campaigns:read"));
        assertTrue(PolicyEvaluator.evaluate(List.of(grant), "campaigns:read", null).allowed());
        assertTrue(PolicyEvaluator.evaluate(List.of(grant), "campaigns:read", WS_1).allowed());
        assertTrue(PolicyEvaluator.evaluate(List.of(grant), "campaigns:read", WS_2).allowed());
    }

    // --- Managed roles, built from their managed policies -----------------------------------------------------------

    @Test
    void organizationOwnerHasEveryCataloguePermissionExceptScimProvision() {
        Set<String> expected = new LinkedHashSet<>(allPermissions());
        expected.remove(PermissionCatalogue.SCIM_PROVISION);
        assertEquals(expected, effective(ManagedRoles.ORGANIZATION_OWNER));
        assertFalse(effective(ManagedRoles.ORGANIZATION_OWNER).contains(PermissionCatalogue.SCIM_PROVISION));
    }

    @Test
    void scimClientHasExactlyScimProvisionRolesReadAndGroupsRead() {
        assertEquals(Set.of("scim:provision", "roles:read", "groups:read"), effective(ManagedRoles.SCIM_CLIENT));
    }

    @ParameterizedTest(name = "Workspace Owner lacks {0}")
    @CsvSource({ "users:manage", "billing:read", "billing:manage", "security:read", "security:manage",
            "workspaces:create", "workspaces:delete", "scim:provision", "access-keys:manage", "roles:manage" })
    void workspaceOwnerLacksOrganizationAdministration(String permission) {
        assertFalse(effective(ManagedRoles.WORKSPACE_OWNER).contains(permission));
    }

    @ParameterizedTest(name = "Workspace Owner has {0}")
    @CsvSource({ "campaigns:launch", "workspaces:read", "workspaces:manage", "channels:manage", "inbox-settings:manage",
            "users:read", "groups:read" })
    void workspaceOwnerRunsWorkspaces(String permission) {
        assertTrue(effective(ManagedRoles.WORKSPACE_OWNER).contains(permission));
    }

    @Test
    void workspaceOwnerHasNoBillingOrSecurityPermissionAtAll() {
        Set<String> effective = effective(ManagedRoles.WORKSPACE_OWNER);
        assertTrue(effective.stream().noneMatch(p -> p.startsWith("billing:") || p.startsWith("security:")),
                effective.toString());
    }

    @Test
    void inboxAgentRepliesButCannotChangeInboxSettings() {
        Set<String> effective = effective(ManagedRoles.INBOX_AGENT);
        assertTrue(effective.contains("inbox:reply"));
        assertFalse(effective.contains("inbox-settings:manage"));
        assertFalse(effective.contains("inbox:read-all"));
        assertEquals(Set.of("inbox:read", "inbox:reply", "inbox:assign", "inbox:close", "contacts:read",
                "contacts:update", "templates:read", "channels:read"), effective);
    }

    @Test
    void everyManagedRoleGrantsExactlyItsDeclaredPermissionsThroughItsPolicies() {
        for (ManagedRole role : ManagedRoles.all()) {
            assertEquals(role.permissions(), effective(role.value()), role.value());
        }
    }

    @Test
    void noManagedRoleButScimClientGrantsScimProvision() {
        for (ManagedRole role : ManagedRoles.all()) {
            assertEquals(role.value().equals(ManagedRoles.SCIM_CLIENT),
                    effective(role.value()).contains(PermissionCatalogue.SCIM_PROVISION), role.value());
        }
    }

    // --- ManagedPolicies.covering -----------------------------------------------------------------------------------

    static Stream<Arguments> coverings() {
        return Stream.of(
                Arguments.of(Set.of("campaigns:read", "campaigns:create", "campaigns:approve", "campaigns:launch"),
                        List.of("CampaignsFullAccess")),
                Arguments.of(Set.of("campaigns:read", "campaigns:launch"), List.of("CampaignsRead", "CampaignsLaunch")),
                Arguments.of(Set.of("campaigns:read"), List.of("CampaignsRead")),
                Arguments.of(Set.of("scim:provision"), List.of("ScimFullAccess")),
                Arguments.of(Set.of("inbox:read", "inbox:reply", "inbox:assign", "inbox:close"),
                        List.of("InboxRead", "InboxReply", "InboxAssign", "InboxClose")),
                Arguments.of(Set.of("inbox:read", "inbox:read-all", "inbox:reply", "inbox:assign", "inbox:close"),
                        List.of("InboxFullAccess")),
                Arguments.of(Set.of("knowledge-base:read"), List.of("KnowledgeBaseRead")),
                Arguments.of(Set.of("access-keys:read", "access-keys:manage"), List.of("AccessKeysFullAccess")),
                Arguments.of(Set.of(), List.of()));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("coverings")
    void coveringUsesFullAccessOnlyWhenEveryVerbOfTheResourceIsWanted(Set<String> wanted, List<String> expected) {
        List<String> covering = ManagedPolicies.covering(wanted);
        assertEquals(Set.copyOf(expected), Set.copyOf(covering));
        assertEquals(expected.size(), covering.size(), "no policy twice: " + covering);
    }

    @Test
    void coveringPoliciesGrantExactlyTheWantedPermissions() {
        Set<String> wanted = Set.of("campaigns:read", "contacts:read", "contacts:update", "contacts:delete",
                "contacts:import", "inbox:reply", "users:read");
        List<Grant> grants = new ArrayList<>();
        for (String name : ManagedPolicies.covering(wanted)) {
            ManagedPolicies.find(name).orElseThrow().statements().forEach(s -> grants.add(new Grant("r", null, name, s)));
        }
        assertEquals(wanted, PolicyEvaluator.effectivePermissions(grants, null));
        assertTrue(ManagedPolicies.covering(wanted).contains("ContactsFullAccess"));
        assertFalse(ManagedPolicies.covering(wanted).contains("CampaignsFullAccess"));
    }

    @Test
    void everyCoveringNameIsAManagedPolicy() {
        for (ManagedRole role : ManagedRoles.all()) {
            for (String name : role.policyNames()) {
                assertTrue(ManagedPolicies.find(name).isPresent(), role.value() + " -> " + name);
            }
        }
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    /** The grants a principal bound to the managed role at organization scope receives. */
    private static List<Grant> grantsOf(String roleValue) {
        ManagedRole role = ManagedRoles.find(roleValue).orElseThrow();
        List<Grant> grants = new ArrayList<>();
        for (String name : role.policyNames()) {
            for (Statement statement : ManagedPolicies.find(name).orElseThrow().statements()) {
                grants.add(new Grant(role.value(), null, name, statement));
            }
        }
        return grants;
    }

    private static Set<String> effective(String roleValue) {
        return PolicyEvaluator.effectivePermissions(grantsOf(roleValue), null);
    }

    private static Set<String> allPermissions() {
        return PermissionCatalogue.all().stream().map(Permission::key).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static Set<String> workspaceLevel() {
        return PermissionCatalogue.all().stream().filter(p -> p.level() == Permission.Level.WORKSPACE)
                .map(Permission::key).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    // --- Rule 5: scim:provision only through SCIM Client bound organization-wide ---------------------------------------

    @Test
    void scimProvisionIsReachedOnlyThroughScimClientBoundOrganizationWide() {
        Statement everything = allow("*");
        assertFalse(PolicyEvaluator.allows(List.of(new Grant("custom", null, "Everything", everything)),
                PermissionCatalogue.SCIM_PROVISION), "a custom role allowing * must not open /scim/v2");
        assertFalse(PolicyEvaluator.allows(List.of(new Grant(ManagedRoles.SCIM_CLIENT, WS_1, "ScimProvision",
                allow(PermissionCatalogue.SCIM_PROVISION))), PermissionCatalogue.SCIM_PROVISION));
        assertTrue(PolicyEvaluator.allows(List.of(new Grant(ManagedRoles.SCIM_CLIENT, null, "ScimProvision",
                allow(PermissionCatalogue.SCIM_PROVISION))), PermissionCatalogue.SCIM_PROVISION));
    }

    // --- Rule 6: what a grant would give beyond what is held, at its scope -----------------------------------------

    @Test
    void notHeldNamesWhatIsGrantedBeyondTheHoldersPermissions() {
        List<Grant> held = List.of(orgGrant(allow("campaigns:read", "reports:*")));
        assertEquals(List.of(), RolePermissions.notHeld(held, List.of(orgGrant(allow("reports:read")))));
        assertEquals(List.of("campaigns:launch"), RolePermissions.notHeld(held,
                List.of(orgGrant(allow("campaigns:read", "campaigns:launch")))));
    }

    @Test
    void notHeldChecksTheScopeAStatementGrantsAt() {
        List<Grant> heldInWs1 = List.of(new Grant("custom", WS_1, "Launch", allow("campaigns:launch")));
        Grant launchInWs1 = orgGrant(new Statement(Statement.Effect.ALLOW, List.of("campaigns:launch"), List.of(WS_1)));
        Grant launchInWs2 = orgGrant(new Statement(Statement.Effect.ALLOW, List.of("campaigns:launch"), List.of(WS_2)));
        assertEquals(List.of(), RolePermissions.notHeld(heldInWs1, List.of(launchInWs1)));
        assertEquals(List.of("campaigns:launch@" + WS_2), RolePermissions.notHeld(heldInWs1, List.of(launchInWs2)));
        assertEquals(List.of("campaigns:launch"), RolePermissions.notHeld(heldInWs1,
                List.of(orgGrant(allow("campaigns:launch")))));
    }

    @Test
    void notHeldSeesADenyOfTheHolderInOneWorkspace() {
        List<Grant> held = List.of(orgGrant(allow("campaigns:*")), orgGrant(new Statement(Statement.Effect.DENY,
                List.of("campaigns:launch"), List.of(WS_2))));
        assertEquals(List.of("campaigns:launch@" + WS_2), RolePermissions.notHeld(held,
                List.of(orgGrant(allow("campaigns:launch")))));
        // a granted deny only narrows what is granted
        assertEquals(List.of(), RolePermissions.notHeld(held, List.of(orgGrant(allow("campaigns:launch")),
                orgGrant(new Statement(Statement.Effect.DENY, List.of("campaigns:launch"), List.of(WS_2))))));
    }

    @Test
    void liftedNamesWhatADenyHeldBackAndNoLongerDoes() {
        Grant denyEverywhere = orgGrant(deny("reports:read"));
        Grant denyInWs1 = orgGrant(new Statement(Statement.Effect.DENY, List.of("campaigns:launch"), List.of(WS_1)));
        assertEquals(List.of("reports:read", "campaigns:launch@" + WS_1),
                RolePermissions.lifted(List.of(denyEverywhere, denyInWs1), List.of()));
        assertEquals(List.of(), RolePermissions.lifted(List.of(denyInWs1), List.of(orgGrant(deny("campaigns:*")))),
                "a wider deny still holds it back");
        Grant scopedBinding = new Grant("guard", WS_2, "Guard", deny("campaigns:launch", "billing:read"));
        assertEquals(List.of("campaigns:launch@" + WS_2), RolePermissions.lifted(List.of(scopedBinding), List.of()),
                "a workspace-scoped binding denies workspace-level permissions in its workspace only");
    }

    private static Statement allow(String... permissions) {
        return Statement.allow(List.of(permissions));
    }

    private static Statement deny(String... permissions) {
        return new Statement(Statement.Effect.DENY, List.of(permissions), List.of(Statement.ANY));
    }

    private static Grant orgGrant(Statement statement) {
        return new Grant("custom", null, "Custom", statement);
    }
}
