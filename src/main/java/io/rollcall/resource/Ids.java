package io.rollcall.resource;

import java.security.SecureRandom;
import java.util.Optional;
import java.util.UUID;

/**
 * Row ids: new ones are time-ordered UUIDs (version 7, RFC 9562 §5.7), and ids as people send them are a UUID in its
 * canonical 36-character form, or not an id at all.
 */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    /**
     * A new id: 48 bits of Unix time in milliseconds, then 74 random bits. Rows created together get ids that sort
     * together, so that the B-tree entries that follow them — a group's new members in {@code group_members}, whose
     * index on {@code member_id} every membership change writes — land on a few neighbouring index pages instead of
     * one random page per row (measured: a 1,000-member add wrote ~490 full-page images to the WAL with random ids).
     */
    public static UUID timeOrdered() {
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        long millis = System.currentTimeMillis();
        long msb = (millis << 16) | 0x7000L | ((random[0] & 0x0fL) << 8) | (random[1] & 0xffL);
        long lsb = 0x8000000000000000L | (random[2] & 0x3fL) << 56;
        for (int i = 3; i < 10; i++) {
            lsb |= (random[i] & 0xffL) << (8 * (9 - i));
        }
        return new UUID(msb, lsb);
    }

    /**
     * The id {@code value} names when it is exactly an id as the server writes it (RFC 7643 §3.1: {@code id} is
     * caseExact): lower-case canonical form, so that {@code …AB…} or a dropped leading zero names nothing, as a filter on
     * {@code id} would find nothing.
     */
    public static Optional<UUID> parse(String value) {
        if (value == null || value.length() != 36) {
            return Optional.empty();
        }
        try {
            UUID id = UUID.fromString(value);
            return id.toString().equals(value) ? Optional.of(id) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
