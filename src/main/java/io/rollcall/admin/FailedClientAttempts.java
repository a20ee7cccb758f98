package io.rollcall.admin;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.rollcall.config.RollcallConfig;

/**
 * Failed client authentications at {@code POST /oauth/token}, counted per client id: after
 * {@code rollcall.oauth.max-failures} within {@code rollcall.oauth.failure-window}, the client id is refused until the
 * window has passed, right secret or not, so that a secret cannot be guessed at the speed of the network. Counted per
 * instance (a few times the limit in all behind a load balancer); bounded in memory.
 */
@ApplicationScoped
public class FailedClientAttempts {

    private static final int MAX_TRACKED = 10_000;

    private record Window(long startedNanos, int failures) {
    }

    private final ConcurrentHashMap<String, Window> byClient = new ConcurrentHashMap<>();
    private final int maxFailures;
    private final long windowNanos;

    public FailedClientAttempts(RollcallConfig config) {
        this.maxFailures = config.oauth().maxFailures();
        this.windowNanos = config.oauth().failureWindow().toNanos();
    }

    /** How long the client id must wait before it may try again; zero when it may try now. */
    Duration waitFor(String clientId) {
        Window window = byClient.get(key(clientId));
        if (window == null) {
            return Duration.ZERO;
        }
        long age = System.nanoTime() - window.startedNanos();
        if (age >= windowNanos) {
            byClient.remove(key(clientId), window);
            return Duration.ZERO;
        }
        return window.failures() >= maxFailures ? Duration.ofNanos(windowNanos - age) : Duration.ZERO;
    }

    void failed(String clientId) {
        if (byClient.size() >= MAX_TRACKED) {
            long now = System.nanoTime();
            byClient.values().removeIf(w -> now - w.startedNanos() >= windowNanos);
        }
        byClient.compute(key(clientId), (id, window) -> window == null
                || System.nanoTime() - window.startedNanos() >= windowNanos
                        ? new Window(System.nanoTime(), 1) : new Window(window.startedNanos(), window.failures() + 1));
    }

    private static String key(String clientId) {
        return clientId == null ? "" : clientId.length() > 64 ? clientId.substring(0, 64) : clientId;
    }
}
