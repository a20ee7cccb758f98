package io.rollcall.scim;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.types.AttributeDefinition;
import com.unboundid.scim2.common.types.AttributeDefinition.Mutability;
import com.unboundid.scim2.common.types.AttributeDefinition.Type;
import com.unboundid.scim2.common.types.SchemaResource;

/**
 * Checks a resource a client sent (POST, PUT, or the result of a PATCH) against its {@link ResourceSchema} and returns
 * it in canonical form: attribute names in their schema spelling (RFC 7643 §2.1 names are case-insensitive), canonical
 * values in their listed spelling, {@code "True"}/{@code "False"} strings as booleans (Entra ID sends them), unassigned
 * values (null, empty arrays) removed, and {@code schemas} listing exactly the schemas in use: a schema URI the server
 * does not know is dropped when the body has no attributes under it.
 *
 * <p>Refused with 400: unknown attributes ({@code invalidValue} naming them), wrong types, values outside
 * {@code canonicalValues}, a missing required attribute, more than one {@code primary} value, a string holding a NUL
 * character (PostgreSQL stores none) or an unpaired UTF-16 surrogate (no character; stored, it could not be written
 * back), a value of an indexed attribute longer than {@link IndexedValues#MAX_LENGTH}
 * characters, more than {@link #MAX_VALUES} values in a multi-valued attribute, and changing an {@code immutable}
 * attribute ({@code mutability}). {@code readOnly} values are ignored
 * (RFC 7644 §3.5.1); write-only values ({@code password}) are taken out and handed back separately, never stored with
 * the rest.
 */
public final class ResourceValidator {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The canonical document and the write-only values that were removed from it, by attribute name. */
    public record Validated(ObjectNode document, Map<String, JsonNode> writeOnly) {
    }

    /**
     * Values of one multi-valued attribute kept in the resource's document (a user's emails, phone numbers,
     * entitlements...): far more than any identity provider sends, and few enough that a document stays small to
     * store, index and write (100,000 emails took more than an 80 MiB heap). {@code members} is not counted: groups'
     * and roles' members are rows of their own tables, and a group may have 100,000.
     */
    static final int MAX_VALUES = 1_000;

    private final ResourceSchema schema;
    private final Set<String> indexed;

    public ResourceValidator(ResourceSchema schema) {
        this(schema, Set.of());
    }

    /** @param indexed the attributes whose values are limited to {@link IndexedValues#MAX_LENGTH} characters */
    public ResourceValidator(ResourceSchema schema, Set<String> indexed) {
        this.schema = schema;
        this.indexed = indexed;
    }

    /**
     * @param existing the stored document, for {@code immutable} checks on replace; null on create
     */
    public Validated validate(ObjectNode input, ObjectNode existing) throws BadRequestException {
        ObjectNode out = NODES.objectNode();
        Map<String, JsonNode> writeOnly = new java.util.LinkedHashMap<>();
        Set<String> usedExtensions = new LinkedHashSet<>();
        checkSchemas(input.get("schemas"));
        for (Iterator<Map.Entry<String, JsonNode>> fields = input.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            String lower = key.toLowerCase(Locale.ROOT);
            if (lower.equals("schemas") || lower.equals("id") || lower.equals("meta")) {
                continue;
            }
            if (lower.equals("externalid")) {
                if (!field.getValue().isNull()) {
                    if (!field.getValue().isTextual()) {
                        throw BadRequestException.invalidValue("'externalId' must be a string");
                    }
                    out.set("externalId", text((TextNode) field.getValue(), "externalId"));
                }
                continue;
            }
            Optional<SchemaResource> extension = schema.extension(key);
            if (extension.isPresent()) {
                if (field.getValue().isNull()) {
                    continue;
                }
                if (!field.getValue().isObject()) {
                    throw BadRequestException.invalidValue("'" + key + "' must be an object of that extension's "
                            + "attributes");
                }
                ObjectNode validated = attributes((ObjectNode) field.getValue(), extension.get().getAttributes(),
                        extension.get().getId() + ":", writeOnly);
                if (!validated.isEmpty()) {
                    out.set(extension.get().getId(), validated);
                    usedExtensions.add(extension.get().getId());
                }
                continue;
            }
            if (key.startsWith("urn:")) {
                throw BadRequestException.invalidValue("'" + key + "' is not a schema extension of " + schema.resourceType()
                        + " resources; its extensions are " + extensionIds());
            }
            AttributeDefinition definition = find(schema.core().getAttributes(), key)
                    .orElseThrow(() -> BadRequestException.invalidValue("Unknown attribute '" + key + "' for "
                            + schema.resourceType() + " resources; GET /scim/v2/Schemas/" + schema.core().getId()
                            + " lists them"));
            attribute(out, definition, field.getValue(), "", writeOnly);
        }
        if (existing != null) {
            checkImmutable(out, existing);
        }
        requirePresent(out, schema.core().getAttributes(), "");
        for (SchemaResource extension : schema.extensions()) {
            if (out.get(extension.getId()) instanceof ObjectNode extensionNode) {
                requirePresent(extensionNode, extension.getAttributes(), extension.getId() + ":");
            }
        }
        ArrayNode schemas = out.putArray("schemas");
        schemas.add(schema.core().getId());
        usedExtensions.forEach(schemas::add);
        // schemas first, as RFC 7643 examples show it
        ObjectNode ordered = NODES.objectNode();
        ordered.set("schemas", schemas);
        out.fields().forEachRemaining(f -> {
            if (!f.getKey().equals("schemas")) {
                ordered.set(f.getKey(), f.getValue());
            }
        });
        return new Validated(ordered, writeOnly);
    }

