package io.rollcall.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.rollcall.access.ManagedPolicies;
import io.rollcall.access.ManagedRoles;
import io.rollcall.access.PermissionCatalogue;
import io.rollcall.token.SecretFiles;
import io.rollcall.config.RollcallConfig;
import io.rollcall.store.CatalogueRepository;
import io.rollcall.store.OrganizationEntity;
import io.rollcall.store.OrganizationRepository;
import io.rollcall.store.RoleBindingRepository;
import io.rollcall.store.FallbackRoleRepository;
import io.smallrye.mutiny.Uni;

/**
 * Runs at every start, after Flyway's migrations ({@link DatabaseStartup} runs both; this part in one transaction): writes the platform's permission catalogue, managed policies and managed roles
 * into the store. On the first start against an empty database it also creates the first organization and an
 * Organization Owner access key, whose token it writes to {@code rollcall.bootstrap.token-file} (mode 600), and makes
 * sure the platform operator has a token (see {@link OperatorCredential}). Instances
 * starting together serialise on an advisory lock, so exactly one of them bootstraps.
 */
@ApplicationScoped
public class BootstrapService {

    private static final Logger LOG = Logger.getLogger(BootstrapService.class);

    private final RollcallConfig config;
    private final CatalogueRepository catalogue;
    private final OrganizationRepository organizations;
    private final RoleBindingRepository bindings;
    private final FallbackRoleRepository fallbacks;
    private final OrganizationService organizationService;
    private final OperatorCredential operator;

    public BootstrapService(RollcallConfig config, CatalogueRepository catalogue, OrganizationRepository organizations,
            RoleBindingRepository bindings, FallbackRoleRepository fallbacks, OrganizationService organizationService, OperatorCredential operator) {
        this.config = config;
        this.catalogue = catalogue;
        this.organizations = organizations;
        this.bindings = bindings;
        this.fallbacks = fallbacks;
        this.organizationService = organizationService;
        this.operator = operator;
    }

    Uni<Void> bootstrap() {
        return organizations.lockBootstrap()
                .chain(() -> catalogue.writePermissions(PermissionCatalogue.all()))
                .chain(() -> catalogue.writeManagedPolicies(ManagedPolicies.all()))
                .chain(() -> organizations.count())
                .chain(existing -> existing > 0 ? catalogue.writeManagedRoles(ManagedRoles.all())
                        .chain(this::giveUnboundUsersTheFallbackRole)
                        : createFirstOrganization())
                .chain(operator::ensure);
    }

    /** Users stored before role bindings existed get the fallback role, so that every user keeps one (rule 1). */
    private Uni<Void> giveUnboundUsersTheFallbackRole() {
        return organizations.listAll().chain(all -> io.smallrye.mutiny.Multi.createFrom().iterable(all)
                .onItem().transformToUniAndConcatenate(organization -> fallbacks.reconcileFallbackOfUnbound(organization.id))
                .collect().last())
                .replaceWithVoid();
    }

    private Uni<Void> createFirstOrganization() {
        return organizationService.createWithOwner(config.bootstrap().organization())
                .invoke(created -> writeToken(created.organization(), created.token()))
                .replaceWithVoid();
    }

    private void writeToken(OrganizationEntity organization, String token) {
        Path file = config.bootstrap().tokenFile().orElse(config.dataDir().resolve("owner.token")).toAbsolutePath();
        try {
            SecretFiles.writeOwnerOnly(file, token + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the owner token to " + file, e);
        }
        LOG.infof("Created organization '%s' with an Organization Owner access key; its token is in %s (mode 600)",
                organization.name, file);
    }

}
