package io.rollcall.scim;

import static io.restassured.RestAssured.given;
import static io.rollcall.support.ScimErrors.assertScimError;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.hamcrest.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.builder.ResponseBuilder;
import io.restassured.config.EncoderConfig;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.rollcall.http.MediaTypes;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * The SCIM error model and HTTP framing: RFC 7644 §3.12 (Error messages: schemas, status as a string, scimType, detail),
 * RFC 7644 §3.1 (application/scim+json, application/json accepted), RFC 7644 §8.1/§8 (UTF-8 JSON bodies) and the HTTP
 * status codes RFC 7644 §3.12 lists (400, 404, 413, 500) plus those of RFC 9110 §15.5 (406, 415) that SCIM reuses.
 * Errors never leak internals (RFC 7644 §7, security considerations).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ScimErrorModelTest {

    private static final String ECHO = "/scim/v2/TestOnly/echo";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** quarkus.http.limits.max-body-size=10M, in bytes. */
    private static final long BODY_LIMIT = 10L * 1024 * 1024;

    private static String token;

    private static synchronized String token() {
        if (token == null) {
            token = Tokens.scimClient();
        }
        return token;
    }

    /** Sends bodies byte for byte, without RestAssured adding a charset to the Content-Type. */
    private static RequestSpecification scim() {
        return given().auth().oauth2(token())
                .config(RestAssured.config().encoderConfig(
                        EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false)));
    }

    // --- 404 (RFC 7644 §3.12) ---------------------------------------------------------------------------------------

    @Test
    void rfc7644_3_12_unknownPathUnderScimIsAScimNotFound() {
        assertScimError(scim().accept(MediaTypes.SCIM_JSON).when().get("/scim/v2/Nothing").then(), 404, null,
                "/scim/v2/Nothing");
    }

    @Test
    void rfc7644_3_12_deleteOfAnUnknownIdIsAScimNotFound() {
        assertScimError(scim().accept(MediaTypes.SCIM_JSON).when().delete("/scim/v2/Users/123").then(), 404, null,
                "No user 123");
    }

    // --- 400 invalidSyntax (RFC 7644 §3.12) ---------------------------------------------------------------------------

    @ParameterizedTest(name = "body [{0}]")
    @MethodSource("malformedBodies")
    void rfc7644_3_12_malformedJsonBodyIsInvalidSyntax(String body, Matcher<String> namesTheProblem) {
        ValidatableResponse response = scim().contentType(MediaTypes.SCIM_JSON).accept(MediaTypes.SCIM_JSON)
                .body(body.getBytes(StandardCharsets.UTF_8))
                .when().post(ECHO).then();
        assertScimError(response, 400, "invalidSyntax", "")
                .body("detail", namesTheProblem)
                // No Java class or package names, qualified or simple (RFC 7644 §7: do not leak implementation)
                .body("detail", not(matchesPattern("(?s).*\\b[a-z]+(\\.[a-z0-9]+)+\\.[A-Z]\\w*.*")))
                .body("detail", not(containsString("com.fasterxml")))
                .body("detail", not(containsString("java.")))
                .body("detail", not(containsString("ObjectNode")))
                .body("detail", not(containsString("JsonNode")))
                .body("detail", not(containsString("Feature")))
                .body("detail", not(containsString("Source:")));
    }

    static Stream<Arguments> malformedBodies() {
        return Stream.of(
                Arguments.of("{\"a\":", containsString("not valid JSON")),
                Arguments.of("not json", containsString("not valid JSON")),
                Arguments.of("[1,2]", containsStringIgnoringCase("object")),
                Arguments.of("", containsStringIgnoringCase("empty")));
    }

    // --- well-formed bodies and media types (RFC 7644 §3.1, §8.1) -----------------------------------------------------

    @ParameterizedTest(name = "Content-Type {0}")
    @ValueSource(strings = { MediaTypes.SCIM_JSON, MediaTypes.JSON, "application/scim+json; charset=utf-8" })
    void rfc7644_3_1_wellFormedObjectIsEchoedInEitherJsonContentType(String contentType) {
        String body = scim().contentType(contentType).accept(MediaTypes.SCIM_JSON)
                .body(fixture("echo-object.json"))
                .when().post(ECHO)
                .then().statusCode(200)
                .contentType(startsWith("application/scim+json"))
                .extract().asString();
        assertEquals(tree(fixture("echo-object.json")), tree(body));
    }

    @ParameterizedTest(name = "Content-Type {0}")
    @MethodSource("unsupportedBodies")
    void rfc7644_3_1_bodyInAnotherMediaTypeIsUnsupportedMediaType(String contentType, byte[] body) {
        assertScimError(scim().contentType(contentType).accept(MediaTypes.SCIM_JSON).body(body)
                .when().post(ECHO).then(), 415, null, "application/scim+json")
                .body("detail", containsString(contentType));
    }

    static Stream<Arguments> unsupportedBodies() {
        return Stream.of(
                Arguments.of("text/plain", "userName=bjensen".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("application/xml", fixture("echo-object.xml")));
    }

    @Test
    void rfc7644_3_1_acceptOfOnlyHtmlIsNotAcceptable() {
        assertScimError(scim().contentType(MediaTypes.SCIM_JSON).accept("text/html").body(fixture("echo-object.json"))
                .when().post(ECHO).then(), 406, null, "application/scim+json")
                .body("detail", containsString("text/html"));
    }

    @Test
    void rfc7644_3_1_acceptOfApplicationJsonIsHonoured() {
        String body = scim().contentType(MediaTypes.JSON).accept(MediaTypes.JSON).body(fixture("echo-object.json"))
                .when().post(ECHO)
                .then().statusCode(200)
                .contentType(anyOf(startsWith("application/json"), startsWith("application/scim+json")))
                .extract().asString();
        assertEquals(tree(fixture("echo-object.json")), tree(body));
    }

    /** RestAssured always sends an Accept header, so this one goes through the JDK client, which sends none. */
    @Test
    void rfc7644_8_1_withoutAcceptTheAnswerIsScimJson() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + ECHO))
                .header("Authorization", "Bearer " + token())
                .header("Content-Type", MediaTypes.SCIM_JSON)
                .POST(HttpRequest.BodyPublishers.ofByteArray(fixture("echo-object.json")))
                .timeout(Duration.ofSeconds(30))
                .build();
        assertTrue(request.headers().firstValue("Accept").isEmpty());
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/scim+json"),
                "Content-Type was " + response.headers().firstValue("Content-Type"));
        assertEquals(tree(fixture("echo-object.json")), tree(response.body()));
    }

    // --- 413 (RFC 7644 §3.12, RFC 9110 §15.5.14) ----------------------------------------------------------------------

    /**
     * An 11,000,000-byte body, announced with its Content-Length, over a raw socket: the server answers as soon as it
     * has the headers, so the body is written on another thread while this one reads the answer.
     */
    @Test
    void rfc7644_3_12_bodyLargerThanTheLimitIsPayloadTooLarge() throws Exception {
        int size = 11_000_000;
        RawResponse response = postRaw(ECHO, MediaTypes.SCIM_JSON, size);
        ValidatableResponse validatable = new ResponseBuilder()
                .setStatusCode(response.status())
                .setContentType(response.headers().getOrDefault("content-type", ""))
                .setBody(response.body())
                .build().then();
        assertScimError(validatable, 413, null, String.valueOf(BODY_LIMIT))
                .body("detail", containsString(String.valueOf(size)));
    }

    // --- 400 for a value the store refuses (RFC 7644 §3.12) ---------------------------------------------------------

    @Test
    void rfc7644_3_12_aValueThePostgresqlStoreRefusesIsInvalidValueNotA500() {
        // a NUL in a filter's value reaches PostgreSQL as a query parameter, which it refuses (22021)
        assertScimError(scim().accept(MediaTypes.SCIM_JSON).queryParam("filter", "userName eq \"nul\\u0000\"")
                .when().get("/scim/v2/Users").then(), 400, "invalidValue", "cannot be stored");
    }

    // --- 500 (RFC 7644 §3.12, §7) ------------------------------------------------------------------------------------

    @Test
    void rfc7644_3_12_unexpectedFailureIsA500WithAReferenceAndNoInternals() {
        assertScimError(scim().contentType(MediaTypes.SCIM_JSON).accept(MediaTypes.SCIM_JSON)
                .body(fixture("echo-object.json"))
                .when().post("/scim/v2/TestOnly/fail").then(), 500, null, "reference")
                .body("detail", matchesPattern("(?s).*reference [0-9a-f-]{36}.*"))
                .body("detail", not(containsString("IllegalStateException")))
                .body("detail", not(containsString("io.rollcall")))
                .body("detail", not(containsString("hunter2")))
                .body("detail", not(containsString("secret internals")))
                .body("status", equalTo("500"));
    }

    @Test
    void rfc7231_6_6_4_aHeapTooSmallForTheRequestIsA503WithRetryAfterNotA500() {
        assertScimError(scim().contentType(MediaTypes.SCIM_JSON).accept(MediaTypes.SCIM_JSON)
                .body(fixture("echo-object.json"))
                .when().post("/scim/v2/TestOnly/out-of-memory").then(), 503, null, "not enough memory for this request")
                .header("Retry-After", "5")
                .body("detail", matchesPattern("(?s).*reference [0-9a-f-]{36}.*"))
                .body("detail", not(containsString("OutOfMemoryError")));
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private record RawResponse(int status, Map<String, String> headers, String body) {
    }

    /** POST with Content-Length {@code size} and that many bytes of body, over HTTP/1.1 on a plain socket. */
    private static RawResponse postRaw(String path, String contentType, int size) throws Exception {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            String head = "POST " + path + " HTTP/1.1\r\n"
                    + "Host: localhost:" + RestAssured.port + "\r\n"
                    + "Authorization: Bearer " + token() + "\r\n"
                    + "Content-Type: " + contentType + "\r\n"
                    + "Accept: " + MediaTypes.SCIM_JSON + "\r\n"
                    + "Content-Length: " + size + "\r\n"
                    + "\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread writer = new Thread(() -> {
                byte[] chunk = new byte[64 * 1024];
                Arrays.fill(chunk, (byte) ' ');
                try {
                    for (int sent = 0; sent < size; sent += chunk.length) {
                        out.write(chunk, 0, Math.min(chunk.length, size - sent));
                    }
                    out.flush();
                } catch (IOException expected) {
                    // The server refused the body and closed the connection.
                }
            }, "oversized-body-writer");
            writer.setDaemon(true);
            writer.start();
            RawResponse response = readResponse(socket.getInputStream());
            writer.join(10_000);
            return response;
        }
    }

    private static RawResponse readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("Connection closed before the end of the response headers: " + headBytes);
            }
            headBytes.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String[] lines = headBytes.toString(StandardCharsets.US_ASCII).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        byte[] body;
        if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else {
            body = in.readAllBytes();
        }
        return new RawResponse(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static JsonNode tree(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode tree(String json) {
        return tree(json.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] fixture(String name) {
        try (InputStream in = ScimErrorModelTest.class.getResourceAsStream("/fixtures/scim/" + name)) {
            if (in == null) {
                throw new IllegalStateException("No fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
