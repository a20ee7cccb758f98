package io.rollcall.auth;

import static io.restassured.RestAssured.given;
import static io.rollcall.support.ScimErrors.assertProblem;
import static io.rollcall.support.ScimErrors.assertScimError;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;
import io.smallrye.jwt.build.Jwt;
import io.vertx.core.json.JsonObject;

/**
 * The token gate in front of {@code /scim/v2}: every way a bearer token can be wrong gets a 401 SCIM error with a Bearer
 * challenge, a valid key without SCIM Client gets a 403, and only a live SCIM Client key gets through.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ScimClientGateTest {

    private static final String SCIM_PROBE = "/scim/v2/ServiceProviderConfig";

    // --- What gets through ------------------------------------------------------------------------------------------

    @Test
    void returns200ForAScimClientKey() {
        given().auth().oauth2(Tokens.scimClient())
                .when().get(SCIM_PROBE)
                .then().statusCode(200)
                .contentType(startsWith("application/scim+json"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "Bearer", "bearer", "BEARER", "bEaReR" })
    void matchesTheBearerSchemeCaseInsensitively(String scheme) {
        given().header("Authorization", scheme + " " + Tokens.scimClient())
                .when().get(SCIM_PROBE)
                .then().statusCode(200);
    }

    @Test
    void servesTheJwksWithoutAToken() {
        given().when().get("/.well-known/jwks.json")
                .then().statusCode(200)
                .body("keys.size()", equalTo(1))
                .body("keys[0].kty", equalTo("RSA"))
                .body("keys[0].alg", equalTo("RS256"))
                .body("keys[0].kid", notNullValue())
                .body("keys[0].n", notNullValue())
                .body("keys[0].e", notNullValue());
    }

    @Test
    void jwksPublicKeyVerifiesAFreshlyIssuedToken() throws Exception {
        String token = Tokens.scimClient();
        JsonPath jwks = given().when().get("/.well-known/jwks.json").then().statusCode(200).extract().jsonPath();
        PublicKey key = rsaKey(jwks.getString("keys[0].n"), jwks.getString("keys[0].e"));

        List<String> parts = Tokens.parts(token);
        JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(parts.get(0)), StandardCharsets.UTF_8));
        assertEquals("RS256", header.getString("alg"));
        assertEquals(jwks.getString("keys[0].kid"), header.getString("kid"), "the token names the JWKS key");

        assertTrue(verifiesRs256(key, token), "the JWKS key verifies the token's signature");
        JsonObject otherClaims = new JsonObject(Tokens.claimsOf(token)).put("sub", UUID.randomUUID().toString());
        String tampered = parts.get(0) + "." + base64Url(otherClaims.encode().getBytes(StandardCharsets.UTF_8))
                + "." + parts.get(2);
        assertFalse(verifiesRs256(key, tampered), "and only that token's payload");
    }

    @Test
    void jwksKeyIsTheServersSigningKey() throws Exception {
        JsonPath jwks = given().when().get("/.well-known/jwks.json").then().statusCode(200).extract().jsonPath();
        RSAPublicKey fromJwks = (RSAPublicKey) rsaKey(jwks.getString("keys[0].n"), jwks.getString("keys[0].e"));
        RSAPublicKey fromPem = (RSAPublicKey) io.smallrye.jwt.util.KeyUtils
                .decodePublicKey(Files.readString(Tokens.dataDir().resolve("keys/signing-key.pub.pem")));
        assertEquals(fromPem.getModulus(), fromJwks.getModulus());
        assertEquals(fromPem.getPublicExponent(), fromJwks.getPublicExponent());
    }

    // --- 401: the header --------------------------------------------------------------------------------------------

    @Test
    void returns401WithoutAnAuthorizationHeader() {
        refused(given().when().get(SCIM_PROBE).then(), "Bearer");
    }

    @Test
    void returns401WithoutATokenEvenForAPathThatDoesNotExist() {
        refused(given().when().get("/scim/v2/NoSuchResourceType").then(), "Bearer");
    }

    @ParameterizedTest
    @ValueSource(strings = { "/scim/v2", "/scim/v2/", "//scim/v2/ServiceProviderConfig", "/scim//v2/ServiceProviderConfig",
            "/./scim/v2/ServiceProviderConfig", "/x/../scim/v2/ServiceProviderConfig", "/scim/%76%32/ServiceProviderConfig",
            "/scim%2Fv2/ServiceProviderConfig", "/scim/v2;a=b/ServiceProviderConfig",
            "/scim/v2/ServiceProviderConfig;a=b", "/scim/v2/ServiceProviderConfig/" })
    void returns401WithoutATokenForEverySpellingOfAScimPath(String path) throws Exception {
        String response = rawGet(path);
        assertTrue(response.startsWith("HTTP/1.1 401"), path + " -> " + response);
        assertTrue(response.toLowerCase(java.util.Locale.ROOT).contains("www-authenticate: bearer"), response);
    }

    @ParameterizedTest
    @ValueSource(strings = { "Basic dXNlcjpwYXNzd29yZA==", "Token abc.def.ghi", "Digest username=\"okta\"", "Bearer",
            "Bearerabc.def.ghi" })
    void returns401ForANonBearerScheme(String authorization) {
        refused(given().header("Authorization", authorization).when().get(SCIM_PROBE).then(), "Bearer");
    }

    @Test
    void returns401ForAValidTokenSentWithoutAScheme() {
        refused(given().header("Authorization", Tokens.scimClient()).when().get(SCIM_PROBE).then(), "Bearer");
    }

    @ParameterizedTest
    @ValueSource(strings = { "garbage", "a.b.c", "eyJhbGciOiJSUzI1NiJ9..", "...." })
    void returns401ForAMalformedToken(String token) {
        refusedAsInvalid(withToken(token));
    }

    // --- 401: the token itself --------------------------------------------------------------------------------------

    @Test
    void returns401WhenTokenIsSignedWithAnotherKey() throws Exception {
        Map<String, Object> claims = Tokens.claimsOf(Tokens.scimClient());
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair attacker = generator.generateKeyPair();
        String forged = Jwt.issuer("rollcall").subject((String) claims.get("sub")).claim("org", claims.get("org"))
                .claim("jti", claims.get("jti")).issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(3600))
                .jws().keyId(serverKeyId()).sign(attacker.getPrivate());
        refusedAsInvalid(withToken(forged));
    }

    @Test
    void returns401WhenTheSignedPayloadIsSwappedForAnother() {
        // two live keys of the organization: the second's payload is valid on its own, so only the signature of the
        // first (made over the first's payload) can be what refuses the splice
        String signer = Tokens.scimClient();
        String other = Tokens.scimClient();
        withToken(other).statusCode(200);
        List<String> signed = Tokens.parts(signer);
        String spliced = signed.get(0) + "." + Tokens.parts(other).get(1) + "." + signed.get(2);
        refusedAsInvalid(withToken(spliced));
    }

    @Test
    void returns401ForAlgNone() {
        String real = Tokens.scimClient();
        Map<String, Object> claims = Tokens.claimsOf(real);
        String header = base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = base64Url(new JsonObject(claims).encode().getBytes(StandardCharsets.UTF_8));
        refusedAsInvalid(withToken(header + "." + payload + "."));
        // the same with the real token's own payload bytes, untouched
        refusedAsInvalid(withToken(header + "." + Tokens.parts(real).get(1) + "."));
    }

    @Test
    void returns401ForHs256SignedWithTheServersPublicKeyAsSecret() throws Exception {
        String real = Tokens.scimClient();
        String publicPem = Files.readString(Tokens.dataDir().resolve("keys/signing-key.pub.pem"));
        String header = base64Url(("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + serverKeyId() + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        String payload = Tokens.parts(real).get(1);
        for (String secret : List.of(publicPem, publicPem.trim())) {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String signature = base64Url(mac.doFinal((header + "." + payload).getBytes(StandardCharsets.US_ASCII)));
            refusedAsInvalid(withToken(header + "." + payload + "." + signature));
        }
    }

    @Test
    void returns401ForAnExpiredToken() {
        Map<String, Object> claims = Tokens.claimsOf(Tokens.scimClient());
        String expired = Tokens.signed((String) claims.get("sub"), (String) claims.get("org"), (String) claims.get("jti"),
                Instant.now().minus(Duration.ofHours(2)), Instant.now().minus(Duration.ofHours(1)));
        refusedAsInvalid(withToken(expired));
    }

    @Test
    void returns401ForAWrongIssuer() {
        Map<String, Object> claims = Tokens.claimsOf(Tokens.scimClient());
        String token = Jwt.issuer("https://evil.example").subject((String) claims.get("sub"))
                .claim("org", claims.get("org")).claim("jti", claims.get("jti"))
                .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(3600))
                .jws().keyId(serverKeyId()).sign(Tokens.serverPrivateKey());
        refusedAsInvalid(withToken(token));
    }

    @Test
    void returns401ForATokenWithoutTheOrganizationClaim() {
        Map<String, Object> claims = Tokens.claimsOf(Tokens.scimClient());
        // the same claims with the organization are a live key's token: the missing claim is the only fault
        withToken(Tokens.signed((String) claims.get("sub"), (String) claims.get("org"), (String) claims.get("jti"),
                Instant.now(), Instant.now().plusSeconds(3600))).statusCode(200);
        String token = Jwt.issuer("rollcall").subject((String) claims.get("sub")).claim("jti", claims.get("jti"))
                .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(3600))
                .jws().sign(Tokens.serverPrivateKey());
        refusedAsInvalid(withToken(token));
    }

    // --- 401: the token is well signed, but its key is not (or no longer) what it says ------------------------------

    @Test
    void returns401ForAnUnknownKey() {
        Map<String, Object> claims = Tokens.claimsOf(Tokens.scimClient());
        String token = Tokens.signed(UUID.randomUUID().toString(), (String) claims.get("org"),
                UUID.randomUUID().toString(), Instant.now(), Instant.now().plusSeconds(3600));
        refused(withToken(token), "revoked, expired or unknown");
    }

    @Test
    void returns401WhenTheOrganizationClaimIsAnotherOrganization() {
        Map<String, Object> claims = Tokens.claimsOf(Tokens.scimClient());
        String token = Tokens.signed((String) claims.get("sub"), UUID.randomUUID().toString(), (String) claims.get("jti"),
                Instant.now(), Instant.now().plusSeconds(3600));
        refused(withToken(token), "revoked, expired or unknown");
    }

    @Test
    void returns401WhenTheOrganizationClaimIsAnotherOrganizationWhileTheRealTokenIsInUse() {
        String real = Tokens.scimClient();
        withToken(real).statusCode(200); // the key is in active use, as an identity provider's would be
        Map<String, Object> claims = Tokens.claimsOf(real);
        String token = Tokens.signed((String) claims.get("sub"), UUID.randomUUID().toString(), (String) claims.get("jti"),
                Instant.now(), Instant.now().plusSeconds(3600));
        refused(withToken(token), "revoked, expired or unknown");
    }

    @Test
    void returns401WhenTheTokenIdIsNotTheKeys() {
        String real = Tokens.scimClient();
        withToken(real).statusCode(200);
        Map<String, Object> claims = Tokens.claimsOf(real);
        String token = Tokens.signed((String) claims.get("sub"), (String) claims.get("org"), UUID.randomUUID().toString(),
                Instant.now(), Instant.now().plusSeconds(3600));
        refused(withToken(token), "revoked, expired or unknown");
    }

    @Test
    void returns401OnceTheKeyIsRevoked() throws Exception {
        Tokens.CreatedKey key = Tokens.createKey(Map.of("name", "revoke-me-" + UUID.randomUUID(),
                "roles", List.of("scim-client")));
        withToken(key.token()).statusCode(200);

        given().auth().oauth2(Tokens.owner()).when().delete("/admin/v1/access-keys/" + key.id())
                .then().statusCode(204);

        List<Integer> seen = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(6).toNanos();
        int status;
        do {
            status = given().auth().oauth2(key.token()).when().get(SCIM_PROBE).statusCode();
            seen.add(status);
            if (status != 401) {
                Thread.sleep(250);
            }
        } while (status != 401 && System.nanoTime() < deadline);
        assertEquals(401, status, "a revoked key must stop working within the cache lifetime; saw " + seen);
        refused(withToken(key.token()), "revoked, expired or unknown");
    }

    @Test
    void returns401OnTheVeryNextRequestAfterRevokingOnThisInstance() {
        Tokens.CreatedKey key = Tokens.createKey(Map.of("name", "revoke-now-" + UUID.randomUUID(),
                "roles", List.of("scim-client")));
        withToken(key.token()).statusCode(200);
        withToken(key.token()).statusCode(200); // served from the caller cache

        given().auth().oauth2(Tokens.owner()).when().delete("/admin/v1/access-keys/" + key.id())
                .then().statusCode(204);

        refused(withToken(key.token()), "revoked, expired or unknown");
    }

    @Test
    void returns401AfterTheKeyExpires() throws Exception {
        Instant expiresAt = Instant.now().plusSeconds(3);
        Tokens.CreatedKey key = Tokens.createKey(Map.of("name", "expiring-" + UUID.randomUUID(),
                "roles", List.of("scim-client"), "expiresAt", expiresAt.toString()));
        assertEquals(expiresAt.getEpochSecond(), ((Number) Tokens.claimsOf(key.token()).get("exp")).longValue(),
                "the token's exp is the key's expiresAt");

        sleepUntil(expiresAt.plusMillis(500));

        refused(withToken(key.token()), "revoked, expired or unknown");
    }

    @Test
    void returns401AfterTheKeyExpiresEvenIfItWasUsedJustBefore() throws Exception {
        Instant expiresAt = Instant.now().plusSeconds(3);
        Tokens.CreatedKey key = Tokens.createKey(Map.of("name", "expiring-used-" + UUID.randomUUID(),
                "roles", List.of("scim-client"), "expiresAt", expiresAt.toString()));
        withToken(key.token()).statusCode(200);

        sleepUntil(expiresAt.plusMillis(500));

        refused(withToken(key.token()), "revoked, expired or unknown");
    }

    // --- 403: a live key, but not a SCIM Client ---------------------------------------------------------------------

    @Test
    void returns403ForAnOrganizationOwnerKeyBecauseItLacksScimClient() {
        assertScimError(given().auth().oauth2(Tokens.owner()).when().get(SCIM_PROBE).then(), 403, null, "SCIM Client");
    }

    @Test
    void returns403ForAnInboxAgentKey() {
        assertScimError(given().auth().oauth2(Tokens.withRoles("inbox-agent")).when().get(SCIM_PROBE).then(),
                403, null, "SCIM Client");
    }

    @Test
    void returns200WhenAKeyHoldsScimClientAmongOtherRoles() {
        given().auth().oauth2(Tokens.withRoles("inbox-agent", "scim-client")).when().get(SCIM_PROBE)
                .then().statusCode(200);
    }

    // --- The admin API uses the same gate, with problem details -----------------------------------------------------

    @Test
    void returns401ProblemWithBearerChallengeOnTheAdminApi() {
        assertProblem(given().when().get("/admin/v1/access-keys").then(), 401, "Bearer")
                .header("WWW-Authenticate", startsWith("Bearer"));
        assertProblem(given().auth().oauth2("not-a-token").when().get("/admin/v1/access-keys").then(), 401, "token")
                .header("WWW-Authenticate", startsWith("Bearer"));
    }

    @Test
    void adminApiAcceptsAScimClientKeyAtTheGateAndLeavesTheDecisionToTheEndpoint() {
        given().auth().oauth2(Tokens.scimClient()).when().get("/admin/v1/access-keys")
                .then().statusCode(403)
                .body("detail", org.hamcrest.Matchers.containsString("access-keys:read"));
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private static ValidatableResponse withToken(String token) {
        return given().header("Authorization", "Bearer " + token).when().get(SCIM_PROBE).then();
    }

    private static ValidatableResponse refused(ValidatableResponse response, String detailFragment) {
        return assertScimError(response, 401, null, detailFragment)
                .header("WWW-Authenticate", startsWith("Bearer"));
    }

    /**
     * Refused by the token check itself (signature, issuer, lifetime, claims), not by the key lookup that follows it:
     * the key lookup's refusal ("revoked, expired or unknown") would mean the faulty token got past the check.
     */
    private static ValidatableResponse refusedAsInvalid(ValidatableResponse response) {
        return refused(response, "The bearer token is not valid: it is malformed, not signed by this server, or expired")
                .body("detail", not(containsString("revoked, expired or unknown")));
    }

    private static String serverKeyId() {
        return given().when().get("/.well-known/jwks.json").then().extract().jsonPath().getString("keys[0].kid");
    }

    private static PublicKey rsaKey(String n, String e) throws Exception {
        return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                new BigInteger(1, Base64.getUrlDecoder().decode(n)), new BigInteger(1, Base64.getUrlDecoder().decode(e))));
    }

    private static boolean verifiesRs256(PublicKey key, String token) throws Exception {
        List<String> parts = Tokens.parts(token);
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(key);
        rsa.update((parts.get(0) + "." + parts.get(1)).getBytes(StandardCharsets.US_ASCII));
        return rsa.verify(Base64.getUrlDecoder().decode(parts.get(2)));
    }

    /** A request sent byte for byte, so that no client library normalises the path first. */
    private static String rawGet(String path) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("localhost", io.restassured.RestAssured.port)) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void sleepUntil(Instant instant) throws InterruptedException {
        long millis = Duration.between(Instant.now(), instant).toMillis();
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }
}
