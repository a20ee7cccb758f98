package io.rollcall.http;

import java.util.Map;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.unboundid.scim2.common.messages.ErrorResponse;
import com.unboundid.scim2.common.utils.JsonUtils;

import io.rollcall.http.MediaTypes;
import io.rollcall.observability.RequestObservation;
import io.vertx.core.json.JsonObject;

/**
 * One error, rendered in the format of the API it happened in: a SCIM Error message (RFC 7644 §3.12) under
 * {@code /scim/v2}, an RFC 9457 problem elsewhere.
 *
 * @param scimType RFC 7644 §3.12 {@code scimType}, or null where the RFC defines none for the status
 * @param headers  extra response headers ({@code Allow}, {@code WWW-Authenticate})
 */
public record ApiError(int status, String scimType, String detail, Map<String, String> headers) {

    public static final String PROBLEM_JSON = "application/problem+json";

    /** The SDK's mapper, as {@code scim.ScimJson} uses it, for the SDK's {@code ErrorResponse}. */
    private static final ObjectMapper MAPPER = JsonUtils.createObjectMapper();

    public ApiError(int status, String scimType, String detail) {
        this(status, scimType, detail, Map.of());
    }

    /** A 500 that says nothing of the internals; the reference finds the logged cause. */
    public static ApiError unexpected(String reference) {
        return new ApiError(500, null, "The server failed to process the request; report reference " + reference
                + " to its operator");
    }

    public ApiError withHeader(String name, String value) {
        Map<String, String> all = new java.util.LinkedHashMap<>(headers);
        all.put(name, value);
        return new ApiError(status, scimType, detail, Map.copyOf(all));
    }

    public Response toResponse(Api api) {
        Response.ResponseBuilder response = api == Api.SCIM
                ? Response.status(status).type(MediaTypes.SCIM_JSON_UTF8).entity(scimBody())
                : Response.status(status).type(PROBLEM_JSON).entity(problemBody());
        headers.forEach(response::header);
        return response.build();
    }

    /** The body as a string: written by the String writer whatever the client's {@code Accept} said (406 included). */
    public String scimBody() {
        try {
            return MAPPER.writeValueAsString(scimError());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The SCIM Error message (RFC 7644 §3.12), e.g. for the {@code response} of a failed Bulk operation. */
    public ErrorResponse scimError() {
        ErrorResponse error = new ErrorResponse(status);
        error.setScimType(scimType);
        error.setDetail(detail);
        return error;
    }

    /**
     * The RFC 9457 problem; {@code scimType}, when there is one, travels as an extension member (RFC 9457 §3.2), so
     * that an admin client tells a {@code mutability} refusal from an {@code invalidValue} one as a SCIM client would;
     * {@code requestId} is the request's id, as in the {@code X-Request-Id} header and the log lines.
     */
    public String problemBody() {
        Response.Status known = Response.Status.fromStatusCode(status);
        JsonObject problem = new JsonObject()
                .put("type", "about:blank")
                .put("title", known == null ? "Error" : known.getReasonPhrase())
                .put("status", status)
                .put("detail", detail);
        if (scimType != null) {
            problem.put("scimType", scimType);
        }
        RequestObservation.currentId().ifPresent(id -> problem.put("requestId", id));
        return problem.encode();
    }
}
