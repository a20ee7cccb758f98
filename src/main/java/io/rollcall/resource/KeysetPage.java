package io.rollcall.resource;

import java.util.List;

/**
 * What a keyset page adds to its resources: the position of each resource the store chose (in page order, one per
 * resource), and whether more resources follow the last of them. A page that ends early (a resource deleted
 * meanwhile, a budget reached) continues after the last resource it shows, so the next cursor is made from the
 * positions once it is known how many were shown.
 */
public record KeysetPage(List<KeysetPosition> positions, boolean more) {

    public KeysetPage {
        positions = List.copyOf(positions);
    }
}
