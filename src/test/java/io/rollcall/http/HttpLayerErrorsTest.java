package io.rollcall.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * Requests the HTTP layer refuses before any endpoint sees them are answered in the API's error format, as every other
 * error: a SCIM Error message under {@code /scim/v2} (RFC 7644 §3.12: {@code application/scim+json}, {@code status}
 * as a string, a {@code detail}), an RFC 9457 problem under {@code /admin/v1}. Sent on a raw socket, since HTTP clients
 * refuse to send most of them.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class HttpLayerErrorsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCIM_BODY = "Content-Type: application/scim+json\r\n";
    /** rollcall.http.max-uri-length and rollcall.http.max-header-size, their defaults. */
    private static final int URI_LIMIT = 8 * 1024;
    private static final int HEADER_LIMIT = 20 * 1024;
    /** quarkus.http.limits.max-body-size. */
    private static final int BODY_LIMIT = 10 * 1024 * 1024;

    private static String token;

    private static synchronized String token() {
        if (token == null) {
            token = Tokens.scimClient();
        }
        return token;
    }

    @Test
    void rfc9110_15_5_15_aUriOverTheLimitIs414AsAScimError() throws IOException {
        Raw response = send("GET /scim/v2/Users?filter=" + "a".repeat(URI_LIMIT) + " HTTP/1.1\r\n", "", null);
        assertScimError(response, 414);
        assertTrue(response.headers().containsKey("x-request-id"), "refused after the request got its id");
    }

    @Test
    void rfc9110_15_5_15_aUriOverTheLimitIs414AsAProblemUnderAdmin() throws IOException {
        Raw response = send("GET /admin/v1/access-keys?x=" + "a".repeat(URI_LIMIT) + " HTTP/1.1\r\n", "", null);
        assertProblem(response, 414);
    }

    @Test
    void aUriJustUnderTheLimitIsServed() throws IOException {
        String path = "/scim/v2/Users?filter=";
        String filter = "userName eq \"" + "a".repeat(URI_LIMIT - path.length() - 200) + "\"";
        Raw response = send("GET " + path + filter.replace(" ", "%20").replace("\"", "%22") + " HTTP/1.1\r\n", "",
                null);
        assertEquals(200, response.status(), response.body());
    }

    @Test
    void rfc6585_5_headersOverTheLimitAre431AsAScimError() throws IOException {
        Raw response = send("GET /scim/v2/Users HTTP/1.1\r\n", "X-Padding: " + "a".repeat(HEADER_LIMIT) + "\r\n",
                null);
        assertScimError(response, 431);
    }

    @Test
    void rfc6585_5_headersOverTheLimitAre431AsAProblemUnderAdmin() throws IOException {
        Raw response = send("GET /admin/v1/access-keys HTTP/1.1\r\n", "X-Padding: " + "a".repeat(HEADER_LIMIT) + "\r\n",
                null);
        assertProblem(response, 431);
        assertEquals(response.headers().get("x-request-id"), JSON.readTree(response.body()).path("requestId").asText());
    }

    @Test
    void rfc3986_2_1_malformedPercentEncodingInThePathIs400AsAScimError() throws IOException {
        assertScimError(send("GET /scim/v2/Users/%zz HTTP/1.1\r\n", "", null), 400);
        assertScimError(send("GET /scim/v2/Users/abc%4 HTTP/1.1\r\n", "", null), 400);
    }

    @Test
    void rfc3986_2_1_malformedPercentEncodingInTheQueryIs400AsAScimError() throws IOException {
        Raw response = send("GET /scim/v2/Users?filter=userName%20eq%20%zz HTTP/1.1\r\n", "", null);
        assertScimError(response, 400);
        assertTrue(response.headers().containsKey("x-request-id"), "refused after the request got its id");
    }

    @Test
    void rfc3986_2_1_malformedPercentEncodingIs400AsAProblemUnderAdmin() throws IOException {
        assertProblem(send("GET /admin/v1/access-keys/%zz HTTP/1.1\r\n", "", null), 400);
        assertProblem(send("GET /admin/v1/access-keys?x=%zz HTTP/1.1\r\n", "", null), 400);
    }

    @Test
    void rfc7644_3_12_aChunkedBodyOverTheLimitIs413AsAScimErrorAndCreatesNothing() throws IOException {
        String userName = "chunked-" + UUID.randomUUID();
        Raw response = send(token(), "POST /scim/v2/Users HTTP/1.1\r\n", SCIM_BODY,
                new Chunked(user(userName), BODY_LIMIT + 1024 * 1024));
        assertScimError(response, 413);
        assertTrue(response.body().contains(String.valueOf(BODY_LIMIT)), response.body());
        assertEquals("close", response.headers().get("connection"), "RFC 9112 §9.6: the rest of the body is not read");
        assertEquals(0, usersNamed(userName));
    }

    @Test
    void rfc9457_aChunkedBodyOverTheLimitIs413AsAProblemUnderAdmin() throws IOException {
        Raw response = send(Tokens.owner(), "POST /admin/v1/access-keys HTTP/1.1\r\n",
                "Content-Type: application/json\r\n",
                new Chunked("{\"name\":\"chunked\",\"roles\":[\"SCIM Client\"]}", BODY_LIMIT + 1024 * 1024));
        assertProblem(response, 413);
    }

    @Test
    void rfc6750_3_1_aChunkedBodyWithoutAValidTokenIs401BeforeItIsMeasured() throws IOException {
        Raw response = send("not-a-token", "POST /scim/v2/Users HTTP/1.1\r\n", SCIM_BODY,
                new Chunked(user("chunked-" + UUID.randomUUID()), BODY_LIMIT + 1024 * 1024));
        assertScimError(response, 401);
    }

    @Test
    void rfc9112_7_1_aChunkedBodyUnderTheLimitIsServed() throws IOException {
        String userName = "chunked-" + UUID.randomUUID();
        Raw response = send(token(), "POST /scim/v2/Users HTTP/1.1\r\n", SCIM_BODY,
                new Chunked(user(userName), 200 * 1024));
        assertEquals(201, response.status(), response.body());
        assertEquals(userName, JSON.readTree(response.body()).path("userName").asText());
        assertEquals(1, usersNamed(userName));
    }

    private static String user(String userName) {
        return "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"" + userName + "\"}";
    }

    private static int usersNamed(String userName) {
        return RestAssured.given().auth().oauth2(token()).queryParam("filter", "userName eq \"" + userName + "\"")
                .when().get("/scim/v2/Users").then().statusCode(200).extract().path("totalResults");
    }

    private static void assertScimError(Raw response, int status) throws IOException {
        assertEquals(status, response.status(), response.body());
        assertTrue(response.headers().getOrDefault("content-type", "").startsWith("application/scim+json"),
                response.headers().toString());
        JsonNode error = JSON.readTree(response.body());
        assertEquals("urn:ietf:params:scim:api:messages:2.0:Error", error.path("schemas").path(0).asText());
        assertEquals(String.valueOf(status), error.path("status").asText(), "status is a string (RFC 7644 §3.12)");
        assertTrue(error.path("status").isTextual(), response.body());
        assertTrue(!error.path("detail").asText().isBlank(), response.body());
    }

    private static void assertProblem(Raw response, int status) throws IOException {
        assertEquals(status, response.status(), response.body());
        assertEquals(ApiError.PROBLEM_JSON, response.headers().getOrDefault("content-type", ""));
        JsonNode problem = JSON.readTree(response.body());
        assertEquals(status, problem.path("status").asInt());
        assertTrue(!problem.path("detail").asText().isBlank(), response.body());
    }

    private record Raw(int status, Map<String, String> headers, String body) {
    }

    /** A chunked request body: {@code json}, then spaces (JSON whitespace) up to {@code size} bytes. */
    private record Chunked(String json, int size) {
    }

    private static Raw send(String requestLine, String headers, Chunked body) throws IOException {
        return send(token(), requestLine, headers, body);
    }

    /**
     * One request on a fresh connection with {@code token}: the request line, extra header lines, and, when given, a
     * chunked body ({@code Transfer-Encoding: chunked}, no {@code Content-Length}), sent while the answer is read.
     */
    private static Raw send(String token, String requestLine, String headers, Chunked body) throws IOException {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write((requestLine + "Host: localhost:" + RestAssured.port + "\r\nAuthorization: Bearer " + token
                    + "\r\n" + headers + (body == null ? "" : "Transfer-Encoding: chunked\r\n") + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            if (body != null) {
                Thread writer = new Thread(() -> writeChunks(out, body), "chunked-body-writer");
                writer.setDaemon(true);
                writer.start();
            }
            return read(socket.getInputStream());
        }
    }

    private static void writeChunks(OutputStream out, Chunked body) {
        byte[] json = body.json().getBytes(StandardCharsets.UTF_8);
        byte[] padding = " ".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
        try {
            writeChunk(out, json, json.length);
            for (int sent = json.length; sent < body.size(); sent += padding.length) {
                writeChunk(out, padding, Math.min(padding.length, body.size() - sent));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException refused) {
            // the server answered and closed the connection before the body ended
        }
    }

    private static void writeChunk(OutputStream out, byte[] bytes, int length) throws IOException {
        out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes, 0, length);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private static Raw read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("Connection closed before the end of the response headers: " + head);
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String[] lines = head.toString(StandardCharsets.US_ASCII).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        byte[] body;
        if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream chunks = new ByteArrayOutputStream();
            for (int size = chunkSize(in); size > 0; size = chunkSize(in)) {
                chunks.write(in.readNBytes(size));
                in.readNBytes(2);
            }
            body = chunks.toByteArray();
        } else {
            body = new byte[0];
        }
        return new Raw(Integer.parseInt(lines[0].split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
    }

    private static int chunkSize(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n' && b >= 0; b = in.read()) {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return Integer.parseInt(line.toString().trim(), 16);
    }
}
