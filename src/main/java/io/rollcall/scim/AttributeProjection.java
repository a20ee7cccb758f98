package io.rollcall.scim;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.types.AttributeDefinition;
import com.unboundid.scim2.common.types.AttributeDefinition.Returned;
import com.unboundid.scim2.common.types.SchemaResource;

import io.rollcall.resource.ResolvedAttribute;

/**
 * RFC 7644 §3.4.2.5 and §3.9 attribute projection with RFC 7643 §7 {@code returned} rules: {@code always} attributes
 * are always returned, {@code never} never, {@code request} only when named in {@code attributes}, and {@code default}
 * unless {@code attributes} leaves them out or {@code excludedAttributes} names them. Names may be dotted
 * ({@code name.givenName}) and URN-qualified, or a whole extension URN.
 */
public final class AttributeProjection {

    private final ResourceSchema schema;
    private final List<Path> attributes;
    private final List<Path> excluded;

    private final boolean topLevelOnly;
    private final Map<String, Boolean> shownFields = new ConcurrentHashMap<>();

    private AttributeProjection(ResourceSchema schema, List<Path> attributes, List<Path> excluded) {
        this.schema = schema;
        this.attributes = attributes;
        this.excluded = excluded;
        this.topLevelOnly = Stream.concat(attributes.stream(), excluded.stream()).allMatch(path -> path.size() == 1
                && (path.getSchemaUrn() == null || path.getSchemaUrn().equalsIgnoreCase(schema.core().getId())));
    }

    /** Both parameters are comma-separated lists; giving both is an error (RFC 7644 §3.9 allows one of them). */
    public static AttributeProjection of(ResourceSchema schema, String attributes, String excludedAttributes)
            throws BadRequestException {
        List<Path> included = parse(schema, attributes, "attributes");
        List<Path> excluded = parse(schema, excludedAttributes, "excludedAttributes");
        if (!included.isEmpty() && !excluded.isEmpty()) {
            throw BadRequestException.invalidValue("Give either 'attributes' or 'excludedAttributes', not both");
        }
        return new AttributeProjection(schema, included, excluded);
    }

    /** Neither {@code attributes} nor {@code excludedAttributes}: the default representation, as it is. */
    public boolean isDefault() {
        return attributes.isEmpty() && excluded.isEmpty();
    }

    /**
     * Whether this projection names only whole core attributes ({@code attributes=userName,emails},
     * {@code excludedAttributes=groups}): then it decides per top-level field ({@link #showsField}), and a stored
     * document can be written field by field instead of being parsed into a tree and projected.
     */
    public boolean byTopLevelNames() {
        return topLevelOnly;
    }

    /**
     * For a projection {@link #byTopLevelNames by top-level names}: whether a top-level field of the representation is
     * shown — what {@link #apply} would leave of it, whole.
     */
    public boolean showsField(String name) {
        return shownFields.computeIfAbsent(name, this::decideField);
    }

    private boolean decideField(String name) {
        if (name.equals("schemas")) {
            return true;
        }
        if (name.startsWith("urn:")) {
            // no path names an extension: kept whole without `attributes`, emptied (so dropped) with them
            return attributes.isEmpty();
        }
        Optional<AttributeDefinition> definition = ResourceValidator.find(schema.coreAttributes(), name);
        if (definition.isEmpty()) {
            return true;
        }
        Returned returned = definition.get().getReturned();
        if (returned == Returned.ALWAYS || returned == Returned.NEVER) {
            return returned == Returned.ALWAYS;
        }
        if (!attributes.isEmpty()) {
            return !named(attributes, definition.get(), null).isEmpty();
        }
        return returned != Returned.REQUEST && named(excluded, definition.get(), null).isEmpty();
    }

    /** Whether the response will carry the attribute (e.g. to skip computing {@code groups} or reading members). */
    public boolean includes(String attributeName) {
        Optional<ResolvedAttribute> resolved;
        try {
            resolved = schema.resolve(attributeName);
        } catch (com.unboundid.scim2.common.exceptions.BadRequestException e) {
            throw new IllegalArgumentException("Not an attribute path: " + attributeName, e);
        }
        if (resolved.isEmpty()) {
            return false;
        }
        AttributeDefinition definition = resolved.get().attribute();
        if (definition.getReturned() == Returned.ALWAYS) {
            return true;
        }
        if (definition.getReturned() == Returned.NEVER) {
            return false;
        }
        if (!attributes.isEmpty()) {
            return attributes.stream().anyMatch(p -> sameTopLevel(p, resolved.get()));
        }
        return definition.getReturned() != Returned.REQUEST
                && excluded.stream().noneMatch(p -> p.size() == 1 && sameTopLevel(p, resolved.get()));
    }

