package io.rollcall.service;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import com.unboundid.scim2.common.exceptions.ResourceNotFoundException;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.rollcall.access.PermissionCatalogue;
import io.rollcall.access.Principal;
import io.rollcall.token.TokenIssuer;
import io.rollcall.config.RollcallConfig;
import io.rollcall.store.AccessKeyEntity;
import io.rollcall.store.AccessKeyRepository;
import io.rollcall.store.AccessKeySecretRepository;
import io.rollcall.store.AccessKeySecretRepository.SecretRow;
import io.rollcall.store.GrantRepository;
import io.rollcall.resource.Ids;
import io.rollcall.store.RoleBindingEntity.PrincipalKind;
import io.smallrye.mutiny.Uni;

/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4) for identity providers that fetch short-lived tokens instead of holding
 * a long-lived one: an access key may have client secrets (shown once, stored as hashes, revocable), and a client that
 * authenticates with the key's id and one of them gets an access token for that key, valid
 * {@code rollcall.oauth.token-lifetime}. The token's id is the secret's, so revoking the secret ends its tokens.
 * A secret lets its holder act as the key, so creating one needs {@code access-keys:manage} and every permission the
 * key holds (rule 6).
 */
@ApplicationScoped
public class ClientCredentialsService {

    private static final String PREFIX = "rcs_";

    /** A new secret, shown once. */
    public record NewSecret(SecretRow row, String secret) {
    }

    /** An access token for a client. */
    public record IssuedToken(String accessToken, long expiresInSeconds) {
    }

    /** Fired once a secret's revocation has committed, so that this instance forgets its tokens at once. */
    public record SecretRevoked(UUID secretId) {
    }

    private final AccessKeyRepository keys;
    private final AccessKeySecretRepository secrets;
    private final GrantRepository grants;
    private final TokenIssuer tokens;
    private final Duration lifetime;
    private final Event<SecretRevoked> revocations;

    private final ChangeLog changeLog;

    public ClientCredentialsService(AccessKeyRepository keys, AccessKeySecretRepository secrets, GrantRepository grants,
            TokenIssuer tokens, RollcallConfig config, Event<SecretRevoked> revocations, ChangeLog changeLog) {
        this.changeLog = changeLog;
        this.keys = keys;
        this.secrets = secrets;
        this.grants = grants;
        this.tokens = tokens;
        this.lifetime = config.oauth().tokenLifetime();
        this.revocations = revocations;
    }

    public Uni<NewSecret> createSecret(Principal caller, UUID keyId) {
        String secret = RandomSecrets.generate(PREFIX);
        UUID id = Ids.timeOrdered();
        Instant now = now();
        AuditedChange audited = AuditedChange.create(caller, "ClientSecret", "client_secret").resource(id);
        return changeLog.run(audited, () -> CallerChecks.checked(caller,
                PermissionCatalogue.ACCESS_KEYS_MANAGE, "create client secrets")
                .chain(() -> activeKey(caller, keyId))
                .call(key -> grants.grantsOf(caller.orgId(), PrincipalKind.ACCESS_KEY, key.id)
                        .invoke(held -> Escalation.requireHeld(caller, held, "A client secret for access key '"
                                + key.name + "' acts as that key, so creating one")))
                .call(key -> secrets.insert(caller.orgId(), key.id, id, RandomSecrets.sha256Hex(secret), now))
                .map(key -> new NewSecret(new SecretRow(id, key.id, now, null), secret)));
    }

    public Uni<List<SecretRow>> listSecrets(Principal caller, UUID keyId) {
        return Panache.withSession(() -> CallerChecks.checked(caller, PermissionCatalogue.ACCESS_KEYS_READ,
                "list client secrets")
                .chain(() -> activeKey(caller, keyId))
                .chain(key -> secrets.listActive(caller.orgId(), key.id)));
    }

    public Uni<Void> revokeSecret(Principal caller, UUID keyId, UUID secretId) {
        AuditedChange audited = AuditedChange.of(caller, "ClientSecret", "client_secret", "revoke", secretId);
        return changeLog.run(audited, () -> CallerChecks.checked(caller,
                PermissionCatalogue.ACCESS_KEYS_MANAGE, "revoke client secrets")
                .chain(() -> activeKey(caller, keyId))
                .chain(key -> secrets.revoke(caller.orgId(), key.id, secretId, now()))
                .invoke(revoked -> {
                    if (!revoked) {
                        throw CallerChecks.notFound("No client secret " + secretId + " of access key " + keyId);
                    }
                }))
                .invoke(() -> revocations.fire(new SecretRevoked(secretId)))
                .replaceWithVoid();
    }

    /**
     * An access token when {@code clientId} is a live access key of an active organization and {@code clientSecret}
     * one of its live secrets; empty otherwise (the caller cannot tell which part was wrong, nor can a client).
     */
    public Uni<Optional<IssuedToken>> token(String clientId, String clientSecret) {
        Optional<UUID> keyId = Ids.parse(clientId);
        if (keyId.isEmpty() || clientSecret == null || !clientSecret.startsWith(PREFIX)) {
            return Uni.createFrom().item(Optional.empty());
        }
        return Transactions.runToCompletion(Panache.withTransaction(() -> secrets.candidates(keyId.get())
                .chain(candidates -> {
                    var match = candidates.stream().filter(c -> RandomSecrets.matches(clientSecret, c.secretHash()))
                            .findFirst();
                    if (match.isEmpty()) {
                        return Uni.createFrom().item(Optional.<IssuedToken>empty());
                    }
                    Instant issuedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
                    String token = tokens.issue(match.get().orgId(), keyId.get(), match.get().secretId(), issuedAt,
                            issuedAt.plus(lifetime));
                    return secrets.recordUse(match.get().secretId(), issuedAt)
                            .call(() -> recordIssue(match.get().orgId(), keyId.get()))
                            .replaceWith(Optional.of(new IssuedToken(token, lifetime.toSeconds())));
                })));
    }

    /**
     * The audit row of an issued token ({@code access_key.token}, channel {@code oauth}), in the issuing transaction:
     * the actor is the key the client authenticated as (with one of its client secrets).
     */
    private Uni<Void> recordIssue(UUID orgId, UUID keyId) {
        return keys.findActive(orgId, keyId).chain(key -> key == null ? Uni.createFrom().voidItem()
                : changeLog.record(AuditedChange.of(new Principal(orgId, PrincipalKind.ACCESS_KEY.wire(), key.id,
                        key.name, List.of(), List.of()), "AccessKey", "access_key", "token", key.id)));
    }

    private Uni<AccessKeyEntity> activeKey(Principal caller, UUID keyId) {
        return keys.findActive(caller.orgId(), keyId).onItem().ifNull().failWith(() -> ScimFailure.of(
                new ResourceNotFoundException("No access key " + keyId + " in this organization (revoked keys are "
                        + "gone)")));
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
