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
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

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

    /**
     * Rounds of eight membership PATCHes sent at once to one group (adds and removes of different users): every round
     * applies all eight, and the group's ETag after it is exactly eight above the one before (each change counted once,
     * none lost, so the round's eight states each have a version of their own). Each PATCH answers an ETag of that round
     * that its own change could have: it counts what had committed when it ran plus itself, so concurrent PATCHes may
     * answer the same, already stale, ETag (see {@code GroupVersions}), but never claim one state together: the j-th
     * highest of a round's answers is at most the round's end version minus j − 1 (RFC 7644 §3.14).
     */
    @Test
    void rfc7644_3_14_parallelMembershipPatchesAllApplyNoTwoClaimOneStateAndEveryRoundEndsOnANewEtag() throws Exception {
        membershipRounds(false);
    }

    /**
     * The same rounds while a reader GETs the group throughout: every state a read shows carries the version of exactly
     * the changes it shows (its round's start version plus one per applied PATCH), so no version names two states
     * (RFC 7644 §3.14, RFC 9110 §8.8.3).
     */
    @Test
    void rfc7644_3_14_aGroupReadWhileMembershipPatchesApplyShowsTheStateItsEtagNames() throws Exception {
        membershipRounds(true);
    }

    private void membershipRounds(boolean readWhilePatching) throws Exception {
        int rounds = 6;
        List<String> users = createUsers("rounds").subList(0, rounds * CLIENTS);
        String groupId = createGroup(token(), unique("Rounds"));
        long previous = groupVersion(token(), groupId);
        Set<String> expected = new HashSet<>();
        List<Long> roundVersions = new ArrayList<>(List.of(previous));
        int statesRead = 0;
        ExecutorService executor = Executors.newFixedThreadPool(CLIENTS + 1);
        try {
            for (int round = 0; round < rounds; round++) {
                List<Op> ops = new ArrayList<>();
                for (int client = 0; client < CLIENTS; client++) {
                    // odd clients remove what the even client before them added in the round before
                    boolean add = round == 0 || client % 2 == 0;
                    ops.add(new Op(add, users.get(add ? round * CLIENTS + client : (round - 1) * CLIENTS + client - 1)));
                }
                Set<String> before = Set.copyOf(expected);
                CountDownLatch start = new CountDownLatch(1);
                AtomicBoolean patching = new AtomicBoolean(true);
                Future<List<JsonPath>> reads = !readWhilePatching ? null : executor.submit(() -> {
                    start.await();
                    List<JsonPath> seen = new ArrayList<>();
                    while (patching.get()) {
                        seen.add(getGroup(token(), groupId));
                    }
                    return seen;
                });
                List<Future<Response>> results = new ArrayList<>();
                for (Op op : ops) {
                    results.add(executor.submit(() -> {
                        start.await();
                        return patch(groupId, op);
                    }));
                }
                start.countDown();
                List<Long> answered = new ArrayList<>();
                try {
                    for (Future<Response> result : results) {
                        Response response = result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                        assertEquals(204, response.statusCode(), response.asString());
                        answered.add(version(response.header("ETag")));
                    }
                } finally {
                    patching.set(false);
                }
                for (Op op : ops) {
                    if (op.add()) {
                        expected.add(op.userId());
                    } else {
                        expected.remove(op.userId());
                    }
                }
                JsonPath group = getGroup(token(), groupId);
                long now = version(group.getString("meta.version"));
                assertEquals(expected, memberSet(group), "round " + round);
                assertEquals(previous + CLIENTS, now, "round " + round + " counts each of its PATCHes once");

                long floor = previous;
                assertTrue(answered.stream().allMatch(v -> v > floor && v <= now),
                        "round " + round + ": answered ETags " + answered + " lie in (" + floor + ", " + now + "]");
                List<Long> highestFirst = answered.stream().sorted(Comparator.reverseOrder()).toList();
                for (int j = 0; j < highestFirst.size(); j++) {
                    assertTrue(highestFirst.get(j) <= now - j, "round " + round + ": answered ETags " + answered
                            + ": " + (j + 1) + " PATCHes claim the last " + (now - highestFirst.get(j) + 1) + " states");
                }

                if (readWhilePatching) {
                    // each PATCH touches a user of its own, so the round's changes a read shows are the users in which
                    // it differs from the round's start
                    Map<Long, Set<String>> states = new HashMap<>();
                    List<JsonPath> seen = reads.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    seen.add(group);
                    for (JsonPath read : seen) {
                        Set<String> shown = memberSet(read);
                        long version = version(read.getString("meta.version"));
                        Set<String> changed = new HashSet<>(shown);
                        changed.addAll(before);
                        changed.removeAll(intersection(shown, before));
                        assertEquals(previous + changed.size(), version, "round " + round + ": a read showing "
                                + changed.size() + " of the round's changes has the version of that many");
                        Set<String> other = states.putIfAbsent(version, shown);
                        assertTrue(other == null || other.equals(shown), "round " + round + ": version " + version
                                + " names two states");
                    }
                    statesRead += seen.size();
                }
                roundVersions.add(now);
                previous = now;
            }
        } finally {
            shutdown(executor);
        }
        assertEquals(roundVersions.size(), new HashSet<>(roundVersions).size(), "every round ends on a new ETag");
        if (readWhilePatching) {
            System.out.println("membership rounds: " + statesRead + " states read while patching");
        }
    }

    private static Set<String> memberSet(JsonPath group) {
        List<String> ids = group.getList("members.value", String.class);
        return ids == null ? Set.of() : Set.copyOf(ids);
    }

    private static Set<String> intersection(Set<String> a, Set<String> b) {
        Set<String> both = new HashSet<>(a);
        both.retainAll(b);
        return both;
    }

    /**
     * Two clients PATCH the members of one group with the same If-Match at the same time: one applies, the other is
     * refused with 412 (its precondition no longer holds once the first committed). Raced 20 times.
     */
    @Test
    void rfc7644_3_14_membershipPatchesRacingWithTheSameIfMatchApplyOnce() throws Exception {
        String run = unique("if-match-race");
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            List<String> failures = new ArrayList<>();
            for (int round = 0; round < 20; round++) {
                String groupId = createGroup(token(), run + " group " + round);
                String etag = GroupsFixtures.getGroup(token(), groupId).getString("meta.version");
                List<String> candidates = List.of(createUser(token(), run + "-a" + round + "@example.com"),
                        createUser(token(), run + "-b" + round + "@example.com"));
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Response>> results = new ArrayList<>();
                for (String candidate : candidates) {
                    results.add(executor.submit(() -> {
                        start.await();
                        return GroupsFixtures.scim(token()).header("If-Match", etag)
                                .body(fixture("patch-add-member-entra.json", values("memberId", candidate)))
                                .when().patch(GROUPS + "/" + groupId).then().extract().response();
                    }));
                }
                start.countDown();
                List<Integer> statuses = new ArrayList<>();
                for (Future<Response> result : results) {
                    statuses.add(result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).statusCode());
                }
                Set<String> members = GroupsFixtures.memberIds(token(), groupId);
                int winner = statuses.indexOf(204);
                if (!statuses.contains(412) || winner < 0 || !members.equals(Set.of(candidates.get(winner)))
                        || groupVersion(token(), groupId) != version(etag) + 1) {
                    failures.add("round " + round + ": statuses " + statuses + ", members " + members);
                }
            }
            assertEquals(List.of(), failures, "exactly one of each pair applies");
        } finally {
            shutdown(executor);
        }
    }

    /**
     * A PUT with If-Match races a membership PATCH without one that removes a member the PUT keeps: either the PUT
     * applies first and the removal after it (the member is gone), or the removal commits first and the PUT's
     * precondition fails (412); never a PUT that applied on top of a version it was not sent for. Raced 30 times.
     */
    @Test
    void rfc7644_3_14_aPutWithIfMatchNeverAppliesOverARacingMembershipChange() throws Exception {
        String run = unique("put-if-match-race");
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            List<String> failures = new ArrayList<>();
            for (int round = 0; round < 30; round++) {
                String kept = createUser(token(), run + "-kept-" + round + "@example.com");
                String added = createUser(token(), run + "-added-" + round + "@example.com");
                String groupId = createGroup(token(), run + " group " + round, kept);
                String etag = GroupsFixtures.getGroup(token(), groupId).getString("meta.version");
                String body = fixture("put-okta.json", values("groupId", groupId, "displayName", run + " put " + round,
                        "members", members(List.of(kept, added))));
                CountDownLatch start = new CountDownLatch(1);
                Future<Response> put = executor.submit(() -> {
                    start.await();
                    return GroupsFixtures.scim(token()).header("If-Match", etag).body(body)
                            .when().put(GROUPS + "/" + groupId).then().extract().response();
                });
                Future<Response> remove = executor.submit(() -> {
                    start.await();
                    return patch(groupId, new Op(false, kept));
                });
                start.countDown();
                int putStatus = put.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).statusCode();
                int removeStatus = remove.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).statusCode();
                Set<String> members = GroupsFixtures.memberIds(token(), groupId);
                Set<String> expected = putStatus == 200 ? Set.of(added) : Set.of();
                if (removeStatus != 204 || (putStatus != 200 && putStatus != 412) || !members.equals(expected)) {
                    failures.add("round " + round + ": put " + putStatus + ", remove " + removeStatus + ", members "
                            + (members.contains(kept) ? "still holding the removed one" : members.size()));
                }
            }
            assertEquals(List.of(), failures, "the PUT applies before the removal or not at all");
        } finally {
            shutdown(executor);
        }
    }

    /**
     * A user deleted while a PATCH adds it among 20 users: the add applies whole before the delete (which then removes
     * that one membership) or is refused whole after it (400); no deleted user is left as a member. Raced 20 times.
     */
    @Test
    void rfc7644_3_6_aUserDeletedWhileAddedInABatchIsNeverLeftAsAMember() throws Exception {
        String run = unique("batch-vanishing");
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            List<String> failures = new ArrayList<>();
            for (int round = 0; round < 20; round++) {
                String groupId = createGroup(token(), run + " group " + round);
                List<String> batch = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    batch.add(createUser(token(), run + "-" + round + "-" + i + "@example.com"));
                }
                String doomed = batch.get(round % batch.size());
                CountDownLatch start = new CountDownLatch(1);
                Future<Response> add = executor.submit(() -> {
                    start.await();
                    return GroupsFixtures.scim(token())
                            .body(fixture("patch-add-member-list.json", values("members", GroupsFixtures.members(batch))))
                            .when().patch(GROUPS + "/" + groupId).then().extract().response();
                });
                Future<Response> delete = executor.submit(() -> {
                    start.await();
                    return GroupsFixtures.scim(token()).when().delete(GroupsFixtures.USERS + "/" + doomed)
                            .then().extract().response();
                });
                start.countDown();
                int addStatus = add.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).statusCode();
                int deleteStatus = delete.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).statusCode();
                Set<String> members = GroupsFixtures.memberIds(token(), groupId);
                Set<String> survivors = new HashSet<>(batch);
                survivors.remove(doomed);
                Set<String> expected = addStatus == 204 ? survivors : Set.of();
                if (deleteStatus != 204 || (addStatus != 204 && addStatus != 400) || !members.equals(expected)
                        || usersInGroup(groupId) != expected.size()) {
                    failures.add("round " + round + ": add " + addStatus + ", delete " + deleteStatus + ", "
                            + members.size() + " members" + (members.contains(doomed) ? ", the deleted user among them" : ""));
                }
            }
            assertEquals(List.of(), failures, "no deleted user is left as a member");
        } finally {
            shutdown(executor);
        }
    }

    /**
     * A group deleted while a client adds members to it, and while another adds it to a parent group: no membership
     * row outlives it, on either side (RFC 7644 §3.6). Seen through the users' {@code groups} filter and the parent's
     * members. Raced 20 times.
     */
    @Test
    void rfc7644_3_6_aGroupDeletedWhileMembersAreAddedToItOrItToAParentLeavesNoMembership() throws Exception {
        String run = unique("group-vanishing");
        ExecutorService executor = Executors.newFixedThreadPool(4);
        try {
            List<String> failures = new ArrayList<>();
            for (int round = 0; round < 20; round++) {
                String parent = createGroup(token(), run + " parent " + round);
                String resident = createUser(token(), run + "-" + round + "-resident@example.com");
                String doomed = createGroup(token(), run + " doomed " + round, resident);
                List<String> batch = List.of(createUser(token(), run + "-" + round + "-a@example.com"),
                        createUser(token(), run + "-" + round + "-b@example.com"));
                CountDownLatch start = new CountDownLatch(1);
                Future<Response> addInto = executor.submit(() -> {
                    start.await();
                    return GroupsFixtures.scim(token())
                            .body(fixture("patch-add-member-list.json", values("members", GroupsFixtures.members(batch))))
                            .when().patch(GROUPS + "/" + doomed).then().extract().response();
                });
                Future<Response> nest = executor.submit(() -> {
                    start.await();
                    return patch(parent, new Op(true, doomed));
                });
                Future<Response> removeFrom = executor.submit(() -> {
                    start.await();
                    return patch(doomed, new Op(false, resident));
                });
                Future<Response> delete = executor.submit(() -> {
                    start.await();
                    return GroupsFixtures.scim(token()).when().delete(GROUPS + "/" + doomed).then().extract().response();
                });
                start.countDown();
                int addStatus = addInto.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).statusCode();
                int nestStatus = nest.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).statusCode();
                int removeStatus = removeFrom.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).statusCode();
                int deleteStatus = delete.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).statusCode();
                boolean nestedLeft = GroupsFixtures.memberIds(token(), parent).contains(doomed);
                long membershipsLeft = usersInGroup(doomed);
                if (deleteStatus != 204 || (addStatus != 204 && addStatus != 404) || (nestStatus != 204 && nestStatus != 400)
                        || (removeStatus != 204 && removeStatus != 404) || nestedLeft || membershipsLeft != 0) {
                    failures.add("round " + round + ": add " + addStatus + ", nest " + nestStatus + ", remove "
                            + removeStatus + ", delete "
                            + deleteStatus + (nestedLeft ? ", still a member of its parent" : "")
                            + (membershipsLeft != 0 ? ", " + membershipsLeft + " users still in it" : ""));
                }
            }
            assertEquals(List.of(), failures, "no membership outlives the deleted group");
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

    /** Users whose direct {@code groups} include the group (read from the membership rows themselves). */
    private static long usersInGroup(String groupId) {
        return GroupsFixtures.scim(token()).queryParam("filter", "groups.value eq \"" + groupId + "\"")
                .queryParam("count", 0).when().get(GroupsFixtures.USERS)
                .then().statusCode(200).extract().jsonPath().getLong("totalResults");
    }

    private static void shutdown(ExecutorService executor) throws InterruptedException {
        executor.shutdownNow();
        assertTrue(executor.awaitTermination(30, TimeUnit.SECONDS), "the clients stopped");
    }
}
