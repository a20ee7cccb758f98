package io.rollcall.support;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

/**
 * A webhook receiver for the tests: a Vert.x HTTP server on loopback that records every request (path, headers,
 * body, arrival time) and answers each path with the status the test chose (202 by default), or not at all.
 */
public final class EventReceiver implements AutoCloseable {

    /** One request as it arrived. */
    public record Received(String path, Map<String, String> headers, String body, Instant at) {

        /** The SET's claims, read without verification. */
        public JsonObject claims() {
            return new JsonObject(new String(java.util.Base64.getUrlDecoder().decode(body.split("\\.")[1]),
                    java.nio.charset.StandardCharsets.UTF_8));
        }

        public String jti() {
            return claims().getString("jti");
        }
    }

    private static final int SILENT = -1;

    private final Vertx vertx = Vertx.vertx();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
    private final Map<String, Integer> failuresFirst = new ConcurrentHashMap<>();
    private final Map<String, Integer> attemptsByJti = new ConcurrentHashMap<>();
    private final Map<String, Long> delays = new ConcurrentHashMap<>();
    private HttpServer server;
    private int port;

    /** Listens on a free loopback port. */
    public static EventReceiver start() {
        EventReceiver receiver = new EventReceiver();
        receiver.listen(0);
        return receiver;
    }

    private void listen(int wanted) {
        server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            Map<String, String> headers = new ConcurrentHashMap<>();
            request.headers().forEach(header -> headers.put(header.getKey().toLowerCase(), header.getValue()));
            Received arrived = new Received(request.path(), headers, body.toString(), Instant.now());
            received.add(arrived);
            int status = statuses.getOrDefault(request.path(), 202);
            int failFirst = failuresFirst.getOrDefault(request.path(), 0);
            if (failFirst > 0 && attemptsByJti.merge(arrived.jti(), 1, Integer::sum) <= failFirst) {
                status = 503;
            }
            int answer = status;
            Runnable respond = () -> {
                if (answer == 302) {
                    request.response().setStatusCode(302).putHeader("Location", "/redirected").end();
                } else if (answer != SILENT) {
                    request.response().setStatusCode(answer).end();
                }
            };
            long delay = delays.getOrDefault(request.path(), 0L);
            if (delay > 0) {
                vertx.setTimer(delay, id -> respond.run());
            } else {
                respond.run();
            }
        }));
        try {
            port = server.listen(wanted, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                    .actualPort();
        } catch (Exception e) {
            throw new IllegalStateException("The test receiver cannot listen", e);
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Answers requests to the path with the status (302 redirects to /redirected). */
    public void answer(String path, int status) {
        statuses.put(path, status);
    }

    /** Answers the first {@code attempts} requests of each event (by jti) at the path with 503. */
    public void failFirstAttempts(String path, int attempts) {
        failuresFirst.put(path, attempts);
    }

    /** Answers requests to the path only after the delay, as a slow receiver does. */
    public void delay(String path, long millis) {
        delays.put(path, millis);
    }

    /** Reads requests to the path and never answers them. */
    public void neverAnswer(String path) {
        statuses.put(path, SILENT);
    }

    /** Stops listening: connections are refused, as from a receiver that is down. */
    public void down() {
        await(server.close());
    }

    /** Listens again on the same port. */
    public void up() {
        listen(port);
    }

    public List<Received> at(String path) {
        return received.stream().filter(request -> request.path().equals(path)).toList();
    }

    @Override
    public void close() {
        await(vertx.close());
    }

    private static void await(io.vertx.core.Future<?> future) {
        try {
            future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the condition holds, checking every 20 ms; fails with the message after the timeout. */
    public static void waitFor(Duration timeout, String what, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("Timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
