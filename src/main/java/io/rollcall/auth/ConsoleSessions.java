package io.rollcall.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.rollcall.auth.TokenVerifier.VerifiedToken;
import io.rollcall.config.RollcallConfig;
import io.rollcall.service.AccessKeyService.AccessKeyRevoked;

/**
 * The console's sessions: an administrator signs in with an access key's token once, and the browser then holds only
 * a random session id in an {@code HttpOnly} cookie. A session remembers the token's identity (never the token text)
 * and a CSRF token the console sends back in the {@code X-CSRF-Token} header on writes; every request through it is
 * still judged by {@link CallerResolver}, so a revoked key or a removed role ends what the session can do at once.
 * <p>
 * A session ends when it has been idle for {@code rollcall.console.session-idle-timeout}, at
 * {@code rollcall.console.session-max-age} after sign-in or at the token's expiry (whichever comes first), at sign-out,
 * and when its access key is revoked on this instance. Sessions are held in this instance's memory: behind a load
 * balancer, route a browser to one instance (sticky sessions), or it is asked to sign in again.
 * The map is keyed by the SHA-256 of the session id, so the ids themselves are nowhere in the heap.
 */
@ApplicationScoped
public class ConsoleSessions {

    /** The cookie's name; its value is the session id. */
    public static final String COOKIE = "rollcall_console";
    /** The header a console write carries the session's CSRF token in. */
    public static final String CSRF_HEADER = "X-CSRF-Token";

    /** What a signed-in browser holds, as the console sees it. */
    public record Session(String csrfToken, Instant expiresAt, VerifiedToken token) {
    }

    /** A new session: the cookie value (shown only here) and the session. */
    public record Opened(String id, Session session) {
    }

    private static final class Entry {
        final VerifiedToken token;
        final String csrfToken;
        final Instant hardExpiry;
        volatile Instant lastSeen;

        Entry(VerifiedToken token, String csrfToken, Instant hardExpiry, Instant lastSeen) {
            this.token = token;
            this.csrfToken = csrfToken;
            this.hardExpiry = hardExpiry;
            this.lastSeen = lastSeen;
        }
    }

    /** Thrown when this instance holds {@code rollcall.console.max-sessions} live sessions already. */
    public static final class TooManySessions extends RuntimeException {
        TooManySessions() {
            super("Too many console sessions are open on this server; try again later", null, false, false);
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ConcurrentHashMap<String, Entry> byIdHash = new ConcurrentHashMap<>();
    private final SessionClock clock;
    private final Duration idleTimeout;
    private final Duration maxAge;
    private final int maxSessions;

    public ConsoleSessions(SessionClock clock, RollcallConfig config) {
        this.clock = clock;
        this.idleTimeout = config.console().sessionIdleTimeout();
        this.maxAge = config.console().sessionMaxAge();
        this.maxSessions = config.console().maxSessions();
    }

    /** Opens a session for a token whose signature and access key have been checked. */
    public Opened open(VerifiedToken token) {
        Instant now = clock.now();
        if (byIdHash.size() >= maxSessions) {
            byIdHash.values().removeIf(entry -> expired(entry, now));
            if (byIdHash.size() >= maxSessions) {
                throw new TooManySessions();
            }
        }
        String id = randomToken();
        Instant hardExpiry = now.plus(maxAge).isBefore(token.expiresAt()) ? now.plus(maxAge) : token.expiresAt();
        Entry entry = new Entry(token, randomToken(), hardExpiry, now);
        byIdHash.put(hash(id), entry);
        return new Opened(id, view(entry));
    }

    /** The live session with this id, its idle time started again; empty when unknown, expired or signed out. */
    public Optional<Session> use(String id) {
        if (id == null || id.isEmpty() || id.length() > 100) {
            return Optional.empty();
        }
        String key = hash(id);
        Entry entry = byIdHash.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        Instant now = clock.now();
        if (expired(entry, now)) {
            byIdHash.remove(key, entry);
            return Optional.empty();
        }
        entry.lastSeen = now;
        return Optional.of(view(entry));
    }

    /** Ends the session (sign-out); nothing happens when there is none. */
    public void close(String id) {
        if (id != null) {
            byIdHash.remove(hash(id));
        }
    }

    /** Whether a request's CSRF header is the session's token (compared in constant time). */
    public static boolean csrfMatches(Session session, String header) {
        return header != null && MessageDigest.isEqual(session.csrfToken().getBytes(StandardCharsets.UTF_8),
                header.trim().getBytes(StandardCharsets.UTF_8));
    }

    /** A revoked key's sessions end with it. */
    void forget(@Observes AccessKeyRevoked revoked) {
        byIdHash.values().removeIf(entry -> entry.token.accessKeyId().equals(revoked.accessKeyId()));
    }

    private Session view(Entry entry) {
        Instant idleEnd = entry.lastSeen.plus(idleTimeout);
        return new Session(entry.csrfToken, idleEnd.isBefore(entry.hardExpiry) ? idleEnd : entry.hardExpiry,
                entry.token);
    }

    private boolean expired(Entry entry, Instant now) {
        return !now.isBefore(entry.hardExpiry) || !now.isBefore(entry.lastSeen.plus(idleTimeout));
    }

    private static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String hash(String id) {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
