package io.rollcall.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The managed role catalogue: the first product page's roles and the second page's predefined roles, each granting
 * what its description says and nothing the description rules out. Table-driven: role → a permission it must grant and
 * one it must not.
 */
class ManagedRolesTest {

    static Stream<Arguments> grantsAndRefusals() {
        return Stream.of(
                Arguments.of("account-admin", "security:manage", "billing:manage"),
                Arguments.of("account-admin", "access-keys:manage", "campaigns:launch"),
                Arguments.of("analyze-manager", "reports:manage", "users:manage"),
                Arguments.of("analyze-manager", "users:read", "channels:manage"),
                Arguments.of("campaign-manager", "campaigns:launch", "billing:read"),
                Arguments.of("campaign-manager", "journeys:publish", "channels:manage"),
                Arguments.of("finance-manager", "billing:manage", "campaigns:create"),
                Arguments.of("customer-profile-manager", "contacts:delete", "campaigns:launch"),
                Arguments.of("channel-setup-and-integrations", "numbers:purchase", "campaigns:launch"),
                Arguments.of("channel-setup-and-integrations", "integrations:manage", "users:manage"),
                Arguments.of("conversations-setup", "inbox-settings:manage", "inbox:reply"),
                Arguments.of("agent-for-conversations", "inbox:reply", "inbox:read-all"),
                Arguments.of("analytics-for-conversations", "reports:manage", "inbox:reply"),
                Arguments.of("supervisor-for-conversations", "inbox:read-all", "inbox-settings:manage"),
                Arguments.of("chatbot-designer", "bots:manage", "bots:publish"),
                Arguments.of("chatbot-publisher", "bots:publish", "bots:manage"),
                Arguments.of("chatbots-view-only", "bots:read", "bots:manage"),
                Arguments.of("knowledge-base-manager", "knowledge-base:manage", "bots:manage"),
                Arguments.of("knowledge-base-user", "knowledge-base:read", "knowledge-base:manage"),
                Arguments.of("campaign-approval-manager", "campaigns:launch", "campaigns:create"),
                Arguments.of("campaign-content-creator", "campaigns:create", "campaigns:launch"),
                Arguments.of("campaign-content-creator", "templates:manage", "messaging:send"),
                Arguments.of("content-manager", "templates:manage", "campaigns:launch"));
    }

    @ParameterizedTest(name = "{0} grants {1}, not {2}")
    @MethodSource("grantsAndRefusals")
    void predefinedRoleGrantsWhatItsDescriptionSays(String role, String granted, String refused) {
        List<Grant> grants = grantsOf(role);
        assertTrue(PolicyEvaluator.allows(grants, granted), role + " should grant " + granted);
        assertFalse(PolicyEvaluator.allows(grants, refused), role + " should not grant " + refused);
    }

    @Test
    void everyManagedRoleHasAUniqueValueAndNameAndGrantsExactlyItsPermissions() {
        Set<String> values = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (ManagedRole role : ManagedRoles.all()) {
            assertTrue(values.add(role.value()), "duplicate value " + role.value());
            assertTrue(names.add(role.name().toLowerCase()), "duplicate name " + role.name());
            assertEquals(role.permissions(), PolicyEvaluator.effectivePermissions(grantsOf(role.value()), null),
                    role.value() + ": its managed policies grant exactly its permissions");
        }
    }

    @Test
    void onlyVisitorAndChatWidgetAreInternal() {
        assertEquals(Set.of(ManagedRoles.VISITOR, ManagedRoles.CHAT_WIDGET), ManagedRoles.all().stream()
                .filter(ManagedRole::internal).map(ManagedRole::value).collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void onlyScimClientGrantsProvisioning() {
        for (ManagedRole role : ManagedRoles.all()) {
            assertEquals(role.value().equals(ManagedRoles.SCIM_CLIENT),
                    PolicyEvaluator.allows(grantsOf(role.value()), PermissionCatalogue.SCIM_PROVISION), role.value());
        }
    }

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
}
