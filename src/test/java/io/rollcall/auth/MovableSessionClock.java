package io.rollcall.auth;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.test.Mock;

/** The session clock in tests: the system clock plus an offset a test moves on (and puts back). */
@Mock
@ApplicationScoped
public class MovableSessionClock extends SessionClock {

    private volatile Duration offset = Duration.ZERO;

    @Override
    public Instant now() {
        return Instant.now().plus(offset);
    }

    public void moveOn(Duration by) {
        offset = offset.plus(by);
    }

    public void reset() {
        offset = Duration.ZERO;
    }
}
