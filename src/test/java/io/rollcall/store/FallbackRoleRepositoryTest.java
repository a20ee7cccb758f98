package io.rollcall.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rollcall.support.InTransaction;
import io.rollcall.support.PostgresResource;

/**
 * The fallback rule's statements against PostgreSQL (ACCESS-MODEL rule 8): a user that nothing else grants a role holds
 * the organization's fallback role (source {@code system}); it is taken away once another grant exists and given back
 * when the last one goes, whether the grant is direct or comes through a group, nested or not.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class FallbackRoleRepositoryTest {

    @Inject
    FallbackRoleRepository fallbacks;

    @Test
    void aUserWithoutAnyRoleIsGivenTheFallbackRoleAndOneWithAnotherRoleLosesIt() throws Exception {
        try (AccessRuleRows rows = new AccessRuleRows("fallback")) {
            UUID fallback = rows.role("fallback");
            UUID editor = rows.role("editor");
            UUID ana = rows.user("ana", true);
            UUID bo = rows.user("bo", true);
            rows.bind("user", bo, fallback, "system");
            rows.bind("user", bo, editor, "local");
            assertEquals(List.of("user:bo editor local", "user:bo fallback system"), rows.bindings());

            long changed = InTransaction.run(() -> fallbacks.reconcileFallback(rows.org, List.of(ana, bo)));

            assertEquals(2, changed);
            assertEquals(List.of("user:ana fallback system", "user:bo editor local"), rows.bindings());
        }
    }

    @Test
    void theOneUserPathGivesAndTakesTheFallbackRoleAsTheListPathDoes() throws Exception {
        try (AccessRuleRows rows = new AccessRuleRows("fallback")) {
            rows.role("fallback");
            UUID editor = rows.role("editor");
            UUID ana = rows.user("ana", true);

            assertEquals(1L, InTransaction.run(() -> fallbacks.reconcileFallback(rows.org, Set.of(ana))));
            assertEquals(List.of("user:ana fallback system"), rows.bindings());

            rows.bind("user", ana, editor, "scim");
            assertEquals(1L, InTransaction.run(() -> fallbacks.reconcileFallback(rows.org, Set.of(ana))));
            assertEquals(List.of("user:ana editor scim"), rows.bindings());
            assertEquals(0L, InTransaction.run(() -> fallbacks.reconcileFallback(rows.org, Set.of(ana))),
                    "nothing to do the second time");
        }
    }

    @Test
    void aRoleThroughANestedGroupTakesTheFallbackRoleAwayAndLosingItGivesItBack() throws Exception {
        try (AccessRuleRows rows = new AccessRuleRows("fallback")) {
            UUID fallback = rows.role("fallback");
            UUID editor = rows.role("editor");
            UUID ana = rows.user("ana", true);
            UUID inner = rows.group("Inner", ana);
            UUID outer = rows.group("Outer", inner);
            rows.bind("user", ana, fallback, "system");
            rows.bind("group", outer, editor, "scim");

            assertEquals(1L, InTransaction.run(() -> fallbacks.reconcileFallbackUnderGroup(rows.org, outer)));
            assertEquals(List.of("group:Outer editor scim"), rows.bindings(), "ana holds editor through Inner ⊂ Outer");

            rows.unbind("group", outer, editor);
            assertEquals(1L, InTransaction.run(() -> fallbacks.reconcileFallbackUnderGroup(rows.org, outer)));
            assertEquals(List.of("user:ana fallback system"), rows.bindings());
        }
    }

    @Test
    void usersRememberedBeforeTheyLeaveARoleGrantingGroupGetTheFallbackRoleAfterwards() throws Exception {
        try (AccessRuleRows rows = new AccessRuleRows("fallback")) {
            rows.role("fallback");
            UUID editor = rows.role("editor");
            UUID ana = rows.user("ana", true);
            UUID bo = rows.user("bo", true);
            UUID sales = rows.group("Sales", ana, bo);
            rows.bind("group", sales, editor, "scim");
            assertEquals(List.of("group:Sales editor scim"), rows.bindings());

            long changed = InTransaction.run(() -> fallbacks.rememberUsersUnderGroup(rows.org, sales)
                    .chain(() -> {
                        try {
                            rows.removeMember(sales, ana); // another connection: committed before the reconcile reads
                        } catch (java.sql.SQLException e) {
                            throw new IllegalStateException(e);
                        }
                        return fallbacks.reconcileFallbackUnderGroupAndRemembered(rows.org, sales);
                    }));

            assertEquals(1, changed, "ana left the group and so its role; bo is still in it");
            assertEquals(List.of("group:Sales editor scim", "user:ana fallback system"), rows.bindings());
        }
    }

    @Test
    void usersWithoutRoleNamesActiveUsersNothingGrantsARole() throws Exception {
        try (AccessRuleRows rows = new AccessRuleRows("fallback")) {
            UUID editor = rows.role("editor");
            UUID ana = rows.user("ana", true);
            UUID bo = rows.user("bo", true);
            UUID cy = rows.user("cy", false);
            UUID dee = rows.user("dee", true);
            rows.bind("user", bo, editor, "local");
            rows.bind("group", rows.group("Sales", dee), editor, "scim");

            assertEquals(List.of("ana"),
                    InTransaction.run(() -> fallbacks.usersWithoutRole(rows.org, List.of(ana, bo, cy, dee))),
                    "bo holds editor, dee holds it through Sales, cy is inactive");
        }
    }

    @Test
    void movingTheFallbackRoleRebindsItsSystemHoldersAndDropsDuplicates() throws Exception {
        try (AccessRuleRows rows = new AccessRuleRows("old")) {
            UUID old = rows.role("old");
            UUID next = rows.role("next");
            UUID ana = rows.user("ana", true);
            UUID bo = rows.user("bo", true);
            rows.bind("user", ana, old, "system");
            rows.bind("user", bo, old, "system");
            rows.bind("user", bo, next, "local");
            rows.bind("user", rows.user("cy", true), old, "local");

            int moved = InTransaction.run(() -> fallbacks.moveFallback(rows.org, old, next));

            assertEquals(2, moved);
            assertEquals(List.of("user:ana next system", "user:bo next local", "user:cy old local"), rows.bindings());
        }
    }
}
