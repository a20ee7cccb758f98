package io.rollcall.scim;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.types.AttributeDefinition;
import com.unboundid.scim2.common.types.SchemaResource;
import com.unboundid.scim2.common.utils.SchemaUtils;

import io.rollcall.resource.AttributeResolver;
import io.rollcall.resource.ResolvedAttribute;

/**
 * One resource type's schemas as the server enforces them: the core schema, its extensions, and the common attributes
 * of RFC 7643 §3.1 ({@code id}, {@code externalId}, {@code meta}). Resolves attribute paths case-insensitively (RFC 7643
 * §2.1), with or without the schema URN prefix, to their definitions.
 */
public final class ResourceSchema implements AttributeResolver {

    private final String resourceType;
    private final SchemaResource core;
    private final List<SchemaResource> extensions;
    private final List<AttributeDefinition> coreAttributes;
    /** Each schema's top-level attributes by lower-case name, the core's under null: resolved on every request. */
    private final Map<String, Map<String, AttributeDefinition>> attributesBySchema = new HashMap<>();
    private static final int NAMES_KEPT = 256;
    /** {@link #resolve(String)}'s paths, by their text. */
    private final Map<String, Optional<ResolvedAttribute>> resolvedNames = new ConcurrentHashMap<>();

    public ResourceSchema(String resourceType, SchemaResource core, List<SchemaResource> extensions) {
        this.resourceType = resourceType;
        this.core = core;
        this.extensions = List.copyOf(extensions);
        List<AttributeDefinition> all = new ArrayList<>(SchemaUtils.COMMON_ATTRIBUTE_DEFINITIONS);
        all.addAll(core.getAttributes());
        this.coreAttributes = List.copyOf(all);
        attributesBySchema.put(null, byLowerCaseName(coreAttributes));
        for (SchemaResource extension : this.extensions) {
            attributesBySchema.put(extension.getId(), byLowerCaseName(extension.getAttributes()));
        }
    }

    private static Map<String, AttributeDefinition> byLowerCaseName(Collection<AttributeDefinition> attributes) {
        Map<String, AttributeDefinition> byName = new HashMap<>();
        for (AttributeDefinition attribute : attributes) {
            byName.putIfAbsent(attribute.getName().toLowerCase(Locale.ROOT), attribute);
        }
        return Map.copyOf(byName);
    }

    public String resourceType() {
        return resourceType;
    }

    public SchemaResource core() {
        return core;
    }

    public List<SchemaResource> extensions() {
        return extensions;
    }

    public Optional<SchemaResource> extension(String urn) {
        return extensions.stream().filter(e -> e.getId().equalsIgnoreCase(urn)).findFirst();
    }

    /** Every top-level attribute definition of the core schema plus the common ones. */
    public List<AttributeDefinition> coreAttributes() {
        return coreAttributes;
    }

    /**
     * The attribute a path written as text names ({@code groups}, {@code urn:…:effectiveRoles}), for the names this
     * server asks about on every request: parsing a path with the SCIM SDK costs more than the request's other work
     * around it, so each is parsed once (at most {@link #NAMES_KEPT} names, so that names a client sends cannot grow it).
     *
     * @throws BadRequestException when the text is no attribute path
     */
    public Optional<ResolvedAttribute> resolve(String attributeName) throws BadRequestException {
        Optional<ResolvedAttribute> known = resolvedNames.get(attributeName);
        if (known != null) {
            return known;
        }
        Path path = attributeName.startsWith("urn:") ? Path.fromString(attributeName) : Path.of(attributeName);
        Optional<ResolvedAttribute> resolved = resolve(path);
        if (resolvedNames.size() < NAMES_KEPT) {
            resolvedNames.put(attributeName, resolved);
        }
        return resolved;
    }

    @Override
    public Optional<ResolvedAttribute> resolve(Path path) {
        if (path.isRoot() || path.size() > 2) {
            return Optional.empty();
        }
        String urn = path.getSchemaUrn();
        String extensionUrn = null;
        if (urn != null && !urn.equalsIgnoreCase(core.getId())) {
            Optional<SchemaResource> extension = extension(urn);
            if (extension.isEmpty()) {
                return Optional.empty();
            }
            extensionUrn = extension.get().getId();
        }
        Optional<AttributeDefinition> attribute = Optional.ofNullable(attributesBySchema.get(extensionUrn)
                .get(path.getElement(0).getAttribute().toLowerCase(Locale.ROOT)));
        if (attribute.isEmpty()) {
            return Optional.empty();
        }
        if (path.size() == 1) {
            return Optional.of(new ResolvedAttribute(extensionUrn, attribute.get(), null));
        }
        String finalExtensionUrn = extensionUrn;
        return subAttribute(attribute.get(), path.getElement(1).getAttribute())
                .map(sub -> new ResolvedAttribute(finalExtensionUrn, attribute.get(), sub));
    }
}
