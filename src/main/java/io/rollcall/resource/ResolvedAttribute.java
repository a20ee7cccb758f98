package io.rollcall.resource;

import com.unboundid.scim2.common.types.AttributeDefinition;

/**
 * An attribute path resolved against a resource type's schemas: the attribute, its sub-attribute if the path names one,
 * and the schema it belongs to. Names are the schema's canonical spelling, which is how they are stored.
 *
 * @param extensionUrn the extension schema's URN, or null for the core schema and the common attributes
 */
public record ResolvedAttribute(String extensionUrn, AttributeDefinition attribute, AttributeDefinition subAttribute) {

    /** The definition the value is compared against: the sub-attribute if there is one. */
    public AttributeDefinition target() {
        return subAttribute != null ? subAttribute : attribute;
    }

    /** The dotted path as the client could have written it, for error messages. */
    public String display() {
        String base = (extensionUrn != null ? extensionUrn + ":" : "") + attribute.getName();
        return subAttribute != null ? base + "." + subAttribute.getName() : base;
    }
}
