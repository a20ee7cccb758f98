package io.rollcall.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import com.unboundid.scim2.common.exceptions.ForbiddenException;
import com.unboundid.scim2.common.exceptions.ResourceConflictException;
import com.unboundid.scim2.common.exceptions.ResourceNotFoundException;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.rollcall.access.ManagedRoles;
import io.rollcall.access.Principal;
import io.rollcall.token.TokenIssuer;
import io.rollcall.store.AccessKeyEntity;
import io.rollcall.store.AccessKeyRepository;
import io.rollcall.store.CatalogueRepository;
import io.rollcall.store.OrganizationEntity;
import io.rollcall.store.OrganizationRepository;
import io.rollcall.store.OrganizationRepository.Counts;
import io.rollcall.store.Page;
import io.rollcall.store.RoleBindingEntity;
import io.rollcall.store.RoleBindingRepository;
import io.rollcall.store.RoleRepository;
import io.smallrye.mutiny.Uni;

/**
 * The platform operator's use cases: create organizations (each with the managed roles, the default settings and a
 * first Organization Owner access key, as the first start makes {@code default}), list, read with counts, rename,
 * suspend and resume (a suspended organization's tokens are refused everywhere), and delete with every row.
 * Only the operator may call them (403 otherwise); the operator may call nothing else.
 */
@ApplicationScoped
public class OrganizationService {

    static final int MAX_NAME_LENGTH = 100;

    /** A new organization and its first owner key, with the key's token (shown once). */
    public record Created(OrganizationEntity organization, AccessKeyEntity ownerKey, String token) {
    }

    /** An organization and what it holds. */
    public record Summary(OrganizationEntity organization, Counts counts) {
    }

    /** Fired once an organization's tokens stop working (suspended or deleted), so that this instance forgets them. */
    public record OrganizationClosed(UUID orgId) {
    }

    private final OrganizationRepository organizations;
    private final CatalogueRepository catalogue;
    private final RoleRepository roles;
    private final AccessKeyRepository keys;
    private final RoleBindingRepository bindings;
    private final TokenIssuer tokens;
    private final Event<OrganizationClosed> closed;

    private final ChangeLog changeLog;

    public OrganizationService(OrganizationRepository organizations, CatalogueRepository catalogue,
            RoleRepository roles, AccessKeyRepository keys, RoleBindingRepository bindings, TokenIssuer tokens,
            Event<OrganizationClosed> closed, ChangeLog changeLog) {
        this.changeLog = changeLog;
        this.organizations = organizations;
        this.catalogue = catalogue;
        this.roles = roles;
        this.keys = keys;
        this.bindings = bindings;
        this.tokens = tokens;
        this.closed = closed;
    }

    public Uni<Created> create(Principal caller, String name) {
        AuditedChange audited = AuditedChange.create(caller, "Organization", "organization").attribute("name");
        return changeLog.run(audited, () -> operatorOnly(caller)
                .chain(() -> createWithOwner(validName(name)))
                .invoke(created -> audited.organization(created.organization().id).resource(created.organization().id)))
                .onFailure().transform(failure -> duplicate(failure, name));
    }

    public Uni<Page<OrganizationEntity>> list(Principal caller, int offset, int limit) {
        return Panache.withSession(() -> operatorOnly(caller).chain(() -> organizations.page(offset, limit)));
    }

    public Uni<Summary> get(Principal caller, UUID id) {
        return Panache.withSession(() -> operatorOnly(caller).chain(() -> summary(id)));
    }

    /** Renames (when {@code name} is given) and suspends or resumes (when {@code suspended} is given). */
    public Uni<Summary> update(Principal caller, UUID id, String name, Boolean suspended) {
        java.util.List<String> named = new java.util.ArrayList<>();
        if (name != null) {
            named.add("name");
        }
        if (suspended != null) {
            named.add("suspended");
        }
        AuditedChange audited = AuditedChange.of(caller, "Organization", "organization", "update", id).organization(id)
                .attributes(named);
        return changeLog.run(audited, () -> operatorOnly(caller)
                .chain(() -> found(id))
                .chain(organization -> {
                    if (name != null) {
                        organization.name = validName(name);
                    }
                    if (suspended != null && suspended != (organization.suspendedAt != null)) {
                        organization.suspendedAt = suspended ? now() : null;
                    }
                    return organizations.flush().chain(() -> summary(id));
                }))
                .onFailure().transform(failure -> duplicate(failure, name))
                .invoke(summary -> {
                    if (summary.organization().suspendedAt != null) {
                        closed.fire(new OrganizationClosed(id));
                    }
                });
    }

