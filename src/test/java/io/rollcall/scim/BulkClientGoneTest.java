package io.rollcall.scim;

import static io.rollcall.support.UserFixtures.scim;
import static io.rollcall.support.UserFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * A Bulk request whose client went away (RFC 7644 §3.7: the operations run in order, and the answer reports each) has
 * no one to answer: the operations not yet started are not run, so an abandoned request of 1,000 operations does not
 * keep the server busy for seconds after its client timed out (identity providers retry, and the retry competes with it).
 * The closed connection cancels the response's subscription, and with it the operations' stream; those done stay done,
 * each in its own transaction.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class BulkClientGoneTest {

    private static final int OPERATIONS = 1000;

    @Test
    void rfc7644_3_7_aBulkRequestWhoseClientLeftRunsNoFurtherOperation() throws Exception {
        String prefix = unique("gone");
        StringBuilder operations = new StringBuilder();
        for (int i = 0; i < OPERATIONS; i++) {
            operations.append(i > 0 ? "," : "").append("{\"method\":\"POST\",\"path\":\"/Users\",\"bulkId\":\"u")
                    .append(i).append("\",\"data\":{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],")
                    .append("\"userName\":\"").append(prefix).append('-').append(i).append("@example.com\"}}");
        }
        byte[] body = ("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:BulkRequest\"],\"Operations\":["
                + operations + "]}").getBytes(StandardCharsets.UTF_8);
        String token = Tokens.scimClient();
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /scim/v2/Bulk HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/scim+json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            // leave once the server is running the operations
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (count(token, prefix) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }

        // wait until no more users appear: what the server did with the request before it saw the client leave
        int created = -1;
        for (int stable = 0; stable < 5;) {
            Thread.sleep(400);
            int now = count(token, prefix);
            stable = now == created ? stable + 1 : 0;
            created = now;
        }
        System.out.printf("Bulk of %d operations whose client left once they had started: %d ran%n", OPERATIONS, created);
        assertTrue(created > 0 && created < OPERATIONS, "operations after the client left were run: " + created);
    }

    private static int count(String token, String prefix) {
        return scim(token).when().get("/scim/v2/Users?count=0&filter=userName sw \"" + prefix + "\"")
                .then().statusCode(200).extract().path("totalResults");
    }
}
