package io.rollcall.scim;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * {@code bulkId} references (RFC 7644 §3.7.2): within a Bulk request, {@code "bulkId:qwerty"} stands for the id of the
 * resource that the POST with {@code "bulkId": "qwerty"} creates, and is replaced by that id before the operation that
 * holds it is validated. A reference is any string value that is exactly {@code bulkId:<name>}, wherever it sits in the
 * data (a group's {@code members[].value}, a user's {@code roles}, the enterprise {@code manager.value}, a PATCH
 * operation's {@code value}), a quoted {@code "bulkId:<name>"} inside a PATCH operation's {@code path} filter
 * ({@code members[value eq "bulkId:u1"]}), and an operation's own path ({@code /Users/bulkId:u1}).
 */
final class BulkReferences {

    static final String PREFIX = "bulkId:";

    /** A reference quoted in a filter: {@code "bulkId:<name>"}. */
    private static final Pattern IN_FILTER = Pattern.compile("\"" + PREFIX + "([^\"]*)\"");

    private BulkReferences() {
    }

    /** The names of the {@code bulkId}s the operation refers to, in the order they appear. */
    static Set<String> of(BulkRequest.Operation operation) {
        Set<String> names = new LinkedHashSet<>();
        String pathId = pathId(operation.path());
        if (pathId != null && pathId.startsWith(PREFIX)) {
            names.add(pathId.substring(PREFIX.length()));
        }
        if (operation.data() != null) {
            collect(operation.data(), names);
            for (ObjectNode step : patchSteps(operation)) {
                Matcher matcher = IN_FILTER.matcher(BulkRequest.field(step, "path").textValue());
                while (matcher.find()) {
                    names.add(matcher.group(1));
                }
            }
        }
        return names;
    }

    /**
     * Replaces every reference of the operation's data, in place, with the id it names; {@code ids} holds the id of
     * each name the operation refers to.
     */
    static void substitute(BulkRequest.Operation operation, Map<String, String> ids) {
        if (operation.data() == null) {
            return;
        }
        for (ObjectNode step : patchSteps(operation)) {
            Matcher matcher = IN_FILTER.matcher(BulkRequest.field(step, "path").textValue());
            StringBuilder out = new StringBuilder();
            while (matcher.find()) {
                matcher.appendReplacement(out, Matcher.quoteReplacement("\"" + ids.get(matcher.group(1)) + "\""));
            }
            matcher.appendTail(out);
            step.put(fieldName(step, "path"), out.toString());
        }
        replace(operation.data(), ids);
    }

    /** The operation's path with a {@code bulkId:<name>} id replaced by the id it names (unchanged otherwise). */
    static String resolvedPath(String path, Map<String, String> ids) {
        String id = pathId(path);
        if (id == null || !id.startsWith(PREFIX) || !ids.containsKey(id.substring(PREFIX.length()))) {
            return path;
        }
        return path.substring(0, path.length() - id.length()) + ids.get(id.substring(PREFIX.length()));
    }

    /** The last segment of {@code /<Type>/<id>}, or null for another shape. */
    static String pathId(String path) {
        if (path == null || !path.startsWith("/")) {
            return null;
        }
        int slash = path.indexOf('/', 1);
        return slash < 0 || slash == path.length() - 1 ? null : path.substring(slash + 1);
    }

    private static void collect(JsonNode node, Set<String> names) {
        if (node.isTextual()) {
            if (node.textValue().startsWith(PREFIX)) {
                names.add(node.textValue().substring(PREFIX.length()));
            }
        } else if (node.isContainerNode()) {
            node.forEach(child -> collect(child, names));
        }
    }

    private static void replace(JsonNode node, Map<String, String> ids) {
        if (node instanceof ObjectNode object) {
            // by name, not through the entries: the SDK's case-insensitive nodes hand out copies of them
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode value = object.get(name);
                String id = idOf(value, ids);
                if (id != null) {
                    object.set(name, TextNode.valueOf(id));
                } else {
                    replace(value, ids);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                String id = idOf(array.get(i), ids);
                if (id != null) {
                    array.set(i, TextNode.valueOf(id));
                } else {
                    replace(array.get(i), ids);
                }
            }
        }
    }

    private static String idOf(JsonNode value, Map<String, String> ids) {
        return value.isTextual() && value.textValue().startsWith(PREFIX)
                ? ids.get(value.textValue().substring(PREFIX.length())) : null;
    }

    /** The operations of a PATCH body whose {@code path} holds a reference. */
    private static List<ObjectNode> patchSteps(BulkRequest.Operation operation) {
        List<ObjectNode> steps = new ArrayList<>();
        JsonNode operations = "PATCH".equals(operation.method()) ? BulkRequest.field(operation.data(), "Operations")
                : null;
        if (operations != null && operations.isArray()) {
            for (JsonNode step : operations) {
                if (step instanceof ObjectNode object && BulkRequest.field(object, "path") instanceof TextNode path
                        && path.textValue().contains(PREFIX)) {
                    steps.add(object);
                }
            }
        }
        return steps;
    }

    private static String fieldName(ObjectNode node, String name) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String candidate = names.next();
            if (candidate.equalsIgnoreCase(name)) {
                return candidate;
            }
        }
        return name;
    }
}
