package io.rollcall.scim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.exceptions.PreconditionFailedException;
import com.unboundid.scim2.common.exceptions.ResourceConflictException;
import com.unboundid.scim2.common.exceptions.ResourceNotFoundException;
import com.unboundid.scim2.common.exceptions.ScimException;

import io.rollcall.access.Principal;
import io.rollcall.auth.CurrentCaller;
import io.rollcall.config.RollcallConfig;
import io.rollcall.http.ApiError;
import io.rollcall.http.BodySizeLimit;
import io.rollcall.http.ErrorMapper;
import io.rollcall.http.JsonBodyException;
import io.rollcall.http.JsonProblems;
import io.rollcall.http.MediaTypes;
import io.rollcall.observability.RequestMetrics;
import io.rollcall.service.ETags;
import io.rollcall.store.StoredResource;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * {@code POST /scim/v2/Bulk} (RFC 7644 §3.7): many writes to Users, Groups and Roles in one request.
 * <pre>
 * → {"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], "Operations": [
 *      {"method": "POST", "path": "/Groups", "bulkId": "g1",
 *       "data": {"schemas": [...Group], "displayName": "Tour Guides", "members": [{"value": "bulkId:u1"}]}},
 *      {"method": "POST", "path": "/Users", "bulkId": "u1", "data": {"schemas": [...User], "userName": "alice"}}]}
 * ← 200 {"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkResponse"], "Operations": [
 *      {"location": "https://…/scim/v2/Groups/0193…", "method": "POST", "bulkId": "g1", "version": "W/\"0\"",
 *       "status": "201"},
 *      {"location": "https://…/scim/v2/Users/0193…", "method": "POST", "bulkId": "u1", "version": "W/\"0\"",
 *       "status": "201"}]}
 * </pre>
 * Each operation goes through the same {@link ResourceRequests} (validation, then the service with its access rules)
 * as its single request, under the request's caller, and answers what that request would ({@code status} as a
 * string, the SCIM Error as {@code response} when it fails, {@code location} except for a failed POST, the new
 * {@code version}); a successful operation's resource is not repeated (§3.7: the server may omit it).
 * <p>
 * <b>One transaction per operation.</b> Operations run one after another, each in the transaction its service opens,
 * as the single request does: an operation that fails rolls back entirely and leaves no partial write, and the others
 * are not undone (§3.7: the service provider "MUST continue performing as many changes as possible and disregard
 * partial failures"; only {@code failOnErrors} stops it, after that many errors, leaving the rest unrun and out of the
 * response). One transaction for the whole request would undo the successful operations when one fails and hold its
 * locks until the last operation, which is not what the RFC describes.
 * <p>
 * {@code bulkId} references ({@link BulkReferences}) are replaced by the ids they name just before their operation
 * runs, and operations run in the order {@link BulkPlan} gives: after the operations they refer to, otherwise as sent.
 * A reference that no POST of the request defines is a 400 {@code invalidValue}, as a value naming nothing is in the
 * single request; one whose POST failed, or that is part of a circular chain (§3.7.1), is a 409 naming the
 * {@code bulkId}s. Limits (§3.7.4): more than {@code maxOperations} operations, or a body over {@code maxPayloadSize},
 * is a 413 before anything runs (see {@link BodySizeLimit}).
 */
@Path(BodySizeLimit.BULK_PATH)
@Produces({ MediaTypes.SCIM_JSON, MediaTypes.JSON })
@Consumes({ MediaTypes.SCIM_JSON, MediaTypes.JSON })
public class BulkEndpoint {

    static final String RESPONSE_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";

    private static final Logger LOG = Logger.getLogger(BulkEndpoint.class);

    private final Map<String, ResourceRequests> byEndpoint = new HashMap<>();
    private final CurrentCaller caller;
    private final RollcallConfig config;
    private final RequestMetrics metrics;

    public BulkEndpoint(UserRequests users, GroupRequests groups, RoleRequests roles, CurrentCaller caller,
            RollcallConfig config, RequestMetrics metrics) {
        this.metrics = metrics;
        for (ResourceRequests requests : List.of(users, groups, roles)) {
            byEndpoint.put(requests.endpoint(), requests);
        }
        this.caller = caller;
        this.config = config;
    }

    @POST
    public Uni<Response> bulk(byte[] body, @Context UriInfo uriInfo) throws ScimException {
        BulkRequest request = BulkRequest.parse(parse(body), config.scim().bulk().maxOperations());
        Job job = new Job(request, caller.get(), ScimLocations.of(uriInfo));
        return Multi.createFrom().iterable(job.plan.order())
                .onItem().transformToUniAndConcatenate(job::run)
                .onItem().ignoreAsUni()
                .map(ignored -> Response.ok(job.response()).build());
    }

