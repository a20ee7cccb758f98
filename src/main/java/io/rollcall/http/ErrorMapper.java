package io.rollcall.http;

import java.util.Optional;
import java.util.UUID;

import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.exceptions.ScimException;

import io.rollcall.observability.RequestObservation;
import io.rollcall.service.ScimFailure;
import io.rollcall.service.StoreFailures;

/**
 * The one place where exceptions become HTTP errors, for every API. Services throw the SDK's {@link ScimException}s;
 * the HTTP layer's own refusals (404, 405, 406, 415) and body parsing errors are translated here, and so are values
 * PostgreSQL refused (400 invalidValue, {@link StoreFailures#refusedValue}); an unreachable database
 * ({@link StoreFailures#unavailable}) and a heap too small for a request are 503s with {@code Retry-After}; anything
 * else is a 500 whose body names a reference to the log line, never a class name or a stack trace; its reference is the request's id ({@code X-Request-Id}). Client errors are logged at DEBUG, server
 * errors at WARN (out of heap at ERROR).
 */
public class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);
    private static final String BEARER_CHALLENGE = "Bearer realm=\"rollcall\"";
    /** What {@code Retry-After} asks of a client when the database is away: a restart or fail-over takes seconds. */
    public static final int RETRY_AFTER_SECONDS = 5;

    private final AllowedMethods allowedMethods;

    public ErrorMapper(AllowedMethods allowedMethods) {
        this.allowedMethods = allowedMethods;
    }

    @ServerExceptionMapper
    public Response scim(ScimException e, UriInfo uriInfo) {
        ApiError error = describe(e, uriInfo.getPath());
        if (error.status() == 401) {
            error = error.withHeader(HttpHeaders.WWW_AUTHENTICATE, BEARER_CHALLENGE);
        }
        return respond(error, uriInfo);
    }

    @ServerExceptionMapper
    public Response wrapped(ScimFailure e, UriInfo uriInfo) {
        return scim(e.scimException(), uriInfo);
    }

    @ServerExceptionMapper
    public Response body(JsonBodyException e, UriInfo uriInfo) {
        return scim(e.scimError(), uriInfo);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uriInfo) {
        return respond(new ApiError(400, "invalidSyntax", JsonProblems.describe(e)), uriInfo);
    }

    /** More specific than Quarkus' built-in mapper for this type, which answers an empty 400. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e, UriInfo uriInfo) {
        return json(e, uriInfo);
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e, UriInfo uriInfo, HttpHeaders headers) {
        if (e.getCause() instanceof JsonBodyException body) {
            return body(body, uriInfo);
        }
        if (e.getCause() instanceof JsonProcessingException json) {
            return json(json, uriInfo);
        }
        int status = e.getResponse().getStatus();
        String path = "/" + uriInfo.getPath().replaceFirst("^/", "");
        ApiError error;
        if (e instanceof NotFoundException) {
            error = new ApiError(404, null, "Nothing at " + path);
        } else if (e instanceof NotAllowedException) {
            String allow = String.join(", ", allowedMethods.at(path));
            error = new ApiError(405, null, "This endpoint does not support that method; allowed: " + allow)
                    .withHeader(HttpHeaders.ALLOW, allow);
        } else if (e instanceof NotAcceptableException) {
            error = new ApiError(406, null, "This endpoint answers in " + produces(path) + " only; the request's Accept "
                    + "header (" + headers.getHeaderString(HttpHeaders.ACCEPT) + ") allows neither");
        } else if (e instanceof NotSupportedException) {
            error = new ApiError(415, null, "Send the request body as " + produces(path) + " (the request's "
                    + "Content-Type was " + headers.getHeaderString(HttpHeaders.CONTENT_TYPE) + ")");
        } else if (status == 413) {
            error = new ApiError(413, null, "The request body is larger than this server accepts");
        } else if (status >= 500) {
            return unexpected(e, uriInfo);
        } else {
            Response.Status known = Response.Status.fromStatusCode(status);
            error = new ApiError(status, status == 400 ? "invalidSyntax" : null,
                    known == null ? "The request was refused" : known.getReasonPhrase());
        }
        return respond(error, uriInfo);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uriInfo) {
        return respond(describe(e, uriInfo.getPath()), uriInfo);
    }

    /**
     * The error a failure is answered with, as every mapper here answers it: a SCIM exception as it is, a body that is
     * not JSON as 400 {@code invalidSyntax}, a value PostgreSQL refused as 400 {@code invalidValue}, a heap too small
     * as 503 with {@code Retry-After}, anything else as a 500 naming a logged reference. Also what one operation of a
     * Bulk request answers (RFC 7644 §3.7.3: "the same status codes as for the equivalent non-bulk operations").
     *
     * @param path where it happened, for the log
     */
    public static ApiError describe(Throwable e, String path) {
        if (e instanceof ScimFailure failure) {
            return describe(failure.scimException(), path);
        }
        if (e instanceof ScimException scim) {
            return new ApiError(scim.getScimError().getStatus(), scim.getScimError().getScimType(), scim.getMessage());
        }
        if (e instanceof JsonBodyException body) {
            return describe(body.scimError(), path);
        }
        if (e instanceof JsonProcessingException json) {
            return new ApiError(400, "invalidSyntax", JsonProblems.describe(json));
        }
        Optional<BadRequestException> refused = StoreFailures.refusedValue(e);
        if (refused.isPresent()) {
            // validation should have refused it: worth knowing, but the client's fault, not the server's
            LOG.infof("The store refused a value on %s that validation let through: %s", path, e);
            return describe(refused.get(), path);
        }
        // the request's id: the same in the log line, the X-Request-Id header and the body
        String reference = RequestObservation.currentId().orElseGet(() -> UUID.randomUUID().toString());
        if (StoreFailures.unavailable(e)) {
            LOG.warnf("The database is unreachable on %s (reference %s): %s", path, reference, rootCause(e));
            return databaseUnavailable(reference);
        }
        if (outOfMemory(e)) {
            // a request within the advertised limits that this heap cannot hold now: sizing, not the client's fault
            LOG.errorf("Out of heap on %s (reference %s): size the heap for the requests taken (docs/performance.md, \"Memory\")",
                    path, reference);
            return new ApiError(503, null, "The server has not enough memory for this request now; retry later "
                    + "(reference " + reference + ")").withHeader("Retry-After", "5");
        }
        LOG.warnf(e, "Unexpected failure on %s (reference %s)", path, reference);
        return ApiError.unexpected(reference);
    }

    /**
     * The 503 of a request the database could not serve now (stopped, restarting, failing over, no connection free
     * within {@code rollcall.database.acquisition-timeout}): the client retries after {@link #RETRY_AFTER_SECONDS}.
     */
    public static ApiError databaseUnavailable(String reference) {
        return new ApiError(503, null, "The server cannot reach its database now; retry the request in a few seconds "
                + "(reference " + reference + ")").withHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
    }

    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.toString();
    }

    private static boolean outOfMemory(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof OutOfMemoryError) {
                return true;
            }
        }
        return false;
    }

    private static Response respond(ApiError error, UriInfo uriInfo) {
        RequestObservation.error(error.scimType());
        LOG.debugf("%d on %s: %s", error.status(), uriInfo.getPath(), error.detail());
        return error.toResponse(Api.of(uriInfo.getPath()));
    }

    private static String produces(String path) {
        return Api.of(path) == Api.SCIM ? "application/scim+json or application/json" : "application/json";
    }
}
