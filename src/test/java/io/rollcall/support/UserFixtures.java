package io.rollcall.support;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Shared pieces of the {@code /scim/v2/Users} tests: request bodies from {@code src/test/resources/fixtures/users/} with
 * {@code {{placeholder}}} values filled in at run time, unique names (the tests share one database), and a SCIM request
 * specification. Every call builds its own {@code given()}, so it is safe from many threads at once.
 */
public final class UserFixtures {

    public static final String USERS = "/scim/v2/Users";
    public static final String SCIM_JSON = "application/scim+json";
    public static final String CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
    public static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    public static final String LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
    public static final ObjectMapper JSON = new ObjectMapper();

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Za-z0-9]+)}}");

    private UserFixtures() {
    }

    /** A short random token, lower-case hex, for names that must not collide with other tests' users. */
    public static String token() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** {@code prefix-<random>}, e.g. for a userName. */
    public static String unique(String prefix) {
        return prefix + "-" + token();
    }

    /** A SCIM request as an IdP sends it: bearer token, {@code application/scim+json} both ways. */
    public static RequestSpecification scim(String bearer) {
        return given().auth().oauth2(bearer).contentType(SCIM_JSON).accept(SCIM_JSON);
    }

    /** The fixture's text with every {@code {{name}}} replaced; a placeholder without a value fails the test. */
    public static String fixture(String name, Map<String, String> values) {
        String text = raw(name);
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                throw new IllegalArgumentException("Fixture " + name + " needs a value for {{" + matcher.group(1) + "}}");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    public static String fixture(String name) {
        return fixture(name, Map.of());
    }

    /** The fixture, filled in, as a JSON tree (to post several bodies from one file, or to adjust one). */
    public static JsonNode fixtureTree(String name, Map<String, String> values) {
        return tree(fixture(name, values));
    }

    public static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode tree(Response response) {
        return tree(response.asString());
    }

    public static String json(JsonNode node) {
        return node.toString();
    }

    /** Creates a user from a fixture and returns the 201 body. */
    public static ObjectNode create(String bearer, String fixture, Map<String, String> values) {
        Response response = scim(bearer).body(fixture(fixture, values)).when().post(USERS);
        if (response.statusCode() != 201) {
            throw new AssertionError("Creating a user from " + fixture + " answered " + response.statusCode() + ": "
                    + response.asString());
        }
        return (ObjectNode) tree(response);
    }

    /** GET of one user, which must exist. */
    public static ObjectNode get(String bearer, String id) {
        Response response = scim(bearer).when().get(USERS + "/" + id);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET user " + id + " answered " + response.statusCode() + ": " + response.asString());
        }
        return (ObjectNode) tree(response);
    }

    /** The number in a weak ETag {@code W/"n"}. */
    public static long version(String etag) {
        Matcher matcher = Pattern.compile("^W/\"(\\d+)\"$").matcher(etag);
        if (!matcher.matches()) {
            throw new AssertionError("Not a weak numeric ETag: " + etag);
        }
        return Long.parseLong(matcher.group(1));
    }

    public static String etag(long version) {
        return "W/\"" + version + "\"";
    }

    private static String raw(String name) {
        try (InputStream in = UserFixtures.class.getResourceAsStream("/fixtures/users/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("No fixture /fixtures/users/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
