package io.rollcall.scim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.exceptions.ScimException;

/**
 * A Bulk request message (RFC 7644 §3.7), read strictly:
 * <pre>
 * {"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
 *  "failOnErrors": 1,
 *  "Operations": [
 *    {"method": "POST", "path": "/Users", "bulkId": "qwerty", "data": {…a User…}},
 *    {"method": "PATCH", "path": "/Groups/e9e3…", "version": "W/\"3\"", "data": {…a PatchOp…}}]}
 * </pre>
 * What makes the whole message unusable — not a BulkRequest, no {@code Operations} array, a {@code failOnErrors} that is
 * not a positive integer, more operations than {@code maxOperations} (413), two POSTs with one {@code bulkId} — refuses
 * it before anything runs. A malformed operation is refused on its own ({@link Operation#refusal()}), as its single
 * request would be, and the others still run. Attribute names are case-insensitive (RFC 7643 §2.1).
 */
final class BulkRequest {

    static final String SCHEMA = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
    static final Set<String> METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");

    /**
     * One operation as sent, before its {@code bulkId} references are resolved.
     *
     * @param index   its position in {@code Operations}, from 0
     * @param method  {@code POST}, {@code PUT}, {@code PATCH} or {@code DELETE} (upper case), or what was sent instead
     * @param path    the resource's path relative to {@code /scim/v2}, e.g. {@code /Users} or {@code /Users/<id>}
     * @param bulkId  the client's name for the resource a POST creates (RFC 7644 §3.7.2), or null
     * @param version the resource version the operation is conditional on (its {@code If-Match}), or null
     * @param data    the request body of a POST, PUT or PATCH
     * @param refusal why the operation cannot run whatever the others do, or null
     */
    record Operation(int index, String method, String path, String bulkId, String version, ObjectNode data,
            ScimException refusal) {
    }

    private final Integer failOnErrors;
    private final List<Operation> operations;

    private BulkRequest(Integer failOnErrors, List<Operation> operations) {
        this.failOnErrors = failOnErrors;
        this.operations = operations;
    }

    /** The number of errors after which the rest of the operations are not run, or null to run them all. */
    Integer failOnErrors() {
        return failOnErrors;
    }

    List<Operation> operations() {
        return operations;
    }

    /** The POST operations by their {@code bulkId}. */
    Map<String, Operation> byBulkId() {
        Map<String, Operation> defined = new HashMap<>();
        for (Operation operation : operations) {
            if (defines(operation)) {
                defined.put(operation.bulkId(), operation);
            }
        }
        return defined;
    }

    private static boolean defines(Operation operation) {
        return "POST".equals(operation.method()) && operation.bulkId() != null;
    }

    /**
     * @throws ScimException 400 for a message that is not a usable BulkRequest, 413 for more than
     *                       {@code maxOperations} operations; nothing of the request may run then
     */
    static BulkRequest parse(JsonNode body, int maxOperations) throws ScimException {
        if (body == null || !body.isObject()) {
            throw BadRequestException.invalidSyntax("The request body must be a JSON object, a BulkRequest message");
        }
        ObjectNode message = (ObjectNode) body;
        if (!listsSchema(field(message, "schemas"))) {
            throw BadRequestException.invalidSyntax("A Bulk request needs \"schemas\": [\"" + SCHEMA + "\"]");
        }
        JsonNode operations = field(message, "Operations");
        if (operations == null || !operations.isArray()) {
            throw BadRequestException.invalidSyntax("A Bulk request needs an \"Operations\" array");
        }
        if (operations.size() > maxOperations) {
            throw new ScimException(413, null, "The bulk request has " + operations.size() + " operations, more than "
                    + "the maxOperations (" + maxOperations + "); none of them was run");
        }
        Integer failOnErrors = failOnErrors(field(message, "failOnErrors"));
        List<Operation> parsed = new ArrayList<>(operations.size());
        for (JsonNode operation : operations) {
            parsed.add(operation(parsed.size(), operation));
        }
        Map<String, Integer> seen = new HashMap<>();
        for (Operation operation : parsed) {
            if (defines(operation)) {
                Integer first = seen.putIfAbsent(operation.bulkId(), operation.index());
                if (first != null) {
                    throw BadRequestException.invalidValue("Operations " + (first + 1) + " and " + (operation.index() + 1)
                            + " both have bulkId '" + operation.bulkId() + "'; a bulkId names one resource of the "
                            + "request (RFC 7644 §3.7)");
                }
            }
        }
        return new BulkRequest(failOnErrors, parsed);
    }

    private static boolean listsSchema(JsonNode schemas) {
        if (schemas != null && schemas.isArray()) {
            for (JsonNode urn : schemas) {
                if (urn.isTextual() && urn.textValue().equalsIgnoreCase(SCHEMA)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Integer failOnErrors(JsonNode value) throws BadRequestException {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 1) {
            throw BadRequestException.invalidValue("failOnErrors is the number of errors after which the rest of the "
                    + "operations are not run: a whole number of at least 1 (or leave it out to run them all), not "
                    + value);
        }
        return value.intValue();
    }

    private static Operation operation(int index, JsonNode node) {
        if (!node.isObject()) {
            return new Operation(index, null, null, null, null, null,
                    BadRequestException.invalidSyntax("Operation " + (index + 1) + " is not a JSON object"));
        }
        ObjectNode operation = (ObjectNode) node;
        String method = text(field(operation, "method"));
        String path = text(field(operation, "path"));
        JsonNode bulkIdNode = field(operation, "bulkId");
        JsonNode versionNode = field(operation, "version");
        JsonNode data = field(operation, "data");
        String bulkId = text(bulkIdNode);
        String version = text(versionNode);
        String normalized = method == null ? null : method.toUpperCase(Locale.ROOT);
        ObjectNode body = data instanceof ObjectNode object ? object : null;
        ScimException refusal = null;
        if (normalized == null || !METHODS.contains(normalized)) {
            refusal = BadRequestException.invalidValue("\"method\" must be POST, PUT, PATCH or DELETE"
                    + (method == null ? "" : ", not '" + method + "'"));
            normalized = method;
        } else if (path == null || path.isBlank()) {
            refusal = BadRequestException.invalidValue("\"path\" is required: a resource type endpoint such as /Users "
                    + "for POST, a resource such as /Users/<id> otherwise");
        } else if (bulkIdNode != null && !bulkIdNode.isNull() && (bulkId == null || bulkId.isEmpty())) {
            refusal = BadRequestException.invalidValue("\"bulkId\" must be a non-empty string");
        } else if (normalized.equals("POST") && bulkId == null) {
            refusal = BadRequestException.invalidValue("A POST operation needs a \"bulkId\", the name other operations "
                    + "use for the resource it creates (RFC 7644 §3.7)");
        } else if (versionNode != null && !versionNode.isNull() && version == null) {
            refusal = BadRequestException.invalidValue("\"version\" must be a string, the resource's ETag");
        } else if (!normalized.equals("DELETE") && body == null) {
            refusal = BadRequestException.invalidSyntax("A " + normalized + " operation needs \"data\": the JSON object "
                    + "its single request would send as the body");
        }
        return new Operation(index, normalized, path, bulkId, version, body, refusal);
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.textValue() : null;
    }

    /** The member named {@code name} in any case (RFC 7643 §2.1: attribute names are case-insensitive). */
    static JsonNode field(ObjectNode node, String name) {
        JsonNode exact = node.get(name);
        if (exact != null) {
            return exact;
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equalsIgnoreCase(name)) {
                return field.getValue();
            }
        }
        return null;
    }
}
