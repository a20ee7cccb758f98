package io.rollcall.http;

import com.unboundid.scim2.common.exceptions.BadRequestException;

/**
 * Carries the 400 {@code invalidSyntax} of a body that is not the JSON expected out of a message body reader: JAX-RS
 * wraps checked exceptions thrown while reading a body, this keeps the SCIM error intact for the error mapper.
 */
public final class JsonBodyException extends RuntimeException {

    private final BadRequestException scimError;

    public JsonBodyException(BadRequestException scimError) {
        super(scimError.getMessage(), null, false, false);
        this.scimError = scimError;
    }

    public BadRequestException scimError() {
        return scimError;
    }
}
