package io.rollcall.scim;

import static io.rollcall.support.UserFixtures.USERS;
import static io.rollcall.support.UserFixtures.scim;
import static io.rollcall.support.UserFixtures.tree;
import static io.rollcall.support.UserFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.rollcall.store.ResourceReads;
import io.rollcall.store.ScimTables;
import io.rollcall.support.AccessRows;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * A page of large users (~30 KB each, as an IdP that sends certificates makes them) is read and sent in pieces bounded
 * in bytes, not only in users (issue 12: 100 users at a time made pieces of 3 MB, and 16 pages of 1,000 such users at
 * once took the 80 MiB heap). The batches are sized by what the store says each document weighs, which must hold for
 * a document PostgreSQL keeps compressed too.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class UsersLargePageTest {

    private static final int LARGE_USERS = 120;
    private static final String PREFIX = unique("largepage");
    private static final List<String> IDS = new ArrayList<>();
    private static final List<Integer> BODY_BYTES = new ArrayList<>();

    @Inject
    ResourceReads reads;

    /**
     * Users of twenty 1,100-byte certificates each: the even ones random (stored as they are), the odd ones twenty
     * times the same certificate (stored compressed, many times smaller than their text).
     */
    private static synchronized void createUsers() {
        if (!IDS.isEmpty()) {
            return;
        }
        String token = Tokens.scimClient();
        for (int i = 0; i < LARGE_USERS; i++) {
            Random random = new Random(i);
            byte[] der = new byte[1_100];
            StringBuilder certificates = new StringBuilder();
            for (int c = 0; c < 20; c++) {
                if (c == 0 || i % 2 == 0) {
                    random.nextBytes(der);
                }
                certificates.append(c > 0 ? "," : "").append("{\"value\":\"")
                        .append(Base64.getEncoder().encodeToString(der)).append("\"}");
            }
            String body = "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"" + PREFIX + "-"
                    + String.format("%03d", i) + "@example.com\",\"x509Certificates\":[" + certificates + "]}";
            IDS.add(scim(token).body(body).when().post(USERS).then().statusCode(201).extract().path("id"));
            BODY_BYTES.add(body.length());
        }
    }

    @Test
    void aPageOfLargeUsersIsSentInPiecesBoundedInBytesWithEveryUserInOrder() throws IOException {
        createUsers();
        List<Integer> pieces = new ArrayList<>();
        String body = get(USERS + "?filter=" + URLEncoder.encode("userName sw \"" + PREFIX + "\"", StandardCharsets.UTF_8)
                + "&sortBy=userName&count=1000", pieces);

        int largest = pieces.stream().mapToInt(Integer::intValue).max().orElse(0);
        assertTrue(largest <= ListResponseBodies.PIECE_BYTES + 40_000,
                "pieces of at most ~" + ListResponseBodies.PIECE_BYTES + " bytes and one user, not " + largest);
        JsonNode page = tree(body);
        assertEquals(LARGE_USERS, page.path("totalResults").asInt());
        assertEquals(LARGE_USERS, page.path("itemsPerPage").asInt());
        List<String> ids = new ArrayList<>();
        page.path("Resources").forEach(user -> {
            ids.add(user.path("id").asText());
            assertEquals(20, user.path("x509Certificates").size());
        });
        assertEquals(IDS, ids, "every user once, by userName");
    }

    @Test
    void theStoreWeighsADocumentByItsTextWhetherOrNotItIsKeptCompressed() {
        createUsers();
        Map<UUID, Long> bytes = reads.documentBytes(ScimTables.USERS, UUID.fromString(AccessRows.orgId()),
                IDS.stream().map(UUID::fromString).toList()).await().indefinitely();

        assertEquals(LARGE_USERS, bytes.size());
        for (int i = 0; i < LARGE_USERS; i++) {
            long weighed = bytes.get(UUID.fromString(IDS.get(i)));
            int sent = BODY_BYTES.get(i);
            assertTrue(weighed > sent * 0.8 && weighed < sent * 1.5,
                    "user " + i + (i % 2 == 0 ? " (random)" : " (compressible)") + " weighed " + weighed + " bytes for "
                            + sent + " bytes of JSON");
        }
    }

    /** The body of a GET on a connection of its own; {@code pieces} gets the size of each chunk it came in. */
    private static String get(String target, List<Integer> pieces) throws IOException {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: localhost:" + RestAssured.port + "\r\nAuthorization: Bearer "
                    + Tokens.scimClient() + "\r\nAccept: application/scim+json\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String head = line(in);
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
            boolean chunked = false;
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                chunked |= header.equalsIgnoreCase("transfer-encoding: chunked");
            }
            assertTrue(chunked, "written as it is read");
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line(in), 16); size > 0; size = Integer.parseInt(line(in), 16)) {
                pieces.add(size);
                body.write(in.readNBytes(size));
                line(in);
            }
            return body.toString(StandardCharsets.UTF_8);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("Connection closed within a line: " + line);
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
