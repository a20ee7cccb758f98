package io.rollcall.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rollcall.support.InTransaction;
import io.rollcall.support.PostgresResource;

/**
 * The owner rule's statements against PostgreSQL (ACCESS-MODEL rule 3): an organization has an active owner when an
 * active user holds Organization Owner at organization scope, directly or through a group nested at any depth; a
 * workspace-scoped binding or an inactive user does not count.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class OwnerRuleRepositoryTest {

    @Inject
    OwnerRuleRepository owners;

    @Test
    void aDirectActiveOwnerCountsAndStopsCountingWhenDeactivated() throws Exception {
        try (AccessRuleRows rows = new AccessRuleRows("member")) {
            UUID owner = rows.role("organization-owner");
            UUID ana = rows.user("ana", true);
            rows.bind("user", ana, owner, "local");
            assertEquals(List.of("user:ana organization-owner local"), rows.bindings());

            assertTrue(InTransaction.run(() -> owners.hasActiveOwner(rows.org, owner)));
            assertTrue(InTransaction.run(() -> owners.isActiveOwner(rows.org, owner, ana)));

            rows.deactivate(ana);
            assertFalse(InTransaction.run(() -> owners.hasActiveOwner(rows.org, owner)));
            assertFalse(InTransaction.run(() -> owners.isActiveOwner(rows.org, owner, ana)));
        }
    }

    @Test
    void ownershipReachesTheUsersOfGroupsNestedInAnOwnerGroupAndGoesWithTheNesting() throws Exception {
        try (AccessRuleRows rows = new AccessRuleRows("member")) {
            UUID owner = rows.role("organization-owner");
            UUID ana = rows.user("ana", true);
            UUID inner = rows.group("Inner", ana);
            UUID outer = rows.group("Outer", inner);
            rows.bind("group", outer, owner, "scim");

            assertTrue(InTransaction.run(() -> owners.hasActiveOwner(rows.org, owner)));
            assertTrue(InTransaction.run(() -> owners.isActiveOwner(rows.org, owner, ana)), "ana ∈ Inner ⊂ Outer");

            rows.removeMember(outer, inner);
            assertFalse(InTransaction.run(() -> owners.hasActiveOwner(rows.org, owner)));
            assertFalse(InTransaction.run(() -> owners.isActiveOwner(rows.org, owner, ana)));
            assertEquals(List.of("group:Outer organization-owner scim"), rows.bindings(), "no binding changed");
        }
    }

    @Test
    void nestingCyclesEndTheWalk() throws Exception {
        try (AccessRuleRows rows = new AccessRuleRows("member")) {
            UUID owner = rows.role("organization-owner");
            UUID ana = rows.user("ana", true);
            UUID first = rows.group("First", ana);
            UUID second = rows.group("Second", first);
            rows.addMember(first, second);
            rows.bind("group", second, owner, "scim");

            assertTrue(InTransaction.run(() -> owners.isActiveOwner(rows.org, owner, ana)));
            assertTrue(InTransaction.run(() -> owners.hasActiveOwner(rows.org, owner)));
        }
    }

    @Test
    void anotherUsersOwnershipOrAnOtherOrganizationsDoesNotCount() throws Exception {
        try (AccessRuleRows rows = new AccessRuleRows("member"); AccessRuleRows other = new AccessRuleRows("member")) {
            UUID owner = rows.role("organization-owner");
            UUID ana = rows.user("ana", true);
            UUID bo = rows.user("bo", true);
            rows.bind("user", bo, owner, "local");
            UUID otherOwner = other.role("organization-owner");
            other.bind("user", other.user("ana", true), otherOwner, "local");

            assertFalse(InTransaction.run(() -> owners.isActiveOwner(rows.org, owner, ana)));
            assertFalse(InTransaction.run(() -> owners.hasActiveOwner(other.org, owner)),
                    "the first organization's owner role, asked of the second");
        }
    }
}
