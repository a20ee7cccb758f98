package io.rollcall.support;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.restassured.response.ValidatableResponse;

/** Asserts the RFC 7644 §3.12 error shape: schemas, status (as a string), scimType, and a detail a person can act on. */
public final class ScimErrors {

    public static final String ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";

    private ScimErrors() {
    }

    /** @param scimType the expected {@code scimType}, or null when RFC 7644 defines none for the status */
    public static ValidatableResponse assertScimError(ValidatableResponse response, int status, String scimType,
            String detailFragment) {
        return response
                .statusCode(status)
                .contentType(startsWith("application/scim+json"))
                .body("schemas[0]", equalTo(ERROR_SCHEMA))
                .body("schemas.size()", equalTo(1))
                .body("status", equalTo(String.valueOf(status)))
                .body("scimType", scimType == null ? nullValue() : equalTo(scimType))
                .body("detail", containsString(detailFragment))
                .body("detail", org.hamcrest.Matchers.not(containsString("io.rollcall")))
                .body("detail", org.hamcrest.Matchers.not(containsString("Exception")));
    }

    /** RFC 9457 problem details, the admin API's error shape. */
    public static ValidatableResponse assertProblem(ValidatableResponse response, int status, String detailFragment) {
        return response
                .statusCode(status)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(status))
                .body("title", org.hamcrest.Matchers.notNullValue())
                .body("detail", containsString(detailFragment))
                .body("detail", org.hamcrest.Matchers.not(containsString("io.rollcall")));
    }
}
