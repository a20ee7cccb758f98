package io.rollcall.scim;

import java.util.function.Supplier;

import com.unboundid.scim2.common.exceptions.ScimException;

import io.rollcall.service.ScimFailure;
import io.smallrye.mutiny.Uni;

/**
 * The order in which a write to one resource ({@code PUT} or {@code PATCH} on {@code <endpoint>/<id>}, alone or as a
 * Bulk operation) is refused: the id first — one that names no resource of the caller's organization (another
 * organization's included) is 404 — then the body (400, and the 403 or 409 a body can draw). RFC 7644 does not order
 * them; the resource is what the request is about, and a 400 would have a client mend a body it should not have sent at
 * all. The body is still read first, as the writes need (a group's members are locked before its row), and only once
 * it is refused is the id looked up, so that a valid write costs no extra read.
 * <p>
 * What the HTTP layer refuses before any endpoint runs (a body that is not JSON, a media type or size refused) is the
 * message, not the resource's content, and keeps its 400, 415 or 413.
 */
final class NotFoundFirst {

    private NotFoundFirst() {
    }

    /**
     * @param write  the write, which may refuse the body by throwing or by failing
     * @param lookup reads the resource, failing with 404 when the caller's organization has none with this id
     */
    static <T> Uni<T> write(ScimRequests.ScimSupplier<Uni<T>> write, Supplier<Uni<?>> lookup) {
        Uni<T> attempt;
        try {
            attempt = write.get();
        } catch (ScimException e) {
            attempt = Uni.createFrom().failure(ScimFailure.of(e));
        } catch (ScimFailure e) {
            attempt = Uni.createFrom().failure(e);
        }
        return attempt.onFailure(NotFoundFirst::refusesTheBody).recoverWithUni(refusal -> Uni.createFrom()
                .deferred(lookup).onItem().<T>transformToUni(found -> Uni.createFrom().failure(refusal)));
    }

    private static boolean refusesTheBody(Throwable failure) {
        ScimException refusal = failure instanceof ScimFailure wrapped ? wrapped.scimException()
                : failure instanceof ScimException scim ? scim : null;
        if (refusal == null) {
            return false;
        }
        int status = refusal.getScimError().getStatus();
        return status == 400 || status == 403 || status == 409;
    }
}
