package io.rollcall.scim;


import java.util.HashSet;
import java.util.Set;

import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.messages.SearchRequest;

import io.rollcall.config.RollcallConfig;
import io.rollcall.resource.Paging;
import io.rollcall.resource.ResourceQuery;

/**
 * The query of a list or {@code .search} request (RFC 7644 §3.4.2, §3.4.3): filter, sort, page and projection, parsed
 * and bounded. {@code startIndex} below 1 counts as 1, {@code count} below 0 as 0 and above the maximum page size as
 * the maximum (§3.4.2.4, RFC 9865 §2); {@code count=0} asks only for {@code totalResults}.
 *
 * @param cursor RFC 9865 cursor paging: null pages by index (the default method), empty asks for the first page, any
 *               other value is a {@code nextCursor} the server gave ({@link Cursors}). {@code startIndex} with it is
 *               refused: the two are different paging methods (RFC 9865 §2.4)
 */
public record ListQuery(Filter filter, Path sortBy, boolean descending, int startIndex, int count, String cursor,
        String attributes, String excludedAttributes) {

    public static ListQuery fromParameters(String filter, String sortBy, String sortOrder, String startIndex,
            String count, String cursor, String attributes, String excludedAttributes, RollcallConfig.Scim limits)
            throws BadRequestException {
        Integer index = integer("startIndex", startIndex);
        return new ListQuery(parseFilter(filter), parseSortBy(sortBy), descending(sortOrder),
                startIndex(index), count(integer("count", count), limits), cursor(cursor, index), attributes,
                excludedAttributes);
    }

    public static ListQuery fromSearchRequest(SearchRequest request, RollcallConfig.Scim limits) throws BadRequestException {
        return new ListQuery(parseFilter(request.getFilter()), parseSortBy(request.getSortBy()),
                request.getSortOrder() == com.unboundid.scim2.common.messages.SortOrder.DESCENDING,
                startIndex(request.getStartIndex()), count(request.getCount(), limits),
                cursor(request.getCursor(), request.getStartIndex()), join(request.getAttributes()),
                join(request.getExcludedAttributes()));
    }

    public int offset() {
        return startIndex - 1;
    }

    /**
     * The query as the store takes it.
     *
     * @param paging     the page asked for (by index, or after a cursor's position: {@link Cursors#paging})
     * @param projection the request's attributes/excludedAttributes
     * @param computed   the attributes of the type the store reads only when asked (e.g. a user's groups and roles)
     */
    public ResourceQuery resourceQuery(Paging paging, AttributeProjection projection, String... computed) {
        Set<String> omitted = new HashSet<>();
        for (String attribute : computed) {
            if (!projection.includes(attribute)) {
                omitted.add(attribute);
            }
        }
        return new ResourceQuery(filter, sortBy, descending, paging, omitted);
    }

    private static Filter parseFilter(String filter) throws BadRequestException {
        if (filter == null || filter.isBlank()) {
            return null;
        }
        FilterLimits.checkLength(filter, "filter", BadRequestException.INVALID_FILTER);
        FilterLimits.checkSyntax(filter, "filter", BadRequestException.INVALID_FILTER);
        Filter parsed;
        try {
            parsed = Filter.fromString(filter);
        } catch (BadRequestException e) {
            throw BadRequestException.invalidFilter("The filter '" + abbreviated(filter) + "' is not valid SCIM filter syntax (RFC 7644 "
                    + "§3.4.2.2): " + e.getMessage());
        }
        return FilterLimits.check(parsed);
    }

    /** The filter as an error repeats it: the start of a long one (the request may carry megabytes). */
    private static String abbreviated(String filter) {
        return filter.length() <= 200 ? filter : filter.substring(0, 200) + "…";
    }

    private static Path parseSortBy(String sortBy) throws BadRequestException {
        if (sortBy == null || sortBy.isBlank()) {
            return null;
        }
        try {
            return Path.fromString(sortBy.trim());
        } catch (BadRequestException e) {
            throw BadRequestException.invalidValue("'sortBy' is not an attribute path: " + sortBy);
        }
    }

    private static boolean descending(String sortOrder) throws BadRequestException {
        if (sortOrder == null || sortOrder.isBlank() || sortOrder.equalsIgnoreCase("ascending")) {
            return false;
        }
        if (sortOrder.equalsIgnoreCase("descending")) {
            return true;
        }
        throw BadRequestException.invalidValue("'sortOrder' must be ascending or descending, not '" + sortOrder + "'");
    }

    private static Integer integer(String name, String value) throws BadRequestException {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw BadRequestException.invalidValue("'" + name + "' must be an integer, not '" + value + "'");
        }
    }

    /** Whether the answer pages by cursor: it then carries {@code nextCursor} and no {@code startIndex}. */
    public boolean byCursor() {
        return cursor != null;
    }

    /** The index of the page's first resource as the answer states it: none for cursor pages (RFC 9865 §2). */
    public Integer answeredStartIndex() {
        return cursor == null ? startIndex : null;
    }

    private static String cursor(String cursor, Integer startIndex) throws BadRequestException {
        if (cursor != null && startIndex != null) {
            throw BadRequestException.invalidValue("Send 'startIndex' or 'cursor', not both: they ask for index and for "
                    + "cursor paging (RFC 9865 §2.4)");
        }
        return cursor == null ? null : cursor.trim();
    }

    private static int startIndex(Integer startIndex) {
        return startIndex == null || startIndex < 1 ? 1 : startIndex;
    }

    private static int count(Integer count, RollcallConfig.Scim limits) {
        if (count == null) {
            return limits.defaultPageSize();
        }
        return Math.max(0, Math.min(count, limits.maxPageSize()));
    }

    private static String join(java.util.Set<String> names) {
        return names == null || names.isEmpty() ? null : String.join(",", names);
    }

}
