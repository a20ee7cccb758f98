package io.rollcall.service;

import com.unboundid.scim2.common.exceptions.ScimException;

/**
 * Carries a checked SDK {@link ScimException} through reactive pipelines and lambdas; the error mapper unwraps it, so
 * the client sees the SCIM error (status, scimType, detail) as if it had been thrown directly.
 */
public final class ScimFailure extends RuntimeException {

    public ScimFailure(ScimException cause) {
        super(cause.getMessage(), cause, false, false);
    }

    public ScimException scimException() {
        return (ScimException) getCause();
    }

    public static ScimFailure of(ScimException cause) {
        return new ScimFailure(cause);
    }
}
