package io.rollcall.scim;

import static io.rollcall.support.UserFixtures.USERS;
import static io.rollcall.support.UserFixtures.create;
import static io.rollcall.support.UserFixtures.fixture;
import static io.rollcall.support.UserFixtures.get;
import static io.rollcall.support.UserFixtures.scim;
import static io.rollcall.support.UserFixtures.tree;
import static io.rollcall.support.UserFixtures.version;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;
import io.rollcall.support.UserFixtures;

/**
 * Concurrent writers on one User, RFC 7644 §3.14: no acknowledged change is lost, the version goes up by exactly one per
 * acknowledged change, and If-Match turns a lost update into a 412 the client retries; racing creates of one userName
 * end with one 201 and 409 {@code uniqueness} for the rest, never a 500. Each request builds its own {@code given()},
 * which is how REST Assured is safe across threads; every loop is bounded in count and time.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class UsersConcurrencyTest {

    private static final long TIMEOUT_SECONDS = 240;

    private static String token;

    private static synchronized String token() {
        if (token == null) {
            token = Tokens.scimClient();
        }
        return token;
    }

    private static ObjectNode race(String who) {
        String userName = who + "-" + UserFixtures.token() + "@example.com";
        return create(token(), "create-race.json", Map.of("userName", userName, "externalId", userName));
    }

    private static String id(JsonNode user) {
        return user.path("id").asText();
    }

    private static long versionOf(JsonNode user) {
        return version(user.path("meta").path("version").asText());
    }

    private static Set<String> values(JsonNode multiValued) {
        Set<String> values = new HashSet<>();
        multiValued.forEach(element -> values.add(element.path("value").asText()));
        return values;
    }

    /** Runs the tasks together (released at once by a latch) and returns their results in task order. */
    private static <T> List<T> together(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        CountDownLatch ready = new CountDownLatch(tasks.size());
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    if (!go.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("never released");
                    }
                    return task.call();
                }));
            }
            assertTrue(ready.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "all workers started");
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS), "workers stopped");
        }
    }

    // --- (a) parallel PATCHes -----------------------------------------------------------------------------------------

    @Test
    void rfc7644_3_14_parallelPatchesAreAllAppliedAndEachCountsOneVersion() throws Exception {
        JsonNode user = race("patched");
        long initial = versionOf(user);
        String run = UserFixtures.token();
        int clients = 8;
        int each = 10;
        List<Callable<List<String>>> tasks = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            tasks.add(() -> {
                List<String> failures = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                    String email = "c" + client + "-" + i + "-" + run + "@parallel.example.com";
                    try {
                        Response response = scim(token()).body(fixture("patch-add-email.json", Map.of("email", email)))
                                .when().patch(USERS + "/" + id(user));
                        if (response.statusCode() != 200) {
                            failures.add(email + " -> " + response.statusCode() + " " + response.asString());
                        }
                    } catch (Exception e) {
                        failures.add(email + " -> no answer: " + e);
                    }
                }
                return failures;
            });
        }
        List<String> failures = new ArrayList<>();
        together(tasks).forEach(failures::addAll);
        assertEquals(List.of(), failures, "every PATCH was acknowledged");

        JsonNode after = get(token(), id(user));
        Set<String> emails = values(after.path("emails"));
        for (int c = 0; c < clients; c++) {
            for (int i = 0; i < each; i++) {
                String email = "c" + c + "-" + i + "-" + run + "@parallel.example.com";
                assertTrue(emails.contains(email), "lost update: " + email + " is missing");
            }
        }
        assertEquals(1 + clients * each, after.path("emails").size(), "the original email and the 80 added: " + after);
        assertEquals(initial + clients * each, versionOf(after), "one version per acknowledged PATCH");
    }

    // --- (b) PUTs (with If-Match, read-modify-write) racing PATCHes ---------------------------------------------------

    private record Ack(String value, long version) {
    }

    @Test
    void rfc7644_3_14_putsWithIfMatchAndPatchesRacingLoseNoAcknowledgedChange() throws Exception {
        JsonNode user = race("mixed");
        long initial = versionOf(user);
        String run = UserFixtures.token();
        int patchers = 4;
        int patchesEach = 10;
        int putters = 2;
        int putsEach = 8;
        int maxAttempts = 200;
        Map<String, Long> ackedPhones = new ConcurrentHashMap<>();
        Map<String, Long> ackedTitles = new ConcurrentHashMap<>();
        List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
        int[] preconditionFailures = new int[putters];

        List<Callable<Void>> tasks = new ArrayList<>();
        for (int p = 0; p < patchers; p++) {
            int patcher = p;
            tasks.add(() -> {
                for (int i = 0; i < patchesEach; i++) {
                    String phone = "+1-555-" + run + "-" + patcher + "-" + i;
                    Response response = scim(token()).body(fixture("patch-add-phone-number.json", Map.of("phone", phone)))
                            .when().patch(USERS + "/" + id(user));
                    if (response.statusCode() == 200) {
                        ackedPhones.put(phone, version(response.header("ETag")));
                    } else {
                        unexpected.add("PATCH " + phone + " -> " + response.statusCode() + " " + response.asString());
                    }
                }
                return null;
            });
        }
        for (int w = 0; w < putters; w++) {
            int putter = w;
            tasks.add(() -> {
                for (int i = 0; i < putsEach; i++) {
                    String title = "Title " + putter + "-" + i + "-" + run;
                    boolean done = false;
                    for (int attempt = 0; attempt < maxAttempts && !done; attempt++) {
                        Response read = scim(token()).when().get(USERS + "/" + id(user));
                        if (read.statusCode() != 200) {
                            unexpected.add("GET -> " + read.statusCode() + " " + read.asString());
                            return null;
                        }
                        ObjectNode body = (ObjectNode) tree(read);
                        body.put("title", title);
                        Response put = scim(token()).header("If-Match", read.header("ETag")).body(body.toString())
                                .when().put(USERS + "/" + id(user));
                        if (put.statusCode() == 200) {
                            ackedTitles.put(title, version(put.header("ETag")));
                            done = true;
                        } else if (put.statusCode() == 412) {
                            preconditionFailures[putter]++;
                        } else {
                            unexpected.add("PUT " + title + " -> " + put.statusCode() + " " + put.asString());
                            return null;
                        }
                    }
                    if (!done) {
                        unexpected.add("PUT " + title + " never got through in " + maxAttempts + " attempts");
                    }
                }
                return null;
            });
        }
        together(tasks);
        assertEquals(List.of(), unexpected, "only 200s, and 412s that were retried");
        assertEquals(patchers * patchesEach, ackedPhones.size());
        assertEquals(putters * putsEach, ackedTitles.size());

        JsonNode after = get(token(), id(user));
        // Every acknowledged PATCH survives: a PUT only got through with the ETag of a read that already had it.
        Set<String> phones = values(after.path("phoneNumbers"));
        assertEquals(ackedPhones.keySet(), phones, "exactly the acknowledged phone numbers: " + after.path("phoneNumbers"));
        // The last acknowledged PUT (highest version) decides the title: PATCHes do not touch it.
        String lastTitle = ackedTitles.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        assertEquals(lastTitle, after.path("title").asText());
        // Every acknowledged change is exactly one version, and no two share one.
        Set<Long> versions = new HashSet<>(ackedPhones.values());
        versions.addAll(ackedTitles.values());
        assertEquals(ackedPhones.size() + ackedTitles.size(), versions.size(), "each acknowledged change has its own version");
        assertEquals(initial + ackedPhones.size() + ackedTitles.size(), versionOf(after));
    }

    // --- (c) racing creates of one userName ---------------------------------------------------------------------------

    @Test
    void rfc7644_3_3_racingCreatesOfOneUserNameGiveOne201AndConflictsNever500() throws Exception {
        String userName = "same-" + UserFixtures.token() + "@example.com";
        String body = fixture("create-race.json", Map.of("userName", userName, "externalId", userName));
        int threads = 16;
        List<Callable<Response>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            tasks.add(() -> scim(token()).body(body).when().post(USERS));
        }
        List<Response> responses = together(tasks);
        List<Integer> statuses = responses.stream().map(Response::statusCode).toList();
        assertEquals(1, statuses.stream().filter(s -> s == 201).count(), "exactly one created: " + statuses);
        assertEquals(threads - 1, statuses.stream().filter(s -> s == 409).count(), "the rest conflict: " + statuses);
        for (Response response : responses) {
            if (response.statusCode() == 409) {
                JsonNode error = tree(response);
                assertEquals("uniqueness", error.path("scimType").asText(), error.toString());
                assertEquals("409", error.path("status").asText(), error.toString());
                assertTrue(error.path("detail").asText().contains("userName"), error.toString());
            }
        }
        scim(token()).queryParam("filter", "userName eq \"" + userName + "\"").when().get(USERS)
                .then().statusCode(200).body("totalResults", org.hamcrest.Matchers.equalTo(1));
    }

    // --- parallel deletes of different users --------------------------------------------------------------------------

    @Test
    void rfc7644_3_6_parallelDeletesOfDifferentUsersAllSucceed() throws Exception {
        int threads = 8;
        int each = 12;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < threads * each; i++) {
            ids.add(id(create(token(), "create-minimal.json", Map.of("userName", "gone-" + UserFixtures.token()))));
        }
        List<Callable<List<String>>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<String> mine = ids.subList(t * each, (t + 1) * each);
            tasks.add(() -> {
                List<String> failures = new ArrayList<>();
                for (String id : mine) {
                    try {
                        Response response = scim(token()).when().delete(USERS + "/" + id);
                        if (response.statusCode() != 204) {
                            failures.add(id + " -> " + response.statusCode() + " " + response.asString());
                            break; // one failure per worker is enough, and keeps a failing run short
                        }
                    } catch (Exception e) {
                        failures.add(id + " -> no answer: " + e);
                        break;
                    }
                }
                return failures;
            });
        }
        List<String> failures = new ArrayList<>();
        together(tasks).forEach(failures::addAll);
        assertEquals(List.of(), failures, "every DELETE answered 204");
        for (String id : ids) {
            scim(token()).when().get(USERS + "/" + id).then().statusCode(404);
        }
    }
}
