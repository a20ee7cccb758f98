package io.rollcall.scim;

import java.util.UUID;

import com.unboundid.scim2.common.exceptions.ResourceNotFoundException;
import com.unboundid.scim2.common.exceptions.ScimException;

import io.rollcall.service.ScimFailure;
import io.rollcall.service.ETags;
import io.rollcall.resource.Ids;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/** Small pieces every SCIM resource endpoint needs. */
final class ScimRequests {

    /** A computation that may throw the SDK's checked {@link ScimException}. */
    interface ScimSupplier<T> {
        T get() throws ScimException;
    }

    private ScimRequests() {
    }

    /** Runs {@code supplier} where only unchecked exceptions may leave (reactive callbacks); the mapper unwraps them. */
    static <T> T unchecked(ScimSupplier<T> supplier) {
        try {
            return supplier.get();
        } catch (ScimException e) {
            throw ScimFailure.of(e);
        }
    }

    /** A resource id from the path: ids are UUIDs, so anything else names no resource (404, not 400). */
    static UUID resourceId(String id, String resourceType) {
        return Ids.parse(id).orElseThrow(() -> ScimFailure.of(new ResourceNotFoundException("No "
                + resourceType.toLowerCase() + " " + id + " in this organization")));
    }

    /** A GET's {@code If-None-Match} (RFC 7644 §3.14): 304 with the ETag when it names the current version, else null. */
    static Response notModified(String ifNoneMatch, long version) {
        return ifNoneMatch != null && ETags.matches(ifNoneMatch, version)
                ? Response.notModified().header(HttpHeaders.ETAG, ETags.etag(version)).build()
                : null;
    }
}
