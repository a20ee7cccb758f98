package io.rollcall.scim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * RFC 7644 §3.7 and §3.7.1: the order a Bulk request's operations run in. Operations wait for the operations whose
 * bulkId they refer to and otherwise keep the request's order; operations on a circular chain are found, with the
 * chain, and placed as if they referred to nothing.
 */
class BulkPlanTest {

    @Test
    void rfc7644_3_7_withoutReferencesTheRequestsOrderIsKept() {
        BulkPlan plan = BulkPlan.of(List.of(Set.of(), Set.of(), Set.of()));
        assertEquals(List.of(0, 1, 2), plan.order());
    }

    @Test
    void rfc7644_3_7_2_anOperationRunsAfterTheOperationsItRefersToAndNothingElseMoves() {
        // 0 refers to 2, 1 refers to nothing, 3 refers to 0
        BulkPlan plan = BulkPlan.of(List.of(Set.of(2), Set.of(), Set.of(), Set.of(0)));
        assertEquals(List.of(1, 2, 0, 3), plan.order());
        assertNull(plan.cycle(0));
    }

    @Test
    void rfc7644_3_7_2_aChainOfForwardReferencesRunsBackwards() {
        BulkPlan plan = BulkPlan.of(List.of(Set.of(1), Set.of(2), Set.of(3), Set.of()));
        assertEquals(List.of(3, 2, 1, 0), plan.order());
    }

    @Test
    void rfc7644_3_7_1_operationsOnACycleAreFoundWithTheirChainAndTheirDependentsComeAfterThem() {
        // 0 ↔ 2 is a cycle; 1 refers to 0 (after it, not on the cycle); 3 refers to itself; 4 is free
        BulkPlan plan = BulkPlan.of(List.of(Set.of(2), Set.of(0), Set.of(0), Set.of(3), Set.of()));
        assertEquals(List.of(0, 2, 0), plan.cycle(0));
        assertEquals(List.of(2, 0, 2), plan.cycle(2));
        assertEquals(List.of(3, 3), plan.cycle(3));
        assertNull(plan.cycle(1));
        assertNull(plan.cycle(4));
        List<Integer> order = plan.order();
        assertEquals(5, order.size());
        assertEquals(List.of(0, 1, 2, 3, 4), order, "cyclic operations take their place; 1 comes after 0");
    }

    @Test
    void rfc7644_3_7_1_aLongerCycleIsNamedInTheOrderOfItsReferences() {
        BulkPlan plan = BulkPlan.of(List.of(Set.of(1), Set.of(2), Set.of(0)));
        assertEquals(List.of(0, 1, 2, 0), plan.cycle(0));
        assertEquals(List.of(1, 2, 0, 1), plan.cycle(1));
    }

    @Test
    void rfc7644_3_7_4_aThousandChainedOperationsArePlannedWithoutRecursion() {
        List<Set<Integer>> dependencies = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            dependencies.add(i < 999 ? Set.of(i + 1) : Set.of());
        }
        dependencies.set(999, Set.of(0)); // one cycle through all of them
        BulkPlan plan = BulkPlan.of(dependencies);
        assertEquals(1001, plan.cycle(0).size());
        assertEquals(1000, plan.order().size());
    }
}
