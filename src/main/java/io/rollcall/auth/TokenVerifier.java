package io.rollcall.auth;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.rollcall.config.RollcallConfig;
import io.rollcall.token.SigningKeys;
import io.rollcall.token.TokenIssuer;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * Checks a bearer token with SmallRye JWT against this server's public key: RS256 only (so {@code alg: none} and
 * HMAC tricks fail), our issuer, {@code exp} and {@code iat} present, not expired. Says nothing about whether the key is
 * still valid in the store; that is the gate's next question.
 */
@ApplicationScoped
public class TokenVerifier {

    /** The identifying claims of a token whose signature and lifetime checked out. */
    public record VerifiedToken(UUID orgId, UUID accessKeyId, UUID tokenId, Instant expiresAt) {
    }

    private static final int MAX_REMEMBERED = 1024;
    private static final int CLOCK_SKEW_SECONDS = 30;

    /** Tokens whose signature checked out, by their exact text (the signing key never changes while we run). */
    private final ConcurrentHashMap<String, VerifiedToken> verified = new ConcurrentHashMap<>();
    private final SigningKeys keys;
    private final RollcallConfig config;
    private DefaultJWTParser parser;

    public TokenVerifier(SigningKeys keys, RollcallConfig config) {
        this.keys = keys;
        this.config = config;
    }

    @PostConstruct
    void init() {
        JWTAuthContextInfo context = new JWTAuthContextInfo(keys.publicKey(), config.tokens().issuer());
        context.setSignatureAlgorithm(Set.of(SignatureAlgorithm.RS256));
        context.setClockSkew(CLOCK_SKEW_SECONDS);
        parser = new DefaultJWTParser(context);
    }

    /** The token's identity, or empty when it is malformed, badly signed, expired, or lacks a claim we need. */
    public Optional<VerifiedToken> verify(String token) {
        // an IdP sends the same token with every request: its signature is checked once, its expiry every time
        VerifiedToken known = verified.get(token);
        if (known != null && Instant.now().isBefore(known.expiresAt().plusSeconds(CLOCK_SKEW_SECONDS))) {
            return Optional.of(known);
        }
        if (known != null) {
            verified.remove(token);
        }
        Optional<VerifiedToken> checked = check(token);
        checked.ifPresent(identity -> {
            if (verified.size() >= MAX_REMEMBERED) {
                verified.clear();
            }
            verified.put(token, identity);
        });
        return checked;
    }

    private Optional<VerifiedToken> check(String token) {
        try {
            JsonWebToken jwt = parser.parse(token);
            return Optional.of(new VerifiedToken(
                    UUID.fromString(jwt.getClaim(TokenIssuer.ORGANIZATION_CLAIM).toString()),
                    UUID.fromString(jwt.getSubject()),
                    UUID.fromString(jwt.getTokenID()),
                    Instant.ofEpochSecond(jwt.getExpirationTime())));
        } catch (ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
