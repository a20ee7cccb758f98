package io.rollcall.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rollcall.support.PostgresResource;

/** The API description: OpenAPI for /scim/v2 and /admin/v1 at /q/openapi, with the bearer scheme; Swagger UI. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class OpenApiEndpointTest {

    @Test
    void describesTheScimAndAdminApisWithTheBearerScheme() {
        given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200)
                .body("info.title", equalTo("Rollcall"))
                .body("paths.'/scim/v2/Users'.get", notNullValue())
                .body("paths.'/scim/v2/Users/{id}'.patch", notNullValue())
                .body("paths.'/scim/v2/Groups/{id}'.patch", notNullValue())
                .body("paths.'/admin/v1/access-keys'.post", notNullValue())
                .body("components.securitySchemes.accessKey.scheme", equalTo("bearer"))
                .body("paths.'/scim/v2/Users'.get.security[0]", hasKey("accessKey"))
                .body("paths.'/admin/v1/access-keys'.post.security[0]", hasKey("accessKey"))
                .body("paths.'/.well-known/jwks.json'.get.security", nullValue());
    }

    @Test
    void swaggerUiIsServed() {
        given().when().get("/q/swagger-ui/")
                .then().statusCode(200)
                .body(containsString("swagger"));
    }
}
