package io.rollcall.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Asking a server the test started how it answers a GET, and waiting until it answers as expected. */
final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Http() {
    }

    /** The status of a GET, or -1 while nothing answers. */
    static int status(URI uri) {
        try {
            return CLIENT.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException notAnswering) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Waits until a GET of {@code uri} answers {@code expected}; fails at once if the server's process exits, and after
     * {@code seconds} with the last status seen. {@code see} says where the server's output is.
     */
    static void awaitStatus(Process server, URI uri, int expected, int seconds, Object see) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int last = -1;
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new AssertionError("The server exited (" + server.exitValue() + ") while " + uri.getPath()
                        + " answered " + last + ", not " + expected + "; see " + see);
            }
            last = status(uri);
            if (last == expected) {
                return;
            }
            sleep(50);
        }
        throw new AssertionError(uri.getPath() + " answered " + last + ", not " + expected + ", within " + seconds
                + " s; see " + see);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
