package io.rollcall.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.exceptions.ForbiddenException;
import com.unboundid.scim2.common.exceptions.ResourceConflictException;
import com.unboundid.scim2.common.exceptions.ResourceNotFoundException;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.rollcall.access.ManagedRoles;
import io.rollcall.access.PermissionCatalogue;
import io.rollcall.access.Principal;
import io.rollcall.token.TokenIssuer;
import io.rollcall.store.AccessKeyEntity;
import io.rollcall.store.AccessKeyRepository;
import io.rollcall.store.AccessKeySecretRepository;
import io.rollcall.store.OrganizationRepository;
import io.rollcall.store.GrantRepository;
import io.rollcall.store.RoleBindingEntity;
import io.rollcall.store.RoleBindingEntity.PrincipalKind;
import io.rollcall.store.RoleBindingRepository;
import io.rollcall.store.RoleEntity;
import io.rollcall.store.RoleRepository;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Access keys: create (the token is shown once), list, read, revoke, and resolve a token's key into the
 * {@link Principal} the gates check. Every operation on behalf of a caller checks its permission first.
 */
@ApplicationScoped
public class AccessKeyService {

    static final int MAX_NAME_LENGTH = 200;

    private final AccessKeyRepository keys;
    private final OrganizationRepository organizations;
    private final AccessKeySecretRepository secrets;
    private final RoleRepository roles;
    private final RoleBindingRepository bindings;
    private final GrantRepository grants;
    private final TokenIssuer tokens;
    private final Event<AccessKeyRevoked> revocations;

    private final ChangeLog changeLog;

    public AccessKeyService(AccessKeyRepository keys, RoleRepository roles, RoleBindingRepository bindings,
            GrantRepository grants, TokenIssuer tokens, Event<AccessKeyRevoked> revocations,
            OrganizationRepository organizations, AccessKeySecretRepository secrets, ChangeLog changeLog) {
        this.changeLog = changeLog;
        this.organizations = organizations;
        this.secrets = secrets;
        this.keys = keys;
        this.roles = roles;
        this.bindings = bindings;
        this.grants = grants;
        this.tokens = tokens;
        this.revocations = revocations;
    }

    /** An access key as shown to administrators, with its token only right after creation. */
    public record AccessKeyView(AccessKeyEntity key, List<RoleEntity> roles, String token) {
    }

    /** Fired after a revocation commits, so that this instance forgets the key at once rather than within seconds. */
    public record AccessKeyRevoked(UUID accessKeyId) {
    }

    public Uni<AccessKeyView> create(Principal caller, String name, List<String> roleReferences, Instant expiresAt) {
        AuditedChange audited = AuditedChange.create(caller, "AccessKey", "access_key").attribute("name")
                .attributes(roleReferences == null ? List.of() : List.of("roles"))
                .attributes(expiresAt == null ? List.of() : List.of("expiresAt"));
        return changeLog.run(audited, () -> Uni.createFrom().item(() -> {
            require(caller, PermissionCatalogue.ACCESS_KEYS_MANAGE, "create access keys");
            String cleanName = validName(name);
            if (expiresAt != null && !expiresAt.isAfter(Instant.now())) {
                throw unchecked(BadRequestException.invalidValue("'expiresAt' (" + expiresAt + ") is in the past; give a "
                        + "future instant such as " + Instant.now().plusSeconds(90L * 24 * 3600) + ", or leave it out"));
            }
            return cleanName;
        }).chain(cleanName -> resolveGrantable(caller, roleReferences)
                .chain(granted -> {
                    AccessKeyEntity key = AccessKeyEntity.create(caller.orgId(), cleanName, expiresAt);
                    audited.resource(key.id);
                    return keys.persist(key)
                            .chain(() -> Multi.createFrom().iterable(granted)
                                    .onItem().transformToUniAndConcatenate(role -> bindings.persist(
                                            RoleBindingEntity.atOrganization(caller.orgId(), PrincipalKind.ACCESS_KEY,
                                                    key.id, role.id, RoleBindingEntity.Source.LOCAL)))
                                    .collect().last())
                            .map(ignored -> new AccessKeyView(key, granted,
                                    tokens.issue(key.orgId, key.id, key.tokenId, key.createdAt, key.expiresAt)));
                })));
    }

    @WithSession
    public Uni<List<AccessKeyView>> list(Principal caller) {
        return Uni.createFrom().item(() -> require(caller, PermissionCatalogue.ACCESS_KEYS_READ, "list access keys"))
                .chain(() -> keys.listActive(caller.orgId()))
                .chain(active -> Multi.createFrom().iterable(active)
                        .onItem().transformToUniAndConcatenate(key -> withRoles(key))
                        .collect().asList());
    }

    @WithSession
    public Uni<AccessKeyView> get(Principal caller, UUID id) {
        return Uni.createFrom().item(() -> require(caller, PermissionCatalogue.ACCESS_KEYS_READ, "read access keys"))
                .chain(() -> keys.findActive(caller.orgId(), id))
                .onItem().ifNull().failWith(() -> unchecked(notFound(id)))
                .chain(this::withRoles);
    }

