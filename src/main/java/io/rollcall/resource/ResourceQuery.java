package io.rollcall.resource;

import java.util.Objects;
import java.util.Set;

import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.filters.Filter;

/**
 * What a list or {@code .search} request asks the store for (RFC 7644 §3.4.2, §3.4.3), typed: the filter AST, the sort,
 * the page (by index, or by keyset for RFC 9865 cursors), and which computed attributes the answer leaves out (so that
 * the store need not read them). The protocol layers build it; only the store turns it into SQL, adding the
 * organization, the parameter numbering and the id tiebreaker. Model: SCIMple's {@code Repository.find(filter, page, sort)}.
 *
 * @param filter     the filter, or null for every resource
 * @param sortBy     the attribute to sort by, or null for the default order (creation, oldest first)
 * @param descending {@code sortOrder=descending}; ignored without {@code sortBy}
 * @param paging     which page
 * @param omitted    attributes whose values the answer does not show ({@code groups}, {@code roles}, {@code members})
 */
public record ResourceQuery(Filter filter, Path sortBy, boolean descending, Paging paging, Set<String> omitted) {

    public ResourceQuery {
        Objects.requireNonNull(paging, "paging");
        omitted = Set.copyOf(omitted);
    }

    /** Every resource, in the default order, without leaving anything out. */
    public static ResourceQuery page(int offset, int count) {
        return new ResourceQuery(null, null, false, new Paging.Index(offset, count), Set.of());
    }

    /** Page size; 0 asks only for the total. */
    public int count() {
        return paging.count();
    }

    public boolean wants(String attribute) {
        return !omitted.contains(attribute);
    }

    public ResourceQuery omitting(Set<String> attributes) {
        return new ResourceQuery(filter, sortBy, descending, paging, attributes);
    }
}
