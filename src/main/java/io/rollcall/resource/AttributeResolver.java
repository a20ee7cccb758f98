package io.rollcall.resource;

import java.util.Optional;

import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.types.AttributeDefinition;

/** Resolves filter and sort paths against a resource type's schemas (supplied by the SCIM layer's schema registry). */
public interface AttributeResolver {

    /** The attribute a path without value filters names ({@code name.givenName}, {@code urn:...:User:manager.value}). */
    Optional<ResolvedAttribute> resolve(Path path);

    /** A sub-attribute of a complex attribute, by name, case-insensitively. */
    default Optional<AttributeDefinition> subAttribute(AttributeDefinition complex, String name) {
        if (complex.getSubAttributes() == null) {
            return Optional.empty();
        }
        return complex.getSubAttributes().stream().filter(s -> s.getName().equalsIgnoreCase(name)).findFirst();
    }
}
