package io.rollcall.auth;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

/** The time console sessions are judged by: the system clock (tests replace this bean to move time on). */
@ApplicationScoped
public class SessionClock {

    public Instant now() {
        return Instant.now();
    }
}
