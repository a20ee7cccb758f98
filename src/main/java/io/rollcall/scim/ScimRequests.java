package io.rollcall.scim;

import java.util.List;
import java.util.UUID;

import com.unboundid.scim2.common.exceptions.ResourceNotFoundException;
import com.unboundid.scim2.common.exceptions.ScimException;

import io.rollcall.service.ScimFailure;
import io.rollcall.service.ETags;
import io.rollcall.resource.Ids;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

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

    /**
     * A query parameter as the request sent it: null when absent, empty when present without a value. JAX-RS
     * {@code @QueryParam} answers null for both, but RFC 9865 §2 asks for the first page with an empty
     * {@code cursor} ({@code ?cursor&count=10}, or {@code ?cursor=}), which is not the absent cursor of index paging.
     */
    static String queryParameter(UriInfo uriInfo, String name) {
        List<String> values = uriInfo.getQueryParameters().get(name);
        if (values == null) {
            return null;
        }
        return values.stream().filter(v -> v != null && !v.isEmpty()).findFirst().orElse("");
    }

    /** A GET's {@code If-None-Match} (RFC 7644 §3.14): 304 with the ETag when it names the current version, else null. */
    static Response notModified(String ifNoneMatch, long version) {
        return ifNoneMatch != null && ETags.matches(ifNoneMatch, version)
                ? Response.notModified().header(HttpHeaders.ETAG, ETags.etag(version)).build()
                : null;
    }
}
