package io.rollcall.scim;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import io.rollcall.http.MediaTypes;

/**
 * Shared by the Groups tests: JSON fixtures from {@code /fixtures/groups/} with {@code "{{name}}"} placeholders, and
 * the few SCIM calls every test needs (create a user or a group, read a group's member ids and version).
 */
final class GroupsFixtures {

    static final String GROUPS = "/scim/v2/Groups";
    static final String USERS = "/scim/v2/Users";
    static final String GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
    static final String LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{[A-Za-z0-9]+}}");

    private GroupsFixtures() {
    }

    /** A value put into a fixture as JSON (an array or object), replacing the quoted {@code "{{name}}"} whole. */
    record RawJson(String json) {
    }

    /** Members as Okta and Entra send them: {@code [{"value": id}, ...]}, without type. */
    static RawJson members(Collection<String> ids) {
        ArrayNode array = JSON.createArrayNode();
        ids.forEach(id -> array.addObject().put("value", id));
        return new RawJson(array.toString());
    }

    /** Reads {@code /fixtures/groups/<name>} and fills its placeholders; every placeholder must be given a value. */
    static String fixture(String name, Map<String, ?> values) {
        String text;
        try (InputStream in = GroupsFixtures.class.getResourceAsStream("/fixtures/groups/" + name)) {
            if (in == null) {
                throw new IllegalStateException("No fixture " + name);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Map.Entry<String, ?> entry : values.entrySet()) {
            String placeholder = "{{" + entry.getKey() + "}}";
            if (!text.contains(placeholder)) {
                throw new IllegalArgumentException("Fixture " + name + " has no " + placeholder);
            }
            if (entry.getValue() instanceof RawJson raw) {
                text = text.replace("\"" + placeholder + "\"", raw.json());
            } else {
                text = text.replace(placeholder, jsonStringContent(String.valueOf(entry.getValue())));
            }
        }
        Matcher left = PLACEHOLDER.matcher(text);
        if (left.find()) {
            throw new IllegalArgumentException("Fixture " + name + " still has " + left.group());
        }
        return text;
    }

    /** Placeholder values as one map: fixture("x.json", values("a", 1, "b", 2)). */
    static Map<String, Object> values(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static String jsonStringContent(String value) {
        try {
            String quoted = JSON.writeValueAsString(value);
            return quoted.substring(1, quoted.length() - 1);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A name no other test (or earlier run on the same database) uses. */
    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 13);
    }

    static RequestSpecification scim(String token) {
        return given().auth().oauth2(token).contentType(MediaTypes.SCIM_JSON).accept(MediaTypes.SCIM_JSON);
    }

    /** Creates a user with this userName; returns its id. */
    static String createUser(String token, String userName) {
        return scim(token).body(fixture("user.json", values("userName", userName)))
                .when().post(USERS)
                .then().statusCode(201).extract().path("id");
    }

    /** Creates a group with these members (by id, without type); returns its id. */
    static String createGroup(String token, String displayName, Collection<String> memberIds) {
        return createGroupResponse(token, displayName, unique("ext"), memberIds).path("id");
    }

    static String createGroup(String token, String displayName, String... memberIds) {
        return createGroup(token, displayName, List.of(memberIds));
    }

    static Response createGroupResponse(String token, String displayName, String externalId, Collection<String> memberIds) {
        return scim(token).body(fixture("create.json", values("displayName", displayName, "externalId", externalId,
                        "members", members(memberIds))))
                .when().post(GROUPS)
                .then().statusCode(201).contentType(startsWith("application/scim+json")).extract().response();
    }

    static JsonPath getGroup(String token, String groupId) {
        return scim(token).when().get(GROUPS + "/" + groupId).then().statusCode(200).extract().jsonPath();
    }

    /** The ids in the group's {@code members}, as a GET shows them. */
    static Set<String> memberIds(String token, String groupId) {
        List<String> ids = getGroup(token, groupId).getList("members.value", String.class);
        return ids == null ? Set.of() : new HashSet<>(ids);
    }

    /** The number in a weak ETag {@code W/"<n>"} (the form meta.version and the ETag header take). */
    static long version(String etag) {
        Matcher matcher = Pattern.compile("^W/\"(\\d+)\"$").matcher(etag == null ? "" : etag);
        if (!matcher.matches()) {
            throw new AssertionError("Not a weak ETag W/\"<n>\": " + etag);
        }
        return Long.parseLong(matcher.group(1));
    }

    static long groupVersion(String token, String groupId) {
        return version(getGroup(token, groupId).getString("meta.version"));
    }
}
