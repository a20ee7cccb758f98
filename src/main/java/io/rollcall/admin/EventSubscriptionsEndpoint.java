package io.rollcall.admin;

import java.net.URI;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestResponse;

import io.rollcall.admin.EventSubscriptionJson.CreateRequest;
import io.rollcall.admin.EventSubscriptionJson.Letter;
import io.rollcall.admin.EventSubscriptionJson.LetterList;
import io.rollcall.admin.EventSubscriptionJson.PatchRequest;
import io.rollcall.admin.EventSubscriptionJson.Redriven;
import io.rollcall.admin.EventSubscriptionJson.Subscription;
import io.rollcall.admin.EventSubscriptionJson.SubscriptionList;
import io.rollcall.auth.CurrentCaller;
import io.rollcall.service.EventSubscriptionService;
import io.smallrye.mutiny.Uni;

/**
 * {@code /admin/v1/event-subscriptions}: webhook subscriptions to change events (docs/events.md), their dead letters
 * and re-driving them. Every operation needs {@code events:manage}; Organization Owner and Account admin hold it.
 */
@Path("/admin/v1/event-subscriptions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class EventSubscriptionsEndpoint {

    private static final String MERGE_PATCH_JSON = "application/merge-patch+json";
    private static final String EXAMPLE = "{\"url\": \"https://events.example.com/rollcall\", \"eventTypes\": "
            + "[\"user.deactivated\", \"user.deleted\"], \"signing\": \"hmac\"}";

    private final EventSubscriptionService subscriptions;
    private final CurrentCaller caller;

    public EventSubscriptionsEndpoint(EventSubscriptionService subscriptions, CurrentCaller caller) {
        this.subscriptions = subscriptions;
        this.caller = caller;
    }

    @GET
    public Uni<SubscriptionList> list() {
        return subscriptions.list(caller.get())
                .map(all -> new SubscriptionList(all.size(), all.stream().map(Subscription::of).toList()));
    }

    @POST
    public Uni<RestResponse<Subscription>> create(CreateRequest request, @Context UriInfo uriInfo) {
        if (request == null) {
            return Uni.createFrom().failure(AdminRequests.bodyRequired(EXAMPLE));
        }
        return subscriptions.create(caller.get(), request.url(), request.eventTypes(), request.signing())
                .map(Subscription::of)
                .map(created -> RestResponse.ResponseBuilder
                        .<Subscription>created(URI.create(uriInfo.getAbsolutePath() + "/" + created.id()))
                        .header("Cache-Control", "no-store")
                        .entity(created).build());
    }

    @GET
    @Path("{id}")
    public Uni<Subscription> get(@PathParam("id") String id) {
        return subscriptions.get(caller.get(), AdminRequests.id(id, "event subscription")).map(Subscription::of);
    }

    @PATCH
    @Path("{id}")
    @Consumes({ MediaType.APPLICATION_JSON, MERGE_PATCH_JSON })
    public Uni<Subscription> update(@PathParam("id") String id, PatchRequest request) {
        if (request == null) {
            return Uni.createFrom().failure(AdminRequests.bodyRequired("{\"paused\": true}"));
        }
        return subscriptions.update(caller.get(), AdminRequests.id(id, "event subscription"), request.url(),
                request.eventTypes(), request.paused()).map(Subscription::of);
    }

    @DELETE
    @Path("{id}")
    public Uni<RestResponse<Void>> delete(@PathParam("id") String id) {
        return subscriptions.delete(caller.get(), AdminRequests.id(id, "event subscription"))
                .map(ignored -> RestResponse.noContent());
    }

    @GET
    @Path("{id}/dead-letters")
    public Uni<LetterList> deadLetters(@PathParam("id") String id) {
        return subscriptions.deadLetters(caller.get(), AdminRequests.id(id, "event subscription"))
                .map(all -> new LetterList(all.size(), all.stream().map(Letter::of).toList()));
    }

    /** Every dead letter of the subscription is sent again, in order, from a fresh count of attempts. */
    @POST
    @Path("{id}/dead-letters/redrive")
    @Consumes(MediaType.WILDCARD)
    public Uni<Redriven> redrive(@PathParam("id") String id) {
        return subscriptions.redrive(caller.get(), AdminRequests.id(id, "event subscription")).map(Redriven::new);
    }
}
