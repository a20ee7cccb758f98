package io.rollcall.admin;

import static io.restassured.RestAssured.given;
import static io.rollcall.support.AdminFixtures.as;
import static io.rollcall.support.AdminFixtures.unique;
import static io.rollcall.support.ScimErrors.assertProblem;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rollcall.support.AccessRows;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * {@code /admin/v1/event-subscriptions}: who may subscribe (events:manage), what a subscription must be (a URL that is
 * not internal, known event types, hmac or jwt signing), the HMAC secret shown once and never again, pause and resume,
 * delete; errors are RFC 9457 problems and change nothing.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class EventSubscriptionsEndpointTest {

    private static final String SUBSCRIPTIONS = "/admin/v1/event-subscriptions";
    /** Loopback, which the tests' rollcall.events.allowed-networks (127.0.0.0/8) allows. */
    private static final String RECEIVER = "http://127.0.0.1:9/hooks/rollcall";

    private static Map<String, Object> body(String url, List<String> types) {
        return Map.of("url", url, "eventTypes", types);
    }

    private static String newOwner() {
        return Tokens.newOrganization(unique("Events org")).token();
    }

    private static int subscriptionCount() {
        return Integer.parseInt(AccessRows.strings("SELECT count(*) FROM event_subscriptions").get(0));
    }

    @Test
    void refusesEveryOperationWithout_eventsManage_with403NamingIt() {
        String owner = newOwner();
        String id = as(owner).body(body(RECEIVER, List.of("user.deactivated"))).when().post(SUBSCRIPTIONS).then()
                .statusCode(201).extract().path("id");
        for (String roles : List.of("inbox-agent", "workspace-owner", "channel-setup-and-integrations")) {
            String caller = Tokens.withRolesIn(owner, roles);
            int before = subscriptionCount();
            assertProblem(as(caller).body(body(RECEIVER, List.of("*"))).when().post(SUBSCRIPTIONS).then(), 403,
                    "events:manage");
            assertProblem(as(caller).when().get(SUBSCRIPTIONS).then(), 403, "events:manage");
            assertProblem(as(caller).when().get(SUBSCRIPTIONS + "/" + id).then(), 403, "events:manage");
            assertProblem(as(caller).body(Map.of("paused", true)).when().patch(SUBSCRIPTIONS + "/" + id).then(), 403,
                    "events:manage");
            assertProblem(as(caller).when().delete(SUBSCRIPTIONS + "/" + id).then(), 403, "events:manage");
            assertProblem(as(caller).when().get(SUBSCRIPTIONS + "/" + id + "/dead-letters").then(), 403,
                    "events:manage");
            assertProblem(as(caller).when().post(SUBSCRIPTIONS + "/" + id + "/dead-letters/redrive").then(), 403,
                    "events:manage");
            assertEquals(before, subscriptionCount());
        }
        as(owner).when().get(SUBSCRIPTIONS + "/" + id).then().statusCode(200).body("paused", equalTo(false));
        assertProblem(given().when().get(SUBSCRIPTIONS).then(), 401, "Bearer");
    }

    @Test
    void accountAdminMayManageSubscriptions() {
        String accountAdmin = Tokens.withRolesIn(newOwner(), "account-admin");
        as(accountAdmin).body(body(RECEIVER, List.of("user.deleted"))).when().post(SUBSCRIPTIONS).then()
                .statusCode(201);
    }

    @Test
    void createsAnHmacSubscriptionAndShowsItsSecretOnlyOnce() {
        String owner = newOwner();
        var created = as(owner).body(Map.of("url", RECEIVER, "eventTypes", List.of("user.deactivated",
                "user.deleted", "user.deactivated"))).when().post(SUBSCRIPTIONS).then()
                .statusCode(201)
                .contentType(startsWith("application/json"))
                .header("Cache-Control", "no-store")
                .body("url", equalTo(RECEIVER))
                .body("eventTypes", equalTo(List.of("user.deactivated", "user.deleted")))
                .body("signing", equalTo("hmac"))
                .body("paused", equalTo(false))
                .body("deliveries.pending", equalTo(0))
                .body("deliveries.dead", equalTo(0))
                .body("secret", startsWith("rwhs_"))
                .extract();
        String id = created.path("id");
        created.header("Location").endsWith(SUBSCRIPTIONS + "/" + id);
        as(owner).when().get(SUBSCRIPTIONS + "/" + id).then().statusCode(200).body("id", equalTo(id))
                .body("secret", nullValue());
        as(owner).when().get(SUBSCRIPTIONS).then().statusCode(200).body("totalResults", equalTo(1))
                .body("items[0].id", equalTo(id)).body("items[0]", not(hasItem("secret")))
                .body("items[0].secret", nullValue());
        // the database keeps it sealed, not as written
        String secret = created.path("secret");
        assertEquals(List.of(), AccessRows.strings("SELECT id FROM event_subscriptions WHERE encode(sealed_secret, "
                + "'escape') LIKE '%' || ? || '%'", secret.substring(5, 20)));
    }

    @Test
    void createsAJwtSubscriptionWithoutASecret() {
        as(newOwner()).body(Map.of("url", RECEIVER, "eventTypes", List.of("*"), "signing", "jwt")).when()
                .post(SUBSCRIPTIONS).then().statusCode(201).body("signing", equalTo("jwt"))
                .body("secret", nullValue()).body("eventTypes", equalTo(List.of("*")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "no URL                    | {\"eventTypes\": [\"user.deleted\"]}                                   | 'url' is required",
        "no event types            | {\"url\": \"http://127.0.0.1:9/h\"}                                  | 'eventTypes' is required",
        "empty event types         | {\"url\": \"http://127.0.0.1:9/h\", \"eventTypes\": []}              | 'eventTypes' is required",
        "unknown event type        | {\"url\": \"http://127.0.0.1:9/h\", \"eventTypes\": [\"user.hacked\"]} | 'user.hacked'",
        "unknown signing           | {\"url\": \"http://127.0.0.1:9/h\", \"eventTypes\": [\"*\"], \"signing\": \"none\"} | 'signing'",
        "not http                  | {\"url\": \"ftp://127.0.0.1/h\", \"eventTypes\": [\"*\"]}            | http or https",
        "credentials in the URL    | {\"url\": \"http://a:b@127.0.0.1/h\", \"eventTypes\": [\"*\"]}       | credentials",
        "unknown field             | {\"url\": \"http://127.0.0.1:9/h\", \"eventTypes\": [\"*\"], \"secret\": \"mine\"} | secret" })
    void refusesAnInvalidSubscriptionWith400AndCreatesNothing(String what, String json, String detail) {
        String owner = newOwner();
        int before = subscriptionCount();
        assertProblem(as(owner).body(json).when().post(SUBSCRIPTIONS).then(), 400, detail);
        assertEquals(before, subscriptionCount());
    }

    /** SSRF: the tests allow 127.0.0.0/8 only; every other internal network stays refused. */
    @ParameterizedTest(name = "{0} is refused")
    @CsvSource(delimiter = '|', value = {
        "http://169.254.169.254/latest/meta-data/  | link-local",
        "http://[fe80::1]/hook                     | link-local",
        "http://10.1.2.3/hook                      | private",
        "http://172.20.0.1/hook                    | private",
        "http://192.168.0.10:8080/hook             | private",
        "http://[fd00::1]/hook                     | unique-local",
        "http://[::1]:8080/hook                    | loopback",
        "http://[::ffff:10.0.0.1]/hook             | private",
        "http://[::ffff:169.254.169.254]/hook      | link-local",
        "http://0.0.0.0:8080/hook                  | unspecified",
        "http://224.0.0.251/hook                   | multicast",
        "http://255.255.255.255/hook               | broadcast" })
    void refusesAUrlThatResolvesIntoAnInternalNetworkWith400(String url, String kind) {
        String owner = newOwner();
        int before = subscriptionCount();
        assertProblem(as(owner).body(body(url, List.of("*"))).when().post(SUBSCRIPTIONS).then(), 400, kind);
        assertEquals(before, subscriptionCount());
        String id = as(owner).body(body(RECEIVER, List.of("*"))).when().post(SUBSCRIPTIONS).then().statusCode(201)
                .extract().path("id");
        assertProblem(as(owner).body(Map.of("url", url)).when().patch(SUBSCRIPTIONS + "/" + id).then(), 400, kind);
        as(owner).when().get(SUBSCRIPTIONS + "/" + id).then().body("url", equalTo(RECEIVER));
    }

    @Test
    void pausesResumesAndChangesASubscription() {
        String owner = newOwner();
        String id = as(owner).body(body(RECEIVER, List.of("user.deleted"))).when().post(SUBSCRIPTIONS).then()
                .statusCode(201).extract().path("id");
        as(owner).contentType("application/merge-patch+json").body(Map.of("paused", true)).when()
                .patch(SUBSCRIPTIONS + "/" + id).then().statusCode(200).body("paused", equalTo(true))
                .body("eventTypes", equalTo(List.of("user.deleted"))).body("secret", nullValue());
        as(owner).body(Map.of("paused", false, "eventTypes", List.of("user.deactivated"), "url",
                "http://127.0.0.2:9/other")).when().patch(SUBSCRIPTIONS + "/" + id).then().statusCode(200)
                .body("paused", equalTo(false)).body("eventTypes", equalTo(List.of("user.deactivated")))
                .body("url", equalTo("http://127.0.0.2:9/other"));
        assertProblem(as(owner).body(Map.of("eventTypes", List.of())).when().patch(SUBSCRIPTIONS + "/" + id).then(),
                400, "'eventTypes' is required");
    }

    @Test
    void deletesASubscription() {
        String owner = newOwner();
        String id = as(owner).body(body(RECEIVER, List.of("*"))).when().post(SUBSCRIPTIONS).then().statusCode(201)
                .extract().path("id");
        as(owner).when().delete(SUBSCRIPTIONS + "/" + id).then().statusCode(204);
        assertProblem(as(owner).when().get(SUBSCRIPTIONS + "/" + id).then(), 404, id);
        assertProblem(as(owner).when().delete(SUBSCRIPTIONS + "/" + id).then(), 404, id);
    }

    @Test
    void anUnknownOrMalformedIdIs404() {
        String owner = newOwner();
        assertProblem(as(owner).when().get(SUBSCRIPTIONS + "/00000000-0000-0000-0000-000000000000").then(), 404,
                "No event subscription");
        assertProblem(as(owner).when().get(SUBSCRIPTIONS + "/nope").then(), 404, "No event subscription");
        assertProblem(as(owner).when().get(SUBSCRIPTIONS + "/00000000-0000-0000-0000-000000000000/dead-letters")
                .then(), 404, "No event subscription");
    }

    @Test
    void refusesASubscriptionBeyondTheOrganizationsLimitWith409() {
        String owner = newOwner();
        for (int i = 0; i < 20; i++) {
            as(owner).body(body(RECEIVER + i, List.of("*"))).when().post(SUBSCRIPTIONS).then().statusCode(201);
        }
        assertProblem(as(owner).body(body(RECEIVER, List.of("*"))).when().post(SUBSCRIPTIONS).then(), 409,
                "rollcall.events.max-subscriptions");
        as(owner).when().get(SUBSCRIPTIONS).then().body("totalResults", equalTo(20));
    }

    @Test
    void answersLocationForTheCreatedSubscription() {
        String owner = newOwner();
        var response = as(owner).body(body(RECEIVER, List.of("*"))).when().post(SUBSCRIPTIONS).then().statusCode(201)
                .extract();
        org.hamcrest.MatcherAssert.assertThat(response.header("Location"),
                endsWith(SUBSCRIPTIONS + "/" + response.path("id")));
    }
}
