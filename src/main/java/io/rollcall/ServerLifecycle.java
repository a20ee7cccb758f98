package io.rollcall;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Tells code outside the application (the embedded database's JVM shutdown hook in {@link RollcallMain}) when the
 * server has started and when it has stopped serving. Quarkus fires {@link ShutdownEvent} after its graceful shutdown:
 * after {@code quarkus.shutdown.delay} and after the requests in flight finished or {@code quarkus.shutdown.timeout}
 * passed.
 */
@ApplicationScoped
public class ServerLifecycle {

    private static final CountDownLatch STOPPED = new CountDownLatch(1);
    private static volatile boolean started;

    void onStart(@Observes StartupEvent event) {
        started = true;
    }

    void onStop(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER + 1000) ShutdownEvent event) {
        STOPPED.countDown();
    }

    /**
     * Returns once the started server has stopped serving, at most after {@code limit}; at once if it never started
     * (a failed start-up has nothing in flight).
     */
    static void awaitStopped(Duration limit) {
        if (!started) {
            return;
        }
        try {
            STOPPED.await(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
