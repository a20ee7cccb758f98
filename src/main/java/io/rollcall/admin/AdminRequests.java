package io.rollcall.admin;

import java.util.UUID;

import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.exceptions.ResourceNotFoundException;

import io.rollcall.service.ScimFailure;
import io.rollcall.resource.Ids;

/** What the admin endpoints share about requests: ids in paths, and the answer to a missing body. */
final class AdminRequests {

    private AdminRequests() {
    }

    /** Anything that is not a canonical UUID names nothing, so it is a 404 like an unknown id. */
    static UUID id(String id, String what) {
        return Ids.parse(id).orElseThrow(() -> ScimFailure.of(new ResourceNotFoundException("No " + what + " " + id
                + " in this organization")));
    }

    static ScimFailure bodyRequired(String example) {
        return ScimFailure.of(BadRequestException.invalidSyntax("Send a JSON object such as " + example));
    }
}