    /** Deletes the organization with every row it owns; {@code confirm} must repeat its name (409 otherwise). */
    public Uni<Void> delete(Principal caller, UUID id, String confirm) {
        // recorded without organization (the operator's own log): the organization's rows, its log included, go with it
        AuditedChange audited = AuditedChange.delete(caller, "Organization", "organization", id);
        return changeLog.run(audited, () -> operatorOnly(caller)
                .chain(() -> found(id))
                .chain(organization -> {
                    if (!organization.name.equals(confirm)) {
                        throw ScimFailure.of(new ResourceConflictException("Deleting organization '" + organization.name
                                + "' removes all its users, groups, roles and keys for good; repeat its name to confirm: "
                                + "DELETE /admin/v1/organizations/" + id + "?confirm=<name>"));
                    }
                    return organizations.deleteWithEverything(id);
                }))
                .invoke(() -> closed.fire(new OrganizationClosed(id)));
    }

    /**
     * Makes an organization as the first start does: the managed roles, the default settings and an Organization
     * Owner access key (source {@code system}). Runs in the caller's transaction.
     */
    Uni<Created> createWithOwner(String name) {
        OrganizationEntity organization = OrganizationEntity.create(name);
        AccessKeyEntity key = AccessKeyEntity.create(organization.id, "bootstrap owner", null);
        return organizations.persist(organization)
                .chain(organizations::flush)
                .chain(() -> catalogue.writeManagedRolesOf(organization.id, ManagedRoles.all()))
                .chain(() -> roles.findByValue(organization.id, ManagedRoles.ORGANIZATION_OWNER))
                .chain(owner -> keys.persist(key).chain(() -> bindings.persist(RoleBindingEntity.atOrganization(
                        organization.id, RoleBindingEntity.PrincipalKind.ACCESS_KEY, key.id, owner.id,
                        RoleBindingEntity.Source.SYSTEM))))
                .chain(() -> bindings.flush())
                .map(ignored -> new Created(organization, key,
                        tokens.issue(organization.id, key.id, key.tokenId, key.createdAt, null)));
    }

    private Uni<Summary> summary(UUID id) {
        return found(id).chain(organization -> organizations.counts(id).map(counts -> new Summary(organization, counts)));
    }

    private Uni<OrganizationEntity> found(UUID id) {
        return organizations.findById(id).onItem().ifNull().failWith(() -> ScimFailure.of(
                new ResourceNotFoundException("No organization " + id)));
    }

    private static Uni<Void> operatorOnly(Principal caller) {
        return Uni.createFrom().item(() -> {
            if (!caller.isOperator()) {
                throw ScimFailure.of(new ForbiddenException("Organizations are managed with the platform operator's "
                        + "token; an organization's access keys cannot"));
            }
            return null;
        });
    }

    private static String validName(String name) {
        if (name == null || name.isBlank()) {
            throw CallerChecks.invalid("'name' is required, e.g. {\"name\": \"acme\"}");
        }
        String trimmed = name.trim();
        if (trimmed.length() > MAX_NAME_LENGTH) {
            throw CallerChecks.invalid("'name' has " + trimmed.length() + " characters; at most " + MAX_NAME_LENGTH
                    + " are allowed");
        }
        if (trimmed.chars().anyMatch(Character::isISOControl)) {
            throw CallerChecks.invalid("'name' holds a control character");
        }
        return trimmed;
    }

    private static Throwable duplicate(Throwable failure, String name) {
        if (StoreFailures.duplicate(failure).isPresent()) {
            return ScimFailure.of(ResourceConflictException.uniqueness("An organization named '"
                    + (name == null ? "" : name.trim()) + "' exists (names are unique in any case)"));
        }
        return failure;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