    private static JsonNode parse(byte[] body) {
        try {
            JsonNode tree = ScimJson.MAPPER.readTree(body);
            if (tree == null || tree.isMissingNode()) {
                throw new JsonBodyException(BadRequestException.invalidSyntax("The request body is empty; send a "
                        + "BulkRequest message"));
            }
            return tree;
        } catch (JsonProcessingException e) {
            throw new JsonBodyException(BadRequestException.invalidSyntax(JsonProblems.describe(e)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What one operation answered.
     *
     * @param location the resource's URL, or null (a failed POST, or a path naming no resource type)
     * @param version  the resource's ETag after the operation, or null
     * @param error    why it failed, or null
     * @param created  the id a POST created, or null
     */
    private record Outcome(String location, String version, int status, ApiError error, String created) {

        boolean failed() {
            return status >= 400;
        }
    }

    /** One Bulk request while it runs: its operations, their order, the ids created so far and what each answered. */
    private final class Job {

        private final BulkRequest request;
        private final Principal principal;
        private final ScimLocations locations;
        private final Map<String, BulkRequest.Operation> defined;
        private final List<Set<String>> references = new ArrayList<>();
        private final BulkPlan plan;
        private final Map<String, String> created = new HashMap<>();
        private final Outcome[] outcomes;
        private int errors;

        Job(BulkRequest request, Principal principal, ScimLocations locations) {
            this.request = request;
            this.principal = principal;
            this.locations = locations;
            this.defined = request.byBulkId();
            List<Set<Integer>> dependencies = new ArrayList<>();
            for (BulkRequest.Operation operation : request.operations()) {
                Set<String> names = operation.refusal() == null ? BulkReferences.of(operation) : Set.of();
                references.add(names);
                Set<Integer> on = new LinkedHashSet<>();
                for (String name : names) {
                    BulkRequest.Operation definer = defined.get(name);
                    if (definer != null) {
                        on.add(definer.index());
                    }
                }
                dependencies.add(on);
            }
            this.plan = BulkPlan.of(dependencies);
            this.outcomes = new Outcome[request.operations().size()];
        }

        /** Runs the operation unless {@code failOnErrors} was reached; its outcome is kept for the response. */
        Uni<Void> run(int index) {
            if (request.failOnErrors() != null && errors >= request.failOnErrors()) {
                return Uni.createFrom().voidItem();
            }
            BulkRequest.Operation operation = request.operations().get(index);
            // whatever goes wrong with one operation is that operation's answer, never the whole request's
            return Uni.createFrom().deferred(() -> outcome(operation)).onFailure().recoverWithItem(failure -> {
                ApiError error = ErrorMapper.describe(failure, BodySizeLimit.BULK_PATH);
                return new Outcome(null, null, error.status(), error, null);
            }).invoke(outcome -> {
                outcomes[index] = outcome;
                if (outcome.failed()) {
                    errors++;
                    LOG.debugf("Bulk operation %d (%s %s): %d %s", index + 1, operation.method(), operation.path(),
                            outcome.status(), outcome.error().detail());
                } else if (outcome.created() != null && operation.bulkId() != null) {
                    created.put(operation.bulkId(), outcome.created());
                }
            }).replaceWithVoid();
        }

        private Uni<Outcome> outcome(BulkRequest.Operation operation) {
            if (operation.refusal() != null) {
                return failed(operation, null, operation.refusal());
            }
            List<Integer> cycle = plan.cycle(operation.index());
            if (cycle != null) {
                return failed(operation, null, new ResourceConflictException("Circular bulkId references: "
                        + chain(cycle) + ". Each of these operations needs the id another one creates, so none of them "
                        + "was run (RFC 7644 §3.7.1); create the resources first and link them in a later operation"));
            }
            Map<String, String> ids = new HashMap<>();
            for (String name : references.get(operation.index())) {
                BulkRequest.Operation definer = defined.get(name);
                if (definer == null) {
                    return failed(operation, null, BadRequestException.invalidValue(BulkReferences.PREFIX + name
                            + " names no operation of this request: a bulkId is defined by a POST operation's \"bulkId\""));
                }
                String id = created.get(name);
                if (id == null) {
                    Outcome failure = outcomes[definer.index()];
                    return failed(operation, null, new ResourceConflictException(BulkReferences.PREFIX + name
                            + " cannot be resolved: operation " + (definer.index() + 1) + " (POST " + definer.path()
                            + ", bulkId " + name + ") failed" + (failure == null ? "" : " with status "
                                    + failure.status()) + ", so this operation was not run"));
                }
                ids.put(name, id);
            }
            if (!ids.isEmpty()) {
                BulkReferences.substitute(operation, ids);
            }
            String path = BulkReferences.resolvedPath(operation.path(), ids);
            int slash = path.indexOf('/', 1);
            String endpoint = slash < 0 ? path : path.substring(0, slash);
            String id = slash < 0 || slash == path.length() - 1 ? null : path.substring(slash + 1);
            ResourceRequests requests = path.startsWith("/") ? byEndpoint.get(endpoint) : null;
            if (requests == null) {
                return failed(operation, null, new ResourceNotFoundException("No SCIM endpoint at " + path
                        + "; an operation's path is relative to /scim/v2: /Users, /Groups or /Roles, with /<id> "
                        + "but for POST"));
            }
            String location = id == null ? null : locations.href(endpoint, id);
            if (operation.method().equals("POST") != (id == null)) {
                return failed(operation, location, new ScimException(405, null, operation.method().equals("POST")
                        ? "POST creates a resource at its type's endpoint (" + endpoint + "), not at " + path
                        : operation.method() + " needs the resource's path, " + endpoint + "/<id>"));
            }
            String version = operation.method().equals("POST") ? null : operation.version();
            if (version != null && version.isBlank()) {
                return failed(operation, location, new PreconditionFailedException("\"version\" is empty: it names no "
                        + "version, so it cannot hold and nothing was changed. Send the resource's ETag or leave it out"));
            }
            return Uni.createFrom().deferred(() -> {
                try {
                    return execute(requests, operation, id, version, location);
                } catch (ScimException e) {
                    return Uni.createFrom().failure(e);
                }
            }).onFailure().recoverWithItem(failure -> {
                ApiError error = ErrorMapper.describe(failure, BodySizeLimit.BULK_PATH);
                return new Outcome(operation.method().equals("POST") ? null : location, null, error.status(), error,
                        null);
            });
        }

        private Uni<Outcome> execute(ResourceRequests requests, BulkRequest.Operation operation, String id,
                String version, String location) throws ScimException {
            return switch (operation.method()) {
                case "POST" -> requests.create(principal, operation.data()).map(stored -> new Outcome(
                        locations.href(requests.endpoint(), stored.id().toString()), ETags.etag(stored.version()), 201,
                        null, stored.id().toString()));
                case "PUT" -> requests.replace(principal, id, version, operation.data())
                        .map(stored -> written(location, stored, 200));
                case "PATCH" -> requests.patch(principal, id, version, operation.data())
                        .map(stored -> written(location, stored, requests.patchStatus()));
                default -> requests.delete(principal, id, version).map(ignored -> new Outcome(location, null, 204, null,
                        null));
            };
        }

        private Outcome written(String location, StoredResource stored, int status) {
            return new Outcome(location, ETags.etag(stored.version()), status, null, null);
        }

        private Uni<Outcome> failed(BulkRequest.Operation operation, String location, ScimException refusal) {
            ApiError error = ErrorMapper.describe(refusal, BodySizeLimit.BULK_PATH);
            return Uni.createFrom().item(new Outcome("POST".equals(operation.method()) ? null : location, null,
                    error.status(), error, null));
        }

        private String chain(List<Integer> cycle) {
            List<String> names = new ArrayList<>();
            for (int index : cycle) {
                names.add(BulkReferences.PREFIX + request.operations().get(index).bulkId());
            }
            return String.join(" → ", names);
        }

        /** The BulkResponse: every operation that ran, in the request's order. */
        ObjectNode response() {
            ObjectNode response = ScimJson.MAPPER.createObjectNode();
            response.putArray("schemas").add(RESPONSE_SCHEMA);
            ArrayNode results = response.putArray("Operations");
            for (BulkRequest.Operation operation : request.operations()) {
                Outcome outcome = outcomes[operation.index()];
                if (outcome == null) {
                    continue;
                }
                ObjectNode result = results.addObject();
                if (outcome.location() != null) {
                    result.put("location", outcome.location());
                }
                if (operation.method() != null) {
                    result.put("method", operation.method());
                }
                if (operation.bulkId() != null) {
                    result.put("bulkId", operation.bulkId());
                }
                if (outcome.version() != null) {
                    result.put("version", outcome.version());
                }
                if (outcome.error() != null) {
                    result.set("response", ScimJson.MAPPER.valueToTree(outcome.error().scimError()));
                }
                result.put("status", String.valueOf(outcome.status()));
                metrics.bulkOperation(operation.method(), resourceType(operation.path()), outcome.status());
            }
            return response;
        }
    }

    /** The metric label of an operation's path: the resource type its endpoint serves. */
    private static String resourceType(String path) {
        if (path == null) {
            return "unknown";
        }
        String endpoint = path.startsWith("/") ? path.substring(1) : path;
        int slash = endpoint.indexOf('/');
        return switch (slash < 0 ? endpoint : endpoint.substring(0, slash)) {
            case "Users" -> "User";
            case "Groups" -> "Group";
            case "Roles" -> "Role";
            default -> "unknown";
        };
    }
}
