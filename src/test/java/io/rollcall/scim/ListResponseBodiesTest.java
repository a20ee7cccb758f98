package io.rollcall.scim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;

/**
 * A streamed list page is sent in pieces bounded in bytes, each resource rendered only when its piece is asked for
 * (issue 12: a piece of 100 users of ~30 KB was 3 MB, and the whole batch was rendered before the first byte of it was
 * sent).
 */
class ListResponseBodiesTest {

    private static final int RESOURCE_BYTES = 30_000;
    private static final String FILLER = "x".repeat(RESOURCE_BYTES);

    /** 250 resources of ~30 KB in batches of 100, 100 and 50, each counted as it is rendered. */
    private static JsonStream page(AtomicInteger rendered, Integer startIndex) {
        List<List<Integer>> batches = List.of(range(0, 100), range(100, 200), range(200, 250));
        return ListResponseBodies.streamed(250, Multi.createFrom().iterable(batches), n -> {
            rendered.incrementAndGet();
            ObjectNode resource = ScimJson.MAPPER.createObjectNode();
            resource.put("id", "r" + n);
            resource.put("filler", FILLER);
            return resource;
        }, startIndex, null, written -> "next" + written);
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }

    @Test
    void aStreamedPageIsSentInPiecesOfAtMostPieceBytesAndOneResource() throws IOException {
        List<byte[]> pieces = page(new AtomicInteger(), 1).pieces().subscribe().asStream().toList();

        for (byte[] piece : pieces) {
            assertTrue(piece.length <= ListResponseBodies.PIECE_BYTES + RESOURCE_BYTES + 100,
                    "a piece of " + piece.length + " bytes");
        }
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        for (byte[] piece : pieces) {
            whole.write(piece);
        }
        JsonNode body = ScimJson.MAPPER.readTree(whole.toByteArray());
        assertEquals(250, body.path("totalResults").asInt());
        assertEquals(1, body.path("startIndex").asInt());
        assertEquals(250, body.path("itemsPerPage").asInt());
        assertEquals("next250", body.path("nextCursor").asText());
        List<String> ids = new ArrayList<>();
        body.path("Resources").forEach(resource -> ids.add(resource.path("id").asText()));
        assertEquals(range(0, 250).stream().map(n -> "r" + n).toList(), ids);
    }

    @Test
    void aResourceIsRenderedOnlyWhenItsPieceIsAskedFor() {
        AtomicInteger rendered = new AtomicInteger();
        AssertSubscriber<byte[]> connection = page(rendered, 1).pieces().subscribe()
                .withSubscriber(AssertSubscriber.create(2));

        connection.awaitItems(2);
        int perPiece = ListResponseBodies.PIECE_BYTES / RESOURCE_BYTES + 1;
        assertEquals(perPiece, rendered.get(), "the header and one piece asked for: one piece's resources rendered");
        connection.request(Long.MAX_VALUE).awaitCompletion();
        assertEquals(250, rendered.get());
    }
}
