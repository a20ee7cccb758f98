package io.rollcall.scim;

import java.net.URI;
import java.util.Collection;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.GenericScimResource;
import com.unboundid.scim2.common.messages.ListResponse;

/** Registry documents as served: a copy with {@code meta} (RFC 7643 §6, §7), alone or as a complete list response. */
final class DiscoveryDocuments {

    private DiscoveryDocuments() {
    }

    static GenericScimResource withMeta(ObjectNode document, String resourceType, URI location) {
        ObjectNode served = document.deepCopy();
        served.putObject("meta").put("resourceType", resourceType).put("location", location.toString());
        return new GenericScimResource(served);
    }

    /** Discovery lists are never paged: every document, with {@code startIndex} 1. */
    static ListResponse<GenericScimResource> list(Collection<GenericScimResource> resources) {
        List<GenericScimResource> all = List.copyOf(resources);
        return new ListResponse<>(all.size(), all, 1, all.size());
    }
}
