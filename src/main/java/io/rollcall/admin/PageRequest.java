package io.rollcall.admin;

import com.unboundid.scim2.common.exceptions.BadRequestException;

import io.rollcall.service.ScimFailure;

/**
 * {@code startIndex} (1-based) and {@code count} of an admin list, as every paged {@code /admin/v1} list takes them,
 * read from the query's text so that a value that is not a number is a 400 naming it (a JAX-RS {@code int} parameter
 * would make it a 404). {@code count} above the list's maximum is cut to it, as SCIM does (RFC 7644 §3.4.2.4).
 */
record PageRequest(int startIndex, int count) {

    static PageRequest of(String startIndex, String count, int defaultCount, int maxCount) {
        int start = number("startIndex", startIndex, 1);
        int size = number("count", count, defaultCount);
        if (start < 1 || size < 0) {
            throw ScimFailure.of(BadRequestException.invalidValue("'startIndex' starts at 1 and 'count' is 0 or more; "
                    + "got startIndex=" + start + ", count=" + size));
        }
        return new PageRequest(start, Math.min(size, maxCount));
    }

    int offset() {
        return startIndex - 1;
    }

    private static int number(String name, String text, int absent) {
        if (text == null || text.isEmpty()) {
            return absent;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw ScimFailure.of(BadRequestException.invalidValue("'" + name + "' is a whole number; got '" + text + "'"));
        }
    }
}
