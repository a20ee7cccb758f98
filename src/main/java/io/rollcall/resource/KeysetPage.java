package io.rollcall.resource;

import java.util.List;

/**
 * What a keyset page adds to its resources: the position of each resource the store chose (in page order, one per
 * resource), whether a page comes before the first of them and whether more resources follow the last of them. A page
 * that ends early (a resource deleted meanwhile, a budget reached) continues after the last resource it shows, so the
 * next cursor is made from the positions once it is known how many were shown; the previous cursor is made from the
 * first position.
 *
 * @param previous whether resources come before the first position: a page reached from a cursor going forward, or
 *                 going back when the store read one more row before the page
 * @param more     whether resources follow the last position: going forward when the store read one more row after
 *                 the page, and always going back (the page ends before the position the cursor came from)
 */
public record KeysetPage(List<KeysetPosition> positions, boolean previous, boolean more) {

    public KeysetPage {
        positions = List.copyOf(positions);
    }
}
