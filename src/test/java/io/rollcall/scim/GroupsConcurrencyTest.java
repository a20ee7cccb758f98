package io.rollcall.scim;

import static io.rollcall.scim.GroupsFixtures.GROUPS;
import static io.rollcall.scim.GroupsFixtures.createGroup;
import static io.rollcall.scim.GroupsFixtures.createUser;
import static io.rollcall.scim.GroupsFixtures.fixture;
import static io.rollcall.scim.GroupsFixtures.getGroup;
import static io.rollcall.scim.GroupsFixtures.groupVersion;
import static io.rollcall.scim.GroupsFixtures.members;
import static io.rollcall.scim.GroupsFixtures.unique;
import static io.rollcall.scim.GroupsFixtures.values;
import static io.rollcall.scim.GroupsFixtures.version;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * No lost updates under concurrent writers to one group (RFC 7644 §3.5.2: each PATCH applies as a whole; §3.5.1: each
 * PUT replaces the whole member list). Every request is its own REST Assured {@code given()} on its own thread.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class GroupsConcurrencyTest {

    private static final int USERS = 60;
    private static final int CLIENTS = 8;
    /** Rounds over each client's slice: 6 rounds × (60 adds + 30 removes) = 540 PATCH requests. */
    private static final int ROUNDS = 6;
    private static final long TIMEOUT_SECONDS = 240;

    private static String token;

    private static synchronized String token() {
        if (token == null) {
            token = Tokens.scimClient();
        }
        return token;
    }

    /** One single-member PATCH a client sends. */
    private record Op(boolean add, String userId) {
    }

    /**
     * Each client owns a disjoint slice of the users (user i belongs to client i % 8). In every round it adds each user
     * of its slice in turn and, interleaved, removes every second one (add u1, add u2, remove u1, add u3, add u4,
     * remove u3, …; odd rounds remove the other half). The expected final set is what the client's own sequence
     * leaves, since no other client touches its users.
     */
    @Test
    void rfc7644_3_5_2_parallelSingleMemberPatchesToOneGroupLoseNoUpdate() throws Exception {
        List<String> users = createUsers("patcher");
        String groupId = createGroup(token(), unique("Contended"));
        long initialVersion = groupVersion(token(), groupId);

        List<List<Op>> plans = new ArrayList<>();
        Set<String> expected = new HashSet<>();
        int total = 0;
        for (int client = 0; client < CLIENTS; client++) {
            List<String> slice = new ArrayList<>();
            for (int i = client; i < USERS; i += CLIENTS) {
                slice.add(users.get(i));
            }
            List<Op> plan = plan(slice);
            plans.add(plan);
            expected.addAll(simulate(plan));
            total += plan.size();
        }
        assertTrue(total >= 500, "at least 500 PATCH requests, got " + total);
        assertTrue(!expected.isEmpty() && expected.size() < USERS, "the plan leaves some but not all users");

        ExecutorService executor = Executors.newFixedThreadPool(CLIENTS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<String>>> results = new ArrayList<>();
            for (List<Op> plan : plans) {
                results.add(executor.submit(() -> {
                    start.await();
                    List<String> failures = new ArrayList<>();
                    for (Op op : plan) {
                        Response response = patch(groupId, op);
                        if (response.statusCode() != 204 || response.header("ETag") == null) {
                            failures.add((op.add() ? "add " : "remove ") + op.userId() + " → " + response.statusCode()
                                    + " " + response.asString());
                        }
                    }
                    return failures;
                }));
            }
            start.countDown();
            List<String> failures = new ArrayList<>();
            for (Future<List<String>> result : results) {
                failures.addAll(result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            assertEquals(List.of(), failures, "every PATCH answers 204 with an ETag");
        } finally {
            shutdown(executor);
        }

        JsonPath group = getGroup(token(), groupId);
        List<String> memberIds = group.getList("members.value", String.class);
        Set<String> actual = memberIds == null ? Set.of() : new HashSet<>(memberIds);
        assertEquals(expected.size(), memberIds == null ? 0 : memberIds.size(), "no member listed twice");
        assertEquals(expected, actual, "the exact member set every client's own sequence leaves");
        assertEquals(initialVersion + total, version(group.getString("meta.version")),
                "the version counts every PATCH once");
    }

    /**
     * Eight PUTs of one group race, each with its own full member list and its own displayName: the group ends with
     * exactly one request's list and that same request's name, never a mix.
     */
    @Test
    void rfc7644_3_5_1_parallelPutsLeaveExactlyOneSubmittedMemberList() throws Exception {
        List<String> users = createUsers("putter");
        String base = unique("Raced");
        for (int round = 0; round < 3; round++) {
            String groupId = createGroup(token(), base + " initial " + round, users.subList(0, 20));
            long initialVersion = groupVersion(token(), groupId);

            List<List<String>> lists = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (int client = 0; client < CLIENTS; client++) {
                // overlapping windows of different sizes: each list differs from every other
                int from = client * 5;
                lists.add(List.copyOf(users.subList(from, Math.min(USERS, from + 10 + client))));
                names.add(base + " put " + round + "-" + client);
            }

            ExecutorService executor = Executors.newFixedThreadPool(CLIENTS);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Response>> results = new ArrayList<>();
                for (int client = 0; client < CLIENTS; client++) {
                    String body = fixture("put-okta.json", values("groupId", groupId, "displayName", names.get(client),
                            "members", members(lists.get(client))));
                    Callable<Response> put = () -> {
                        start.await();
                        return GroupsFixtures.scim(token()).body(body).when().put(GROUPS + "/" + groupId)
                                .then().extract().response();
                    };
                    results.add(executor.submit(put));
                }
                start.countDown();
                for (Future<Response> result : results) {
                    Response response = result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    assertEquals(200, response.statusCode(), response.asString());
                }
            } finally {
                shutdown(executor);
            }

            JsonPath group = getGroup(token(), groupId);
            List<String> memberIds = group.getList("members.value", String.class);
            Set<String> actual = memberIds == null ? Set.of() : new HashSet<>(memberIds);
            String finalName = group.getString("displayName");
            int winner = names.indexOf(finalName);
            assertTrue(winner >= 0, "the final displayName " + finalName + " is one of the submitted ones");
            assertEquals(Set.copyOf(lists.get(winner)), actual,
                    "the members are exactly the list of the PUT whose name won (" + finalName + ")");
            assertEquals(lists.get(winner).size(), memberIds.size(), "no member listed twice");
            assertEquals(initialVersion + CLIENTS, version(group.getString("meta.version")),
                    "the version counts every PUT once");
        }
    }

    /**
     * Two clients nest two groups in each other at the same time (A add B, B add A): one must be refused, or the groups
     * form the cycle the server refuses for sequential requests (RFC 7644 §3.5.2, invalidValue). Raced 30 times.
     */
    @Test
    void rfc7644_3_5_2_concurrentCrossNestingNeverFormsACycle() throws Exception {
        String base = unique("Cross");
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            List<String> failures = new ArrayList<>();
            for (int round = 0; round < 30; round++) {
                String a = createGroup(token(), base + " A" + round);
                String b = createGroup(token(), base + " B" + round);
                CountDownLatch start = new CountDownLatch(1);
                Future<Response> aTakesB = executor.submit(() -> {
                    start.await();
                    return patch(a, new Op(true, b));
                });
                Future<Response> bTakesA = executor.submit(() -> {
                    start.await();
                    return patch(b, new Op(true, a));
                });
                start.countDown();
                List<Integer> statuses = List.of(aTakesB.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).statusCode(),
                        bTakesA.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).statusCode());
                boolean cycle = GroupsFixtures.memberIds(token(), a).contains(b)
                        && GroupsFixtures.memberIds(token(), b).contains(a);
                if (cycle || !statuses.contains(204) || !statuses.contains(400)) {
                    failures.add("round " + round + ": statuses " + statuses + (cycle ? ", A and B contain each other" : ""));
                }
            }
            assertEquals(List.of(), failures, "exactly one of each pair is refused and no cycle forms");
        } finally {
            shutdown(executor);
        }
    }

    /**
     * A user deleted while a client adds it to a group: either the add comes first and the delete then removes the
     * membership, or the delete comes first and the add is refused; the group never keeps a member that no longer
     * exists (RFC 7644 §3.6: a deleted resource is no longer returned, and §3.3/§3.5.2: members are existing
     * resources). Raced 30 times.
     */
    @Test
    void rfc7644_3_6_aUserDeletedWhileBeingAddedIsNeverLeftAsAMember() throws Exception {
        String run = unique("vanishing");
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            List<String> failures = new ArrayList<>();
            for (int round = 0; round < 30; round++) {
                String groupId = createGroup(token(), run + " group " + round);
                String userId = createUser(token(), run + "-" + round + "@example.com");
                CountDownLatch start = new CountDownLatch(1);
                Future<Response> add = executor.submit(() -> {
                    start.await();
                    return patch(groupId, new Op(true, userId));
                });
                Future<Response> delete = executor.submit(() -> {
                    start.await();
                    return GroupsFixtures.scim(token()).when().delete(GroupsFixtures.USERS + "/" + userId)
                            .then().extract().response();
                });
                start.countDown();
                int addStatus = add.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).statusCode();
                int deleteStatus = delete.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).statusCode();
                Set<String> members = GroupsFixtures.memberIds(token(), groupId);
                if (deleteStatus != 204 || (addStatus != 204 && addStatus != 400) || members.contains(userId)) {
                    failures.add("round " + round + ": add " + addStatus + ", delete " + deleteStatus
                            + (members.contains(userId) ? ", the deleted user is still a member" : ""));
                }
            }
            assertEquals(List.of(), failures, "no deleted user is left as a member");
        } finally {
            shutdown(executor);
        }
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private static List<String> createUsers(String prefix) {
        String run = unique(prefix);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            ids.add(createUser(token(), run + "-" + i + "@example.com"));
        }
        return ids;
    }

    /** add s[0], add s[1], remove (one of the pair), add s[2], add s[3], remove …, for every round. */
    private static List<Op> plan(List<String> slice) {
        List<Op> ops = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            for (int j = 0; j < slice.size(); j++) {
                ops.add(new Op(true, slice.get(j)));
                if (j % 2 == 1) {
                    // even rounds remove the first of each pair, odd rounds the second
                    ops.add(new Op(false, slice.get(round % 2 == 0 ? j - 1 : j)));
                }
            }
        }
        return ops;
    }

    private static Set<String> simulate(List<Op> plan) {
        Set<String> members = new LinkedHashSet<>();
        for (Op op : plan) {
            if (op.add()) {
                members.add(op.userId());
            } else {
                members.remove(op.userId());
            }
        }
        return members;
    }

    private static Response patch(String groupId, Op op) {
        String body = op.add()
                ? fixture("patch-add-member-okta.json", values("memberId", op.userId(), "display", op.userId()))
                : fixture("patch-remove-member.json", values("memberId", op.userId()));
        return GroupsFixtures.scim(token()).body(body).when().patch(GROUPS + "/" + groupId).then().extract().response();
    }

    private static void shutdown(ExecutorService executor) throws InterruptedException {
        executor.shutdownNow();
        assertTrue(executor.awaitTermination(30, TimeUnit.SECONDS), "the clients stopped");
    }
}
