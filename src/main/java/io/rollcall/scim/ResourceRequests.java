package io.rollcall.scim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.exceptions.ScimException;

import io.rollcall.access.Principal;
import io.rollcall.store.StoredResource;
import io.smallrye.mutiny.Uni;

/**
 * The write requests of one resource type (RFC 7644 §3.3, §3.5.1, §3.5.2, §3.6): a request body is parsed and
 * validated against the type's schema, then handed to the type's service, which opens the transaction and applies the
 * access rules. The resource endpoint and {@link BulkEndpoint} both go through here, so that an operation of a Bulk
 * request is checked exactly as the single request would be; what each answers (projection, headers) stays with them.
 * <p>
 * A refusal comes either thrown ({@link ScimException} while parsing a create, before anything is read) or as the
 * returned {@code Uni}'s failure; in both cases nothing was written. For {@code PUT} and {@code PATCH}, an id that
 * names no resource of the caller's organization is refused with 404 before the body is ({@link NotFoundFirst}).
 */
interface ResourceRequests {

    /** The resource type's endpoint, {@code /Users}, {@code /Groups} or {@code /Roles}. */
    String endpoint();

    /** {@code POST <endpoint>}: the created resource (its id and version at least). */
    Uni<StoredResource> create(Principal caller, ObjectNode body) throws ScimException;

    /**
     * {@code PUT <endpoint>/<id>} with the request's {@code If-Match} (null when absent). An id of no resource of the
     * caller's organization is 404 even when the body is refused too ({@link NotFoundFirst}), as for {@link #patch}.
     */
    Uni<StoredResource> replace(Principal caller, String id, String ifMatch, ObjectNode body) throws ScimException;

    /**
     * {@code PATCH <endpoint>/<id>}: the resource as the patch left it; a group whose members only changed comes back
     * with its id and version alone ({@link StoredResource#data()} null), as no row was read.
     */
    Uni<StoredResource> patch(Principal caller, String id, String ifMatch, ObjectNode body) throws ScimException;

    /** The status of a successful {@link #patch} whose request does not ask for the resource back. */
    default int patchStatus() {
        return 200;
    }

    /** {@code DELETE <endpoint>/<id>}. */
    Uni<Void> delete(Principal caller, String id, String ifMatch) throws ScimException;
}
