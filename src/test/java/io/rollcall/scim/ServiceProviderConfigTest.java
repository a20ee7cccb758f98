package io.rollcall.scim;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/** RFC 7644 §4 and RFC 7643 §5: the service provider configuration says exactly what is implemented. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ServiceProviderConfigTest {

    @Test
    void rfc9865_4_advertisesCursorAndIndexPaginationWithIndexTheDefaultAndTheCursorTimeout() {
        given().auth().oauth2(Tokens.scimClient())
                .when().get("/scim/v2/ServiceProviderConfig")
                .then().statusCode(200)
                .body("pagination.cursor", equalTo(true))
                .body("pagination.index", equalTo(true))
                .body("pagination.defaultPaginationMethod", equalTo("index"))
                .body("pagination.defaultPageSize", equalTo(100))
                .body("pagination.maxPageSize", equalTo(1000))
                .body("pagination.cursorTimeout", equalTo(3600));
    }

    @Test
    void rfc7643_5_advertisesBearerTokenAuthenticationAndOnlyWhatIsImplemented() {
        given().auth().oauth2(Tokens.scimClient())
                .when().get("/scim/v2/ServiceProviderConfig")
                .then().statusCode(200)
                .contentType(startsWith("application/scim+json"))
                .body("schemas", hasItem("urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"))
                .body("patch.supported", equalTo(true))
                .body("bulk.supported", equalTo(true))
                .body("bulk.maxOperations", equalTo(1000))
                .body("bulk.maxPayloadSize", equalTo(1048576))
                .body("filter.supported", equalTo(true))
                .body("filter.maxResults", equalTo(1000))
                .body("sort.supported", equalTo(true))
                .body("etag.supported", equalTo(true))
                .body("changePassword.supported", equalTo(true))
                .body("pagination.index", equalTo(true))
                .body("pagination.defaultPageSize", equalTo(100))
                .body("pagination.maxPageSize", equalTo(1000))
                .body("authenticationSchemes[0].type", equalTo("oauthbearertoken"))
                .body("authenticationSchemes[0].primary", equalTo(true))
                .body("meta.resourceType", equalTo("ServiceProviderConfig"))
                .body("meta.location", startsWith("http://"));
    }
}
