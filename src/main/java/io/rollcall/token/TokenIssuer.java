package io.rollcall.token;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.rollcall.config.RollcallConfig;
import io.smallrye.jwt.build.Jwt;

/**
 * Mints access-key tokens: RS256 JWTs with {@code iss}, {@code sub} (access key id), {@code org} (organization id),
 * {@code jti} (the key's token id), {@code iat} and {@code exp}. SmallRye JWT insists on {@code exp}, so a key without
 * an expiry gets one a century away; revoking the key is how such a token ends.
 */
@ApplicationScoped
public class TokenIssuer {

    public static final String ORGANIZATION_CLAIM = "org";
    static final Duration NO_EXPIRY = Duration.ofDays(36_500);

    private final SigningKeys keys;
    private final RollcallConfig config;

    public TokenIssuer(SigningKeys keys, RollcallConfig config) {
        this.keys = keys;
        this.config = config;
    }

    public String issue(UUID orgId, UUID accessKeyId, UUID tokenId, Instant issuedAt, Instant expiresAt) {
        return Jwt.issuer(config.tokens().issuer())
                .subject(accessKeyId.toString())
                .claim(ORGANIZATION_CLAIM, orgId.toString())
                .claim("jti", tokenId.toString())
                .issuedAt(issuedAt)
                .expiresAt(expiresAt != null ? expiresAt : issuedAt.plus(NO_EXPIRY))
                .jws()
                .keyId(keys.keyId())
                .sign(keys.privateKey());
    }
}
