package io.rollcall.resource;

import java.util.Objects;
import java.util.UUID;

/**
 * A resource's place in the order of a query, for keyset paging (RFC 9865 cursors): the value it sorts by, as the
 * store wrote it out as text, and its id, which breaks ties. The next page is the rows that come after it in the same
 * order, whatever was inserted or deleted before it meanwhile, and finding them costs the same at any depth.
 *
 * @param sortKey the sort key's value as text, or null when the resource has none (unassigned, or an order by id only)
 * @param id      the resource's id
 */
public record KeysetPosition(String sortKey, UUID id) {

    public KeysetPosition {
        Objects.requireNonNull(id, "id");
    }
}
