package io.rollcall.admin;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * With {@code rollcall.operator.token-file} (a secret mounted into every instance) the operator's token is that file's,
 * and no token is generated into the data directory.
 */
@QuarkusTest
@TestProfile(OperatorTokenFileTest.FromFile.class)
@WithTestResource(PostgresResource.class)
class OperatorTokenFileTest {

    public static class FromFile implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path file = Files.createTempFile("operator", ".token");
                Files.writeString(file, "rco_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(32)) + "\n");
                return Map.of("rollcall.operator.token-file", file.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void theMountedSecretIsTheOperatorsTokenAndNoneIsGenerated() throws IOException {
        String token = Files.readString(Path.of(ConfigProvider.getConfig().getValue("rollcall.operator.token-file",
                String.class))).trim();
        given().auth().oauth2(token).when().get("/admin/v1/organizations").then().statusCode(200);
        given().auth().oauth2("rco_" + "0".repeat(64)).when().get("/admin/v1/organizations").then().statusCode(401);
        assertFalse(Files.exists(Tokens.dataDir().resolve("operator.token")));
    }
}
