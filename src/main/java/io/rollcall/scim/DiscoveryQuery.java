package io.rollcall.scim;

import jakarta.ws.rs.core.UriInfo;

import com.unboundid.scim2.common.exceptions.ForbiddenException;

/**
 * RFC 7644 §4: discovery endpoints do not filter, and a service provider SHOULD answer a {@code filter} on them with
 * 403 so that a client never takes an ignored filter for a matching result.
 */
final class DiscoveryQuery {

    private DiscoveryQuery() {
    }

    static void refuseFilter(UriInfo uriInfo) throws ForbiddenException {
        if (uriInfo.getQueryParameters().containsKey("filter")) {
            throw new ForbiddenException("Filtering is not supported on " + uriInfo.getPath()
                    + " (RFC 7644 §4); request the list without 'filter' and select on the client");
        }
    }
}