    private void checkSchemas(JsonNode schemas) throws BadRequestException {
        if (schemas == null || schemas.isNull()) {
            throw BadRequestException.invalidValue("'schemas' is required: [\"" + schema.core().getId() + "\"]");
        }
        if (!schemas.isArray()) {
            throw BadRequestException.invalidValue("'schemas' must be an array of schema URNs");
        }
        boolean core = false;
        for (JsonNode urn : schemas) {
            if (!urn.isTextual()) {
                throw BadRequestException.invalidValue("'schemas' must contain only schema URNs (strings)");
            }
            if (urn.textValue().equalsIgnoreCase(schema.core().getId())) {
                core = true;
            } else if (schema.extension(urn.textValue()).isEmpty() && !absoluteUri(urn.textValue())) {
                throw BadRequestException.invalidValue("'schemas' lists '" + urn.textValue() + "', which is not a "
                        + "schema URI");
            }
            // a schema URI the server does not know is left out of the result (Entra ID lists
            // http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group with no attributes under it);
            // attributes under it are refused as unknown ones
        }
        if (!core) {
            throw BadRequestException.invalidValue("'schemas' must include " + schema.core().getId());
        }
    }

    private static boolean absoluteUri(String text) {
        try {
            return new URI(text).isAbsolute();
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /**
     * Refuses with 400 {@code mutability} a validated document that changes an {@code immutable} attribute the stored
     * one has (RFC 7644 §3.5.1); leaving it out is no change. For a replace validated before the stored document is
     * read (a group's PUT).
     */
    public void checkImmutable(ObjectNode document, ObjectNode existing) throws BadRequestException {
        checkImmutable(document, existing, schema.core().getAttributes(), "");
        for (SchemaResource extension : schema.extensions()) {
            checkImmutable(document.get(extension.getId()), existing.get(extension.getId()), extension.getAttributes(),
                    extension.getId() + ":");
        }
    }

    private static void checkImmutable(JsonNode document, JsonNode existing, Collection<AttributeDefinition> definitions,
            String prefix) throws BadRequestException {
        if (!(document instanceof ObjectNode) || !(existing instanceof ObjectNode)) {
            return;
        }
        for (AttributeDefinition definition : definitions) {
            JsonNode before = existing.get(definition.getName());
            JsonNode after = document.get(definition.getName());
            if (definition.getMutability() == Mutability.IMMUTABLE && !unassigned(before) && !unassigned(after)
                    && !before.equals(after)) {
                throw BadRequestException.mutability("'" + prefix + definition.getName() + "' is immutable: it was "
                        + before + " and cannot be changed");
            }
        }
    }

    private ObjectNode attributes(ObjectNode input, Collection<AttributeDefinition> definitions, String prefix,
            Map<String, JsonNode> writeOnly) throws BadRequestException {
        ObjectNode out = NODES.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> fields = input.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            AttributeDefinition definition = find(definitions, field.getKey())
                    .orElseThrow(() -> BadRequestException.invalidValue("Unknown attribute '" + prefix + field.getKey()
                            + "'"));
            attribute(out, definition, field.getValue(), prefix, writeOnly);
        }
        return out;
    }

    private void attribute(ObjectNode out, AttributeDefinition definition, JsonNode value, String prefix,
            Map<String, JsonNode> writeOnly) throws BadRequestException {
        String name = definition.getName();
        String display = prefix + name;
        if (definition.getMutability() == Mutability.READ_ONLY || unassigned(value)) {
            return;
        }
        JsonNode canonical = definition.isMultiValued() ? multiValued(definition, value, display) : single(definition, value, display);
        if (definition.getMutability() == Mutability.WRITE_ONLY) {
            writeOnly.put(display, canonical);
            return;
        }
        out.set(name, canonical);
    }

    private JsonNode multiValued(AttributeDefinition definition, JsonNode value, String display) throws BadRequestException {
        if (!value.isArray()) {
            throw BadRequestException.invalidValue("'" + display + "' is multi-valued: send an array");
        }
        if (value.size() > MAX_VALUES && !definition.getName().equals("members")) {
            throw BadRequestException.invalidValue("'" + display + "' has " + value.size() + " values; at most "
                    + MAX_VALUES + " are accepted");
        }
        ArrayNode out = NODES.arrayNode();
        int primaries = 0;
        for (JsonNode element : value) {
            if (unassigned(element)) {
                continue;
            }
            JsonNode canonical = single(definition, element, display);
            if (canonical.path("primary").asBoolean(false)) {
                primaries++;
            }
            out.add(canonical);
        }
        if (primaries > 1) {
            throw BadRequestException.invalidValue("'" + display + "' has " + primaries + " values marked primary; at "
                    + "most one may be (RFC 7643 §2.4)");
        }
        return out;
    }

    private JsonNode single(AttributeDefinition definition, JsonNode value, String display) throws BadRequestException {
        Type type = definition.getType();
        switch (type) {
            case COMPLEX -> {
                if (!value.isObject()) {
                    throw BadRequestException.invalidValue("'" + display + "' is complex: send an object with "
                            + names(definition.getSubAttributes()));
                }
                ObjectNode out = NODES.objectNode();
                for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext();) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    AttributeDefinition sub = find(definition.getSubAttributes(), field.getKey())
                            .orElseThrow(() -> BadRequestException.invalidValue("Unknown sub-attribute '" + display + "."
                                    + field.getKey() + "'; '" + display + "' has " + names(definition.getSubAttributes())));
                    if (sub.getMutability() == Mutability.READ_ONLY || unassigned(field.getValue())) {
                        continue;
                    }
                    out.set(sub.getName(), sub.isMultiValued() ? multiValued(sub, field.getValue(), display + "." + sub.getName())
                            : single(sub, field.getValue(), display + "." + sub.getName()));
                }
                for (AttributeDefinition sub : definition.getSubAttributes()) {
                    if (sub.isRequired() && sub.getMutability() != Mutability.READ_ONLY && unassigned(out.get(sub.getName()))) {
                        throw BadRequestException.invalidValue("'" + display + "." + sub.getName() + "' is required in "
                                + "each '" + display + "' value");
                    }
                }
                return out;
            }
            case BOOLEAN -> {
                if (value.isBoolean()) {
                    return value;
                }
                if (value.isTextual() && (value.textValue().equalsIgnoreCase("true") || value.textValue().equalsIgnoreCase("false"))) {
                    return BooleanNode.valueOf(Boolean.parseBoolean(value.textValue().toLowerCase(Locale.ROOT)));
                }
                throw BadRequestException.invalidValue("'" + display + "' is a boolean: send true or false");
            }
            case INTEGER -> {
                if (!value.isIntegralNumber()) {
                    throw BadRequestException.invalidValue("'" + display + "' is an integer");
                }
                return value;
            }
            case DECIMAL -> {
                if (!value.isNumber()) {
                    throw BadRequestException.invalidValue("'" + display + "' is a decimal number");
                }
                return value;
            }
            case DATETIME -> {
                if (!value.isTextual()) {
                    throw BadRequestException.invalidValue("'" + display + "' is a dateTime string");
                }
                try {
                    OffsetDateTime.parse(value.textValue());
                } catch (DateTimeParseException e) {
                    throw BadRequestException.invalidValue("'" + display + "' is not an xsd:dateTime: '"
                            + value.textValue() + "' (write it like 2026-01-31T12:00:00Z)");
                }
                return value;
            }
            default -> {
                if (!value.isTextual()) {
                    throw BadRequestException.invalidValue("'" + display + "' is a " + type.getName() + ": send a string");
                }
                return canonicalValue(definition, text((TextNode) value, display), display);
            }
        }
    }

    /** The index of the first char that cannot be stored: NUL, or a surrogate that is not half of a pair; or -1. */
    private static int unstorable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (c == '\0' || Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** A string value that PostgreSQL can store, and index where {@code display} names an indexed attribute. */
    private TextNode text(TextNode value, String display) throws BadRequestException {
        String text = value.textValue();
        int unstorable = unstorable(text);
        if (unstorable >= 0 && text.charAt(unstorable) == '\0') {
            throw BadRequestException.invalidValue("'" + display + "' contains a NUL character (\\u0000), which cannot be "
                    + "stored; remove it");
        }
        if (unstorable >= 0) {
            // a JSON \\ud800 escape without its pair: no Unicode character, and no JSON writer would write it back
            throw BadRequestException.invalidValue("'" + display + "' contains an unpaired UTF-16 surrogate (\\u"
                    + Integer.toHexString(text.charAt(unstorable)) + "), which is not a Unicode character; remove it");
        }
        if (indexed.contains(display) && text.length() > IndexedValues.MAX_LENGTH
                && text.codePointCount(0, text.length()) > IndexedValues.MAX_LENGTH) {
            throw BadRequestException.invalidValue("'" + display + "' has " + text.codePointCount(0, text.length())
                    + " characters; it may have at most " + IndexedValues.MAX_LENGTH);
        }
        return value;
    }

    private static JsonNode canonicalValue(AttributeDefinition definition, TextNode value, String display)
            throws BadRequestException {
        Collection<String> canonical = definition.getCanonicalValues();
        if (canonical == null || canonical.isEmpty()) {
            return value;
        }
        for (String allowed : canonical) {
            if (allowed.equalsIgnoreCase(value.textValue())) {
                return TextNode.valueOf(allowed);
            }
        }
        throw BadRequestException.invalidValue("'" + display + "' is '" + value.textValue() + "'; it must be one of "
                + canonical);
    }

    private static void requirePresent(ObjectNode out, Collection<AttributeDefinition> definitions, String prefix)
            throws BadRequestException {
        for (AttributeDefinition definition : definitions) {
            if (definition.isRequired() && definition.getMutability() != Mutability.READ_ONLY
                    && unassigned(out.get(definition.getName()))) {
                throw BadRequestException.invalidValue("'" + prefix + definition.getName() + "' is required");
            }
        }
    }

    static Optional<AttributeDefinition> find(Collection<AttributeDefinition> definitions, String name) {
        if (definitions == null) {
            return Optional.empty();
        }
        for (AttributeDefinition definition : definitions) {
            if (definition.getName().equalsIgnoreCase(name)) {
                return Optional.of(definition);
            }
        }
        return Optional.empty();
    }

    static boolean unassigned(JsonNode value) {
        return value == null || value.isNull() || (value.isArray() && value.isEmpty())
                || (value.isTextual() && value.textValue().isEmpty());
    }

    private static String names(Collection<AttributeDefinition> definitions) {
        List<String> names = new ArrayList<>();
        if (definitions != null) {
            definitions.forEach(d -> names.add(d.getName()));
        }
        return String.join(", ", names);
    }

    private List<String> extensionIds() {
        return schema.extensions().stream().map(SchemaResource::getId).toList();
    }

}
