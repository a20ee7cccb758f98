package io.rollcall.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Two requests sent at the same moment (both threads wait at a barrier first); their answers in request order. */
public final class Race {

    private Race() {
    }

    public static <T> List<T> of(Callable<T> first, Callable<T> second) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Callable<T>> both = List.of(() -> {
                start.await();
                return first.call();
            }, () -> {
                start.await();
                return second.call();
            });
            List<T> answers = new ArrayList<>();
            for (Future<T> answer : pool.invokeAll(both)) {
                answers.add(answer.get());
            }
            return answers;
        } finally {
            pool.shutdown();
        }
    }
}
