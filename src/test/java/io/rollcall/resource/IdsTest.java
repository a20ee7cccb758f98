package io.rollcall.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void newIdsAreVersion7UuidsCarryingTheCurrentTime() {
        long before = System.currentTimeMillis();
        UUID id = Ids.timeOrdered();
        long after = System.currentTimeMillis();

        assertEquals(7, id.version());
        assertEquals(2, id.variant(), "RFC 9562 variant (10xx)");
        long millis = id.getMostSignificantBits() >>> 16;
        assertTrue(millis >= before && millis <= after, "48-bit Unix time in milliseconds first");
        assertEquals(Ids.parse(id.toString()).orElseThrow(), id);
    }

    @Test
    void idsMadeInLaterMillisecondsSortAfterEarlierOnesAsPostgresqlComparesThem() throws InterruptedException {
        UUID earlier = Ids.timeOrdered();
        Thread.sleep(2);
        UUID later = Ids.timeOrdered();

        // PostgreSQL orders uuid values by their bytes, unsigned: compare the canonical text, which sorts the same way
        assertTrue(earlier.toString().compareTo(later.toString()) < 0, earlier + " before " + later);
    }

    @Test
    void idsMadeInTheSameMillisecondStayDistinct() {
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            ids.add(Ids.timeOrdered());
        }
        assertEquals(100_000, ids.size());
    }
}
