package io.rollcall.scim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.filters.EqualFilter;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.messages.PatchOpType;
import com.unboundid.scim2.common.messages.PatchOperation;
import com.unboundid.scim2.common.messages.PatchRequest;
import com.unboundid.scim2.common.types.AttributeDefinition.Mutability;
import com.unboundid.scim2.common.utils.FilterEvaluator;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.rollcall.resource.ResolvedAttribute;

/**
 * RFC 7644 §3.5.2 PATCH, in the dialects identity providers actually send, applied with the UnboundID SDK to a copy of
 * the stored document; all operations or none. Accepted without a flag:
 * <ul>
 * <li>Entra ID: {@code Add}/{@code Replace}/{@code Remove} capitalised; {@code "True"}/{@code "False"} strings for
 * booleans (converted by the validator); a no-path {@code value} object whose keys are dotted ({@code name.givenName})
 * or URN-qualified ({@code urn:...:enterprise:2.0:User:department}); the enterprise {@code manager} set from a plain id;
 * {@code add} on {@code emails[type eq "work"].value} when there is no work email yet (creates it).</li>
 * <li>Okta: {@code {"op":"replace","value":{"active":false}}}.</li>
 * </ul>
 * An operation making a value primary clears {@code primary} on the attribute's other values (RFC 7643 §2.4); one
 * marking two values primary is refused. Paths may be qualified with the core schema's URN (RFC 7644 §3.10).
 */
@RegisterForReflection(targets = { PatchRequest.class, PatchOperation.class })
public final class ScimPatch {

    public static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    private static final String MANAGER = "manager";

    private final ResourceSchema schema;
    private final List<Step> steps;

    private ScimPatch(ResourceSchema schema, List<Step> steps) {
        this.schema = schema;
        this.steps = steps;
    }

    /**
     * An operation as the SDK applies it, with the number (from 1) of the request's operation it comes from: a no-path
     * value with dotted or URN-qualified keys becomes several steps of one operation, and errors name the operation.
     */
    public record Step(int number, PatchOperation operation) {

        /** How an error names it: {@code Operation 2 (add members)}. */
        public String name() {
            return "Operation " + number + " (" + operation.getOpType().getStringValue()
                    + (operation.getPath() == null ? "" : " " + operation.getPath()) + ")";
        }

        /** Prefixes the error's detail with {@link #name()}; returns the error. */
        public <E extends ScimException> E named(E error) {
            error.getScimError().setDetail(name() + ": " + error.getScimError().getDetail());
            return error;
        }
    }

    public List<Step> steps() {
        return steps;
    }

    /** The same schema's patch with only these steps (e.g. what is left once membership deltas are taken out). */
    public ScimPatch with(List<Step> subset) {
        return new ScimPatch(schema, List.copyOf(subset));
    }

    /**
     * Parses and normalises the body; syntax errors are 400 {@code invalidSyntax}, unknown paths {@code invalidPath}, a
     * {@code remove} without a path {@code noTarget} (RFC 7644 §3.5.2.2).
     */
    public static ScimPatch parse(ObjectNode body, ResourceSchema schema) throws BadRequestException {
        JsonNode schemas = body.get("schemas");
        boolean patchOp = false;
        if (schemas != null && schemas.isArray()) {
            for (JsonNode urn : schemas) {
                patchOp |= urn.isTextual() && urn.textValue().equalsIgnoreCase(PATCH_OP);
            }
        }
        if (!patchOp) {
            throw BadRequestException.invalidSyntax("A PATCH body needs \"schemas\": [\"" + PATCH_OP + "\"]");
        }
        JsonNode operations = field(body, "Operations");
        if (operations == null || !operations.isArray() || operations.isEmpty()) {
            throw BadRequestException.invalidSyntax("A PATCH body needs a non-empty \"Operations\" array");
        }
        ArrayNode normalised = ScimJson.MAPPER.createArrayNode();
        List<Integer> numbers = new ArrayList<>();
        int index = 0;
        for (JsonNode operation : operations) {
            index++;
            if (!operation.isObject()) {
                throw BadRequestException.invalidSyntax("Operation " + index + " is not an object");
            }
            for (ObjectNode step : normalise((ObjectNode) operation, index, schema)) {
                normalised.add(step);
                numbers.add(index);
            }
        }
        ObjectNode request = ScimJson.MAPPER.createObjectNode();
        request.putArray("schemas").add(PATCH_OP);
        request.set("Operations", normalised);
        try {
            List<PatchOperation> parsed = ScimJson.MAPPER.treeToValue(request, PatchRequest.class).getOperations();
            List<Step> steps = new ArrayList<>(parsed.size());
            for (int i = 0; i < parsed.size(); i++) {
                Step step = new Step(numbers.get(i), parsed.get(i));
                try {
                    FilterLimits.check(step.operation().getPath());
                } catch (BadRequestException e) {
                    throw step.named(e);
                }
                steps.add(step);
            }
            return new ScimPatch(schema, List.copyOf(steps));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            Throwable cause = e.getCause();
            if (cause instanceof BadRequestException bad) {
                throw bad;
            }
            throw BadRequestException.invalidSyntax("The PATCH operations are not valid: " + e.getOriginalMessage());
        }
    }

