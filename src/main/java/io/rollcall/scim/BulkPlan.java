package io.rollcall.scim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The order a Bulk request's operations run in (RFC 7644 §3.7: a service provider may reorder them as long as the
 * client's intent and the result are preserved). An operation runs after the operations whose {@code bulkId} it refers
 * to; otherwise operations keep the request's order: at every step the earliest operation whose references are resolved
 * runs next, so a group listing a user created later in the request waits for that user, and nothing else moves.
 * <p>
 * Operations on a circular chain of references (RFC 7644 §3.7.1: a group whose members include a group that contains
 * it, both created in the request) can never have their ids resolved; they are marked {@link #cycle(int) cyclic} and
 * take their place in the order as if they referred to nothing (they fail there with 409). Operations that refer to
 * one of them come after it.
 */
final class BulkPlan {

    private final List<Integer> order;
    private final Map<Integer, List<Integer>> cycles;

    private BulkPlan(List<Integer> order, Map<Integer, List<Integer>> cycles) {
        this.order = order;
        this.cycles = cycles;
    }

    /**
     * @param dependencies for each operation (by index), the operations it refers to
     */
    static BulkPlan of(List<Set<Integer>> dependencies) {
        int size = dependencies.size();
        Map<Integer, List<Integer>> cycles = cycles(dependencies);
        int[] waitingFor = new int[size];
        List<List<Integer>> dependents = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            dependents.add(new ArrayList<>());
        }
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < size; i++) {
            if (!cycles.containsKey(i)) {
                for (int dependency : dependencies.get(i)) {
                    dependents.get(dependency).add(i);
                    waitingFor[i]++;
                }
            }
            if (waitingFor[i] == 0) {
                ready.add(i);
            }
        }
        List<Integer> order = new ArrayList<>(size);
        while (!ready.isEmpty()) {
            int next = ready.poll();
            order.add(next);
            for (int dependent : dependents.get(next)) {
                if (--waitingFor[dependent] == 0) {
                    ready.add(dependent);
                }
            }
        }
        return new BulkPlan(Collections.unmodifiableList(order), cycles);
    }

    /** Every operation once, in the order to run them. */
    List<Integer> order() {
        return order;
    }

    /**
     * The circular chain of references the operation is on, starting and ending with it ({@code [a, b, a]}: a refers to
     * b, b to a), or null when it is on none.
     */
    List<Integer> cycle(int operation) {
        return cycles.get(operation);
    }

    /**
     * For each operation that can reach itself through its references, one such chain. Only operations that no order
     * can resolve are searched (those Kahn's algorithm cannot place), so a request without cycles costs one pass.
     */
    private static Map<Integer, List<Integer>> cycles(List<Set<Integer>> dependencies) {
        int size = dependencies.size();
        int[] unresolved = new int[size];
        List<List<Integer>> dependents = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            dependents.add(new ArrayList<>());
        }
        Deque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < size; i++) {
            for (int dependency : dependencies.get(i)) {
                dependents.get(dependency).add(i);
            }
            unresolved[i] = dependencies.get(i).size();
            if (unresolved[i] == 0) {
                ready.add(i);
            }
        }
        boolean[] placed = new boolean[size];
        while (!ready.isEmpty()) {
            int next = ready.poll();
            placed[next] = true;
            for (int dependent : dependents.get(next)) {
                if (--unresolved[dependent] == 0) {
                    ready.add(dependent);
                }
            }
        }
        Map<Integer, List<Integer>> cycles = new HashMap<>();
        for (int start = 0; start < size; start++) {
            if (!placed[start]) {
                List<Integer> chain = pathBack(start, dependencies, placed);
                if (chain != null) {
                    cycles.put(start, chain);
                }
            }
        }
        return cycles;
    }

    /** A shortest chain of references from {@code start} back to itself among unplaced operations, or null. */
    private static List<Integer> pathBack(int start, List<Set<Integer>> dependencies, boolean[] placed) {
        Map<Integer, Integer> reachedFrom = new HashMap<>();
        Deque<Integer> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            int at = queue.poll();
            for (int next : dependencies.get(at)) {
                if (placed[next]) {
                    continue;
                }
                if (next == start) {
                    List<Integer> chain = new ArrayList<>();
                    chain.add(start);
                    for (int back = at; back != start; back = reachedFrom.get(back)) {
                        chain.add(1, back);
                    }
                    chain.add(start);
                    return chain;
                }
                if (!reachedFrom.containsKey(next)) {
                    reachedFrom.put(next, at);
                    queue.add(next);
                }
            }
        }
        return null;
    }
}