    /**
     * Revokes the key: its token stops working on this instance as soon as the revocation commits, on every other
     * instance within the caller cache's lifetime.
     */
    public Uni<Void> revoke(Principal caller, UUID id) {
        AuditedChange audited = AuditedChange.of(caller, "AccessKey", "access_key", "revoke", id).status(204);
        return changeLog.run(audited, () -> Uni.createFrom()
                .item(() -> require(caller, PermissionCatalogue.ACCESS_KEYS_MANAGE, "revoke access keys"))
                .chain(() -> keys.findActive(caller.orgId(), id))
                .onItem().ifNull().failWith(() -> unchecked(notFound(id)))
                .chain(key -> {
                    if (key.id.equals(caller.id())) {
                        throw unchecked(new ResourceConflictException("This request is authenticated with access key "
                                + id + "; revoke it with another key that holds access-keys:manage"));
                    }
                    key.revokedAt = Instant.now();
                    return bindings.deleteAllOf(caller.orgId(), PrincipalKind.ACCESS_KEY, key.id);
                }))
                .invoke(() -> revocations.fire(new AccessKeyRevoked(id)))
                .replaceWithVoid();
    }

    /**
     * The principal a verified token speaks for, if its key is still active and the token is still the key's; records
     * the use.
     */
    @WithTransaction
    public Uni<Optional<Principal>> authenticate(UUID orgId, UUID accessKeyId, UUID tokenId) {
        return keys.findActiveByToken(orgId, accessKeyId, tokenId)
                // a token issued for a client secret carries the secret's id (POST /oauth/token)
                .chain(key -> key != null ? Uni.createFrom().item(key)
                        : secrets.isLive(orgId, accessKeyId, tokenId).chain(live -> live
                                ? keys.findActive(orgId, accessKeyId) : Uni.createFrom().nullItem()))
                .chain(key -> key == null ? Uni.createFrom().item(Optional.<Principal>empty())
                        : organizations.isActive(orgId).chain(active -> {
                            if (!active) {
                                throw unchecked(new ForbiddenException("This organization is suspended: its access "
                                        + "keys are refused until the platform operator resumes it"));
                            }
                            return principalOf(orgId, key);
                        }));
    }

    private Uni<Optional<Principal>> principalOf(UUID orgId, AccessKeyEntity key) {
        // the use is recorded last, so the key's row stays locked only for the commit
        return roles.listHeldBy(orgId, PrincipalKind.ACCESS_KEY, key.id)
                .chain(held -> grants.grantsOf(orgId, PrincipalKind.ACCESS_KEY, key.id)
                        .map(reached -> Optional.of(new Principal(orgId, PrincipalKind.ACCESS_KEY.wire(), key.id,
                                key.name, held.stream().map(r -> r.value).toList(), reached))))
                .call(() -> keys.recordUse(key.id, Instant.now()));
    }

    private Uni<AccessKeyView> withRoles(AccessKeyEntity key) {
        return roles.listHeldBy(key.orgId, PrincipalKind.ACCESS_KEY, key.id).map(held -> new AccessKeyView(key, held, null));
    }

    /** Resolves the role references and checks the caller may grant each (no escalation, no internal roles). */
    private Uni<List<RoleEntity>> resolveGrantable(Principal caller, List<String> references) {
        if (references == null || references.isEmpty()) {
            return Uni.createFrom().failure(unchecked(BadRequestException.invalidValue(
                    "'roles' is empty; an access key needs at least one role, e.g. [\"SCIM Client\"]")));
        }
        if (references.stream().anyMatch(Objects::isNull)) {
            return Uni.createFrom().failure(CallerChecks.invalid("'roles' holds a null; list role names, values or ids"));
        }
        Set<String> distinct = new LinkedHashSet<>(references);
        return Multi.createFrom().iterable(distinct)
                .onItem().transformToUniAndConcatenate(reference -> grantable(caller, reference))
                .collect().asList()
                .map(resolved -> resolved.stream().collect(Collectors.toMap(r -> r.id, r -> r, (a, b) -> a,
                        java.util.LinkedHashMap::new)))
                .map(Map::values)
                .map(ArrayList::new);
    }

    private Uni<RoleEntity> grantable(Principal caller, String reference) {
        if (reference == null || reference.isBlank()) {
            return Uni.createFrom().failure(unchecked(BadRequestException.invalidValue("A role in 'roles' is blank")));
        }
        return roles.findByReference(caller.orgId(), reference.trim()).chain(role -> {
            if (role == null || role.internal) {
                String why = role == null ? "is not a role of this organization" : "is an internal role and cannot be assigned";
                return Uni.createFrom().failure(unchecked(BadRequestException.invalidValue("'" + reference + "' " + why
                        + "; name a role by its value, id or name")));
            }
            if (caller.holds(ManagedRoles.ORGANIZATION_OWNER)) {
                return Uni.createFrom().item(role);
            }
            return grants.grantsOfRole(caller.orgId(), role.id).map(roleGrants -> {
                Escalation.requireHeld(caller, roleGrants, "Granting '" + role.name + "'");
                return role;
            });
        });
    }

    private static String validName(String name) {
        if (name == null || name.isBlank()) {
            throw unchecked(BadRequestException.invalidValue("'name' is required: say what the key is for, e.g. \"okta\""));
        }
        String trimmed = name.trim();
        if (trimmed.length() > MAX_NAME_LENGTH) {
            throw unchecked(BadRequestException.invalidValue("'name' has " + trimmed.length() + " characters; at most "
                    + MAX_NAME_LENGTH + " are allowed"));
        }
        return trimmed;
    }

    private static Void require(Principal caller, String permission, String action) {
        if (!caller.allows(permission)) {
            throw unchecked(new ForbiddenException("To " + action + " the caller needs the " + permission
                    + " permission (Organization Owner has it); this key holds " + caller.roles()));
        }
        return null;
    }

    private static ResourceNotFoundException notFound(UUID id) {
        return new ResourceNotFoundException("No access key " + id + " in this organization (revoked keys are gone)");
    }

    private static ScimFailure unchecked(com.unboundid.scim2.common.exceptions.ScimException e) {
        return ScimFailure.of(e);
    }
}