    /**
     * Applies every operation to a copy of {@code document}; the first one that fails stops the whole request and is
     * named in the error. Operations on read-only attributes are refused with 400 {@code mutability}.
     */
    public ObjectNode applyTo(ObjectNode document, String resourceId) throws ScimException {
        ObjectNode patched = document.deepCopy();
        for (Step step : steps) {
            PatchOperation operation = step.operation();
            try {
                checkTarget(operation, resourceId);
                Map<String, List<JsonNode>> primariesBefore = primaries(patched);
                if (!addsMissingFilteredValue(operation, patched)) {
                    asApplied(operation).apply(patched);
                }
                keepPrimaryUnique(primariesBefore, patched);
            } catch (ScimException e) {
                throw step.named(e);
            }
        }
        return patched;
    }

    /**
     * {@code add} to a single-valued target replaces it (RFC 7644 §3.5.2.1); the SDK refuses an add to a filtered
     * sub-attribute that already has a value ({@code emails[type eq "work"].value}, as Entra ID sends), so such an add
     * is applied as the replace it means.
     */
    private static PatchOperation asApplied(PatchOperation operation) throws ScimException {
        Path path = operation.getPath();
        if (operation.getOpType() == PatchOpType.ADD && path != null && path.size() == 2
                && path.getElement(0).getValueFilter() != null) {
            return PatchOperation.replace(path, operation.getJsonNode());
        }
        return operation;
    }

    private void checkTarget(PatchOperation operation, String resourceId) throws BadRequestException {
        Path path = operation.getPath();
        if (path == null || path.isRoot()) {
            JsonNode value = operation.getJsonNode();
            if (value == null || !value.isObject()) {
                throw BadRequestException.invalidValue("Without a path, the value must be an object of attributes");
            }
            for (Iterator<String> names = value.fieldNames(); names.hasNext();) {
                String name = names.next();
                if (schema.extension(name).isPresent() || name.equalsIgnoreCase("schemas")) {
                    continue;
                }
                // Okta sends the resource's own id back in a no-path replace: that changes nothing; another id would
                if (name.equalsIgnoreCase("id") && value.get(name).asText("").equals(resourceId)) {
                    continue;
                }
                checkWritable(resolve(pathOf(name)), name);
            }
            return;
        }
        for (int i = 0; i < path.size(); i++) {
            if (path.getElement(i).getValueFilter() != null) {
                ResolvedAttribute filtered = resolve(path.subPath(i + 1).withoutFilters());
                if (filtered != null && !filtered.target().isMultiValued()) {
                    throw BadRequestException.invalidPath("'" + path + "': a value filter [...] picks values of a "
                            + "multi-valued attribute, and '" + filtered.display() + "' has a single value");
                }
            }
        }
        checkWritable(resolve(path.withoutFilters()), path.toString());
    }

    private ResolvedAttribute resolve(Path path) throws BadRequestException {
        Path attributePath = path.size() > 2 ? path.subPath(2) : path;
        if (attributePath.isRoot() && schema.extension(attributePath.getSchemaUrn()).isPresent()) {
            return null;
        }
        return schema.resolve(attributePath).orElseThrow(() -> BadRequestException.invalidPath("Unknown attribute '"
                + path + "' for " + schema.resourceType() + " resources"));
    }

    private static void checkWritable(ResolvedAttribute attribute, String name) throws BadRequestException {
        if (attribute == null) {
            return;
        }
        if (attribute.attribute().getMutability() == Mutability.READ_ONLY
                || (attribute.subAttribute() != null && attribute.subAttribute().getMutability() == Mutability.READ_ONLY)) {
            throw BadRequestException.mutability("'" + name + "' is read-only");
        }
    }