    /** Applies the projection to a full representation (with id, meta and computed attributes) in place. */
    public ObjectNode apply(ObjectNode resource) {
        project(resource, schema.coreAttributes(), null);
        for (SchemaResource extension : schema.extensions()) {
            if (resource.get(extension.getId()) instanceof ObjectNode node) {
                boolean wholeRequested = attributes.stream().anyMatch(p -> p.isRoot()
                        && extension.getId().equalsIgnoreCase(p.getSchemaUrn()));
                boolean wholeExcluded = excluded.stream().anyMatch(p -> p.isRoot()
                        && extension.getId().equalsIgnoreCase(p.getSchemaUrn()));
                if (wholeExcluded) {
                    resource.remove(extension.getId());
                    continue;
                }
                if (!wholeRequested) {
                    project(node, extension.getAttributes(), extension.getId());
                }
                if (node.isEmpty()) {
                    resource.remove(extension.getId());
                }
            }
        }
        return resource;
    }

    private void project(ObjectNode node, Collection<AttributeDefinition> definitions, String extensionUrn) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals("schemas") && extensionUrn == null) {
                continue;
            }
            if (field.getKey().startsWith("urn:") && extensionUrn == null) {
                continue;
            }
            Optional<AttributeDefinition> definition = ResourceValidator.find(definitions, field.getKey());
            if (definition.isEmpty()) {
                continue;
            }
            Returned returned = definition.get().getReturned();
            if (returned == Returned.ALWAYS) {
                continue;
            }
            if (returned == Returned.NEVER) {
                fields.remove();
                continue;
            }
            if (!attributes.isEmpty()) {
                List<Path> named = named(attributes, definition.get(), extensionUrn);
                if (named.isEmpty()) {
                    fields.remove();
                } else if (named.stream().noneMatch(p -> p.size() == 1) && field.getValue() != null) {
                    keepSubAttributes(field.getValue(), named);
                }
                continue;
            }
            if (returned == Returned.REQUEST) {
                fields.remove();
                continue;
            }
            List<Path> named = named(excluded, definition.get(), extensionUrn);
            if (named.stream().anyMatch(p -> p.size() == 1)) {
                fields.remove();
            } else if (!named.isEmpty()) {
                dropSubAttributes(field.getValue(), named);
            }
        }
    }

    private List<Path> named(List<Path> paths, AttributeDefinition definition, String extensionUrn) {
        List<Path> matching = new ArrayList<>();
        for (Path path : paths) {
            if (path.isRoot()) {
                continue;
            }
            String urn = path.getSchemaUrn();
            boolean sameSchema = extensionUrn == null ? urn == null || urn.equalsIgnoreCase(schema.core().getId())
                    : extensionUrn.equalsIgnoreCase(urn);
            if (sameSchema && path.getElement(0).getAttribute().equalsIgnoreCase(definition.getName())) {
                matching.add(path);
            }
        }
        return matching;
    }

    private static void keepSubAttributes(JsonNode value, List<Path> named) {
        forEachObject(value, object -> object.retain(named.stream().map(p -> canonical(object, p.getElement(1).getAttribute()))
                .toList()));
    }

    private static void dropSubAttributes(JsonNode value, List<Path> named) {
        forEachObject(value, object -> named.forEach(p -> object.remove(canonical(object, p.getElement(1).getAttribute()))));
    }

    private static String canonical(ObjectNode object, String name) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext();) {
            String candidate = names.next();
            if (candidate.equalsIgnoreCase(name)) {
                return candidate;
            }
        }
        return name;
    }

    private static void forEachObject(JsonNode value, java.util.function.Consumer<ObjectNode> action) {
        if (value instanceof ObjectNode object) {
            action.accept(object);
        } else if (value != null && value.isArray()) {
            value.forEach(element -> {
                if (element instanceof ObjectNode object) {
                    action.accept(object);
                }
            });
        }
    }

    private boolean sameTopLevel(Path path, ResolvedAttribute attribute) {
        if (path.isRoot()) {
            return attribute.extensionUrn() != null && attribute.extensionUrn().equalsIgnoreCase(path.getSchemaUrn());
        }
        return schema.resolve(Path.root(path.getSchemaUrn() == null ? null : path.getSchemaUrn())
                .attribute(path.getElement(0).getAttribute()))
                .map(r -> r.attribute().getName().equals(attribute.attribute().getName())
                        && java.util.Objects.equals(r.extensionUrn(), attribute.extensionUrn()))
                .orElse(false);
    }

    private static List<Path> parse(ResourceSchema schema, String list, String parameter) throws BadRequestException {
        List<Path> paths = new ArrayList<>();
        if (list == null || list.isBlank()) {
            return paths;
        }
        for (String name : list.split(",")) {
            if (name.isBlank()) {
                continue;
            }
            Optional<SchemaResource> wholeExtension = schema.extension(name.trim());
            if (wholeExtension.isPresent()) {
                paths.add(Path.root(wholeExtension.get().getId()));
                continue;
            }
            try {
                paths.add(Path.fromString(name.trim()));
            } catch (BadRequestException e) {
                throw BadRequestException.invalidValue("'" + name.trim() + "' in '" + parameter + "' is not an attribute "
                        + "path: " + e.getMessage());
            }
        }
        return paths;
    }
}
