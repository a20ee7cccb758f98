package io.rollcall.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;

/**
 * A streamed page's resources are read in batches bounded in resources and in bytes, one batch per request of the
 * answer, up to the first resource a batch could not read (issue 12: 1,000 users of ~30 KB read 100 at a time held
 * ~10 MB per page in flight, and 16 such pages took the 80 MiB heap).
 */
class PageBatchesTest {

    private static List<Integer> items(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    @Test
    void aPageOfLargeResourcesIsReadInBatchesOfAtMostMaxBytes() {
        List<List<Integer>> batches = PageBatches.split(items(1000), item -> 30_000, PageBatches.MAX_ITEMS,
                PageBatches.MAX_BYTES);

        batches.forEach(batch -> assertTrue(batch.size() * 30_000L <= PageBatches.MAX_BYTES, batch.toString()));
        assertEquals(PageBatches.MAX_BYTES / 30_000, batches.get(0).size(), "as many 30 KB resources as fit");
        assertEquals(items(1000), batches.stream().flatMap(List::stream).toList(), "every resource once, in order");
    }

    @Test
    void aPageOfSmallResourcesIsReadAHundredAtATime() {
        List<List<Integer>> batches = PageBatches.split(items(250), item -> 1_000, PageBatches.MAX_ITEMS,
                PageBatches.MAX_BYTES);

        assertEquals(List.of(100, 100, 50), batches.stream().map(List::size).toList());
    }

    @Test
    void aResourceBiggerThanABatchIsABatchOfItsOwn() {
        List<List<Integer>> batches = PageBatches.split(items(5),
                item -> item == 2 ? 5 * PageBatches.MAX_BYTES : PageBatches.MAX_BYTES / 3, PageBatches.MAX_ITEMS,
                PageBatches.MAX_BYTES);

        assertEquals(List.of(List.of(0, 1), List.of(2), List.of(3, 4)), batches);
    }

    @Test
    void aBatchIsReadOnlyWhenTheAnswerAsksForMore() {
        List<List<Integer>> read = Collections.synchronizedList(new ArrayList<>());
        AssertSubscriber<List<Integer>> answer = PageBatches.<Integer, Integer>read(items(1000), item -> 30_000,
                batch -> {
                    read.add(batch);
                    return Uni.createFrom().item(batch);
                }).subscribe().withSubscriber(AssertSubscriber.create(1));

        answer.awaitItems(1);
        assertEquals(1, read.size(), "one batch read for the one asked for");
        answer.request(1).awaitItems(2);
        assertEquals(2, read.size());
        answer.request(Long.MAX_VALUE).awaitCompletion();
        assertEquals(items(1000), answer.getItems().stream().flatMap(List::stream).toList());
    }

    @Test
    void rfc7644_3_4_2_4_thePageEndsAtTheFirstResourceABatchCouldNotRead() {
        List<List<Integer>> read = Collections.synchronizedList(new ArrayList<>());
        AssertSubscriber<List<Integer>> answer = PageBatches.<Integer, Integer>read(items(300), item -> 1_000,
                batch -> {
                    read.add(batch);
                    // the resource 150 was deleted since the page was chosen: the batch reads up to it
                    return Uni.createFrom().item(batch.stream().takeWhile(item -> item != 150).toList());
                }).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));

        answer.awaitCompletion();
        assertEquals(items(150), answer.getItems().stream().flatMap(List::stream).toList());
        assertEquals(2, read.size(), "no batch read after the one that came short");
    }
}