    /**
     * {@code add}/{@code replace} of {@code attr[sub eq "x"].field} when no value matches: Entra ID expects a new value
     * {@code {"sub": "x", "field": value}}; RFC 7644 would say noTarget for replace. Returns whether it did so.
     */
    private boolean addsMissingFilteredValue(PatchOperation operation, ObjectNode document) throws ScimException {
        Path path = operation.getPath();
        if (operation.getOpType() == PatchOpType.REMOVE || path == null || path.size() != 2) {
            return false;
        }
        Filter filter = path.getElement(0).getValueFilter();
        if (!(filter instanceof EqualFilter equal) || equal.getAttributePath().size() != 1) {
            return false;
        }
        ObjectNode parent = path.getSchemaUrn() != null && schema.extension(path.getSchemaUrn()).isPresent()
                ? (ObjectNode) document.get(schema.extension(path.getSchemaUrn()).get().getId()) : document;
        if (parent == null) {
            return false;
        }
        String attribute = canonicalName(path);
        JsonNode existing = parent.get(attribute);
        if (existing != null && existing.isArray()) {
            for (JsonNode element : existing) {
                if (FilterEvaluator.evaluate(filter, element)) {
                    return false;
                }
            }
        }
        ArrayNode values = existing != null && existing.isArray() ? (ArrayNode) existing : parent.putArray(attribute);
        ObjectNode created = values.addObject();
        created.set(equal.getAttributePath().getElement(0).getAttribute(), equal.getComparisonValue());
        created.set(path.getElement(1).getAttribute(), operation.getJsonNode());
        return true;
    }

    private String canonicalName(Path path) {
        return schema.resolve(Path.root(path.getSchemaUrn()).attribute(path.getElement(0).getAttribute()))
                .map(r -> r.attribute().getName()).orElse(path.getElement(0).getAttribute());
    }

    /**
     * The values marked primary in each multi-valued attribute of the document, core ({@code emails}) and extensions
     * ({@code urn:…:roles}); copies, as the SDK changes values in place.
     */
    private static Map<String, List<JsonNode>> primaries(ObjectNode document) {
        Map<String, List<JsonNode>> primaries = new HashMap<>();
        forEachMultiValued(document, (name, values) -> {
            for (JsonNode value : values) {
                if (isPrimary(value)) {
                    primaries.computeIfAbsent(name, n -> new ArrayList<>()).add(value.deepCopy());
                }
            }
        });
        return primaries;
    }

    /**
     * RFC 7643 §2.4: once an operation has made a value primary — an added value, a filtered replace of a value or of
     * its {@code primary} — the values that were primary before it are no longer. An operation that marks two values
     * is left as it is, for the validator to refuse.
     */
    private static void keepPrimaryUnique(Map<String, List<JsonNode>> before, ObjectNode document) {
        forEachMultiValued(document, (name, values) -> {
            List<JsonNode> earlier = new ArrayList<>(before.getOrDefault(name, List.of()));
            List<ObjectNode> kept = new ArrayList<>();
            boolean madePrimary = false;
            for (JsonNode value : values) {
                if (isPrimary(value)) {
                    if (earlier.remove(value)) {
                        kept.add((ObjectNode) value);
                    } else {
                        madePrimary = true;
                    }
                }
            }
            if (madePrimary) {
                kept.forEach(value -> value.remove(fieldName(value, "primary")));
            }
        });
    }

    private static boolean isPrimary(JsonNode value) {
        JsonNode primary = value.isObject() ? field(value, "primary") : null;
        return primary != null && (primary.asBoolean(false) || primary.asText("").equalsIgnoreCase("true"));
    }

