package io.rollcall.scim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** {@code meta.created} and {@code meta.lastModified} are written exactly as {@link Instant#toString()} writes them. */
class InstantTextTest {

    @Test
    void writesEveryInstantAsInstantToStringDoes() {
        SplittableRandom random = new SplittableRandom(7643);
        for (int i = 0; i < 200_000; i++) {
            long seconds = random.nextLong(-62_200_000_000L, 253_500_000_000L);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nanos);
            assertEquals(instant.toString(), InstantText.of(instant));
        }
    }

    @Test
    void writesTheEdgesOfTheFourDigitYearsAsInstantToStringDoes() {
        for (Instant instant : new Instant[] { Instant.EPOCH, Instant.parse("0000-01-01T00:00:00Z"),
                Instant.parse("-0001-12-31T23:59:59.999999999Z"), Instant.parse("9999-12-31T23:59:59.999999Z"),
                Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("1969-12-31T23:59:59.000001Z"),
                Instant.parse("2026-12-07T21:38:16.093317Z"), Instant.parse("2024-02-29T00:00:00.100Z"),
                Instant.MIN, Instant.MAX }) {
            assertEquals(instant.toString(), InstantText.of(instant));
        }
    }
}
