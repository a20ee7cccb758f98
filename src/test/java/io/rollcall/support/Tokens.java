package io.rollcall.support;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;

/**
 * Tokens for tests: the bootstrap owner token, new access keys with chosen roles (made through the admin API, as an
 * operator would), and forged tokens for the gate's refusals.
 */
public final class Tokens {

    /** Set when the tests drive a packaged server (no Quarkus config in the test JVM); else the app's config. */
    private static volatile Path packagedDataDir;

    private Tokens() {
    }

    /** Reads the tokens and keys of a packaged server started by the tests, working in {@code dataDir}. */
    public static void useDataDir(Path dataDir) {
        packagedDataDir = dataDir;
    }

    public static Path dataDir() {
        Path packaged = packagedDataDir;
        if (packaged != null) {
            return packaged;
        }
        return Path.of(ConfigProvider.getConfig().getValue("rollcall.data-dir", String.class));
    }

    /** The Organization Owner token the first start wrote to {@code <data-dir>/owner.token}. */
    public static String owner() {
        try {
            return Files.readString(dataDir().resolve("owner.token")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The platform operator's token the first start wrote to {@code <data-dir>/operator.token}. */
    public static String operator() {
        try {
            return Files.readString(dataDir().resolve("operator.token")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new organization made by the operator; returns its id and its first Organization Owner token. */
    public static CreatedKey newOrganization(String name) {
        var response = given().auth().oauth2(operator()).contentType("application/json").body(Map.of("name", name))
                .when().post("/admin/v1/organizations")
                .then().statusCode(201).extract().jsonPath();
        return new CreatedKey(response.getString("id"), response.getString("accessKey.token"));
    }

    /** A new access key of the organization whose owner token is given, holding the roles; returns its token. */
    public static String withRolesIn(String ownerToken, String... roles) {
        return given().auth().oauth2(ownerToken).contentType("application/json")
                .body(Map.of("name", "test-" + UUID.randomUUID(), "roles", Arrays.asList(roles)))
                .when().post("/admin/v1/access-keys")
                .then().statusCode(201).extract().path("token");
    }

    /** A new access key holding SCIM Client; returns its token. */
    public static String scimClient() {
        return withRoles("scim-client");
    }

    /** A new access key holding the roles (value, id or name), created by the owner; returns its token. */
    public static String withRoles(String... roles) {
        return createKey(Map.of("name", "test-" + UUID.randomUUID(), "roles", Arrays.asList(roles))).token();
    }

    public record CreatedKey(String id, String token) {
    }

    public static CreatedKey createKey(Map<String, Object> body) {
        var response = given().auth().oauth2(owner()).contentType("application/json").body(body)
                .when().post("/admin/v1/access-keys")
                .then().statusCode(201).extract().jsonPath();
        return new CreatedKey(response.getString("id"), response.getString("token"));
    }

    /** A token signed by this server's real key, with claims of the test's choosing. */
    public static String signed(String subject, String organization, String tokenId, Instant issuedAt, Instant expiresAt) {
        return Jwt.issuer("rollcall").subject(subject).claim("org", organization).claim("jti", tokenId)
                .issuedAt(issuedAt).expiresAt(expiresAt).jws().sign(serverPrivateKey());
    }

    public static PrivateKey serverPrivateKey() {
        try {
            return KeyUtils.decodePrivateKey(Files.readString(dataDir().resolve("keys/signing-key.pem")));
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read the server's signing key", e);
        }
    }

    /** The claims of a real token, read without verification (tests reuse them in forged tokens). */
    public static Map<String, Object> claimsOf(String token) {
        String payload = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8);
        return new io.vertx.core.json.JsonObject(payload).getMap();
    }

    public static List<String> parts(String token) {
        return List.of(token.split("\\."));
    }
}