    /** Every array of the document and of its extension objects, by name ({@code urn:…} for an extension's). */
    private static void forEachMultiValued(ObjectNode document, BiConsumer<String, ArrayNode> action) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = document.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue() instanceof ArrayNode values) {
                action.accept(field.getKey(), values);
            } else if (field.getValue().isObject() && field.getKey().startsWith("urn:")) {
                for (Iterator<Map.Entry<String, JsonNode>> inner = field.getValue().fields(); inner.hasNext();) {
                    Map.Entry<String, JsonNode> extensionField = inner.next();
                    if (extensionField.getValue() instanceof ArrayNode values) {
                        action.accept(field.getKey() + ":" + extensionField.getKey(), values);
                    }
                }
            }
        }
    }

    /** One request operation → one or more SDK-shaped operations. */
    private static List<ObjectNode> normalise(ObjectNode operation, int index, ResourceSchema schema)
            throws BadRequestException {
        JsonNode op = field(operation, "op");
        if (op == null || !op.isTextual()) {
            throw BadRequestException.invalidSyntax("Operation " + index + " has no \"op\" (add, replace or remove)");
        }
        String opName = op.textValue().toLowerCase(Locale.ROOT);
        if (!List.of("add", "replace", "remove").contains(opName)) {
            throw BadRequestException.invalidSyntax("Operation " + index + " has op '" + op.textValue()
                    + "'; it must be add, replace or remove");
        }
        JsonNode path = field(operation, "path");
        JsonNode value = field(operation, "value");
        if (path != null && !path.isNull() && !path.isTextual()) {
            throw BadRequestException.invalidSyntax("Operation " + index + ": \"path\" must be a string");
        }
        String pathText = path == null || path.isNull() || path.textValue().isBlank() ? null
                : unqualified(FilterLimits.checkSyntax(FilterLimits.checkLength(path.textValue(), "path of operation "
                        + index, BadRequestException.INVALID_PATH), "path of operation " + index,
                        BadRequestException.INVALID_PATH), schema);
        if (opName.equals("remove") && pathText == null) {
            // before the SDK, which would call it a syntax error
            throw BadRequestException.noTarget("Operation " + index + " (remove) needs a \"path\"");
        }
        if (opName.equals("remove") && value != null && !value.isNull()) {
            checkRemovedValue(index, pathText, schema);
        }
        if (!opName.equals("remove") && (value == null || value.isNull())) {
            throw BadRequestException.invalidValue("Operation " + index + " (" + opName + ") needs a \"value\"");
        }
        List<ObjectNode> out = new ArrayList<>();
        if (pathText == null && value != null && value.isObject()) {
            ObjectNode plain = ScimJson.MAPPER.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                String key = unqualified(field.getKey(), schema);
                boolean extensionObject = schema.extension(key).isPresent();
                if (!extensionObject && (key.contains(".") || key.startsWith("urn:"))) {
                    out.add(operation(opName, key, managerValue(key, field.getValue())));
                } else {
                    plain.set(key, field.getValue());
                }
            }
            if (!plain.isEmpty()) {
                out.add(0, operation(opName, null, plain));
            }
            return out;
        }
        out.add(operation(opName, pathText, pathText == null ? value : managerValue(pathText, value)));
        return out;
    }

    /**
     * A {@code remove} names what it removes with its path alone (RFC 7644 §3.5.2.2 gives it no value); the one value
     * taken is a member list on {@code members}, as Entra ID removes members. A value anywhere else is refused with
     * 400 {@code invalidValue} — "the value specified was not compatible with the operation" (§3.12) — rather than
     * removing the attribute whatever the value said: a single-valued attribute is removed whole by its path, and some
     * values of a multi-valued one are named by a filter in the path.
     */
    private static void checkRemovedValue(int index, String pathText, ResourceSchema schema) throws BadRequestException {
        Path path = Path.fromString(pathText);
        String operation = "Operation " + index + " (remove " + pathText + "): ";
        ResolvedAttribute target = schema.resolve(path.withoutFilters()).orElse(null);
        if (target == null) {
            return; // an unknown path: invalidPath, when the operation is read
        }
        boolean filtered = false;
        for (int i = 0; i < path.size(); i++) {
            filtered |= path.getElement(i).getValueFilter() != null;
        }
        if (!filtered && target.subAttribute() == null && target.extensionUrn() == null
                && target.attribute().isMultiValued() && target.attribute().getName().equalsIgnoreCase("members")) {
            return;
        }
        if (!target.target().isMultiValued() || filtered) {
            throw BadRequestException.invalidValue(operation + "remove takes no \"value\"; '" + target.display()
                    + "'" + (filtered ? " with its filter" : "") + " names what is removed, whatever its value, so "
                    + "leave \"value\" out to remove it, or replace it to change it");
        }
        throw BadRequestException.invalidValue(operation + "remove takes no \"value\" on '" + target.display()
                + "'; to remove some of its values name them with a filter in the path, e.g. " + target.display()
                + "[value eq \"...\"]");
    }

    /**
     * The path without the resource's core schema URN ({@code urn:ietf:params:scim:schemas:core:2.0:User:name.givenName}
     * is {@code name.givenName}, RFC 7644 §3.10); the SDK would take the URN for an extension's.
     */
    private static String unqualified(String path, ResourceSchema schema) {
        String prefix = schema.core().getId() + ":";
        return path.regionMatches(true, 0, prefix, 0, prefix.length()) ? path.substring(prefix.length()) : path;
    }

    /** Entra ID sets the enterprise manager with a bare id; the schema wants {@code {"value": id}}. */
    private static JsonNode managerValue(String path, JsonNode value) {
        if (value != null && value.isTextual() && path.toLowerCase(Locale.ROOT).endsWith(":" + MANAGER)) {
            ObjectNode manager = ScimJson.MAPPER.createObjectNode();
            manager.set("value", value);
            return manager;
        }
        return value;
    }

    private static ObjectNode operation(String op, String path, JsonNode value) {
        ObjectNode operation = ScimJson.MAPPER.createObjectNode();
        operation.put("op", op);
        if (path != null) {
            operation.put("path", path);
        }
        if (value != null) {
            operation.set("value", value);
        }
        return operation;
    }

    private static Path pathOf(String name) throws BadRequestException {
        return Path.fromString(name);
    }

    private static String fieldName(JsonNode node, String name) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String candidate = names.next();
            if (candidate.equalsIgnoreCase(name)) {
                return candidate;
            }
        }
        return name;
    }

    private static JsonNode field(JsonNode node, String name) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equalsIgnoreCase(name)) {
                return field.getValue();
            }
        }
        return null;
    }

}
