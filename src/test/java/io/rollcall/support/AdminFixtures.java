package io.rollcall.support;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Shared pieces of the {@code /admin/v1} tests: request specifications for the owner and for keys holding chosen roles,
 * users and groups made over SCIM (as an identity provider would), workspaces and role bindings made through the admin
 * API, and request bodies from {@code src/test/resources/fixtures/}. The tests share one database: every name made
 * here is unique.
 */
public final class AdminFixtures {

    public static final String SCIM_JSON = "application/scim+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** One SCIM Client key per application data directory (a restarted application has a new database). */
    private static final Map<Path, String> SCIM_TOKENS = new HashMap<>();

    private AdminFixtures() {
    }

    public record User(String id, String userName) {
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static RequestSpecification asOwner() {
        return as(Tokens.owner());
    }

    public static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType("application/json");
    }

    public static synchronized String scimToken() {
        return SCIM_TOKENS.computeIfAbsent(Tokens.dataDir(), ignored -> Tokens.scimClient());
    }

    /** A user created over SCIM without roles: it holds the organization's fallback role. */
    public static User createUser() {
        String userName = unique("user") + "@example.com";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:User"));
        body.put("userName", userName);
        String id = scim(body, "/scim/v2/Users");
        return new User(id, userName);
    }

    /** A group created over SCIM with the given users or groups as members. */
    public static String createGroup(String displayName, String... memberIds) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:Group"));
        body.put("displayName", displayName);
        List<Map<String, String>> members = new ArrayList<>();
        for (String memberId : memberIds) {
            members.add(Map.of("value", memberId));
        }
        body.put("members", members);
        return scim(body, "/scim/v2/Groups");
    }

    public static String createWorkspace(String name) {
        return asOwner().body(Map.of("name", name)).when().post("/admin/v1/workspaces")
                .then().statusCode(201).extract().jsonPath().getString("id");
    }

    /**
     * Binds a role through the admin API as the owner; returns the binding's id.
     *
     * @param principals {@code users} or {@code groups}
     * @param workspace  null for the whole organization
     */
    public static String bind(String principals, String id, String role, String workspace) {
        Map<String, String> body = new HashMap<>();
        body.put("role", role);
        if (workspace != null) {
            body.put("workspace", workspace);
        }
        Response response = asOwner().body(body).when().post("/admin/v1/" + principals + "/" + id + "/roles");
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            throw new AssertionError("Binding " + role + " to " + principals + " " + id + " answered "
                    + response.statusCode() + ": " + response.asString());
        }
        return response.jsonPath().getString("id");
    }

    /** The principal's bindings as {@code value} or {@code value@workspace}, each with its source after a space. */
    public static List<String> bindings(String principals, String id) {
        List<Map<String, Object>> items = asOwner().when().get("/admin/v1/" + principals + "/" + id + "/roles")
                .then().statusCode(200).extract().jsonPath().getList("items");
        List<String> described = new ArrayList<>();
        for (Map<String, Object> item : items) {
            @SuppressWarnings("unchecked")
            Map<String, Object> role = (Map<String, Object>) item.get("role");
            @SuppressWarnings("unchecked")
            Map<String, Object> workspace = (Map<String, Object>) item.get("workspace");
            described.add(role.get("value") + (workspace == null ? "" : "@" + workspace.get("name")) + " "
                    + item.get("source"));
        }
        return described;
    }

    /** A request body from {@code src/test/resources/fixtures/<name>}. */
    public static String fixture(String name) {
        try (InputStream in = AdminFixtures.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("No fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String json(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String scim(Map<String, Object> body, String path) {
        Response response = given().auth().oauth2(scimToken()).contentType(SCIM_JSON).accept(SCIM_JSON)
                .body(json(body)).when().post(path);
        if (response.statusCode() != 201) {
            throw new AssertionError("POST " + path + " answered " + response.statusCode() + ": " + response.asString());
        }
        return response.jsonPath().getString("id");
    }
}
