package io.rollcall.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Ports for the processes a packaged-jar test starts. */
final class Ports {

    private Ports() {
    }

    /** A port nothing listens on now (the system's choice), for a server the test is about to start. */
    static int free() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
