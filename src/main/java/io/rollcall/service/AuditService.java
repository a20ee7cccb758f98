package io.rollcall.service;

import java.util.List;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.rollcall.access.PermissionCatalogue;
import io.rollcall.access.Principal;
import io.rollcall.resource.AuditQuery;
import io.rollcall.store.AuditRecord;
import io.rollcall.store.AuditRepository;
import io.smallrye.mutiny.Uni;

/** Reading the audit log: the caller's organization's rows only, with {@code audit:read}. */
@ApplicationScoped
public class AuditService {

    private final AuditRepository audit;

    public AuditService(AuditRepository audit) {
        this.audit = audit;
    }

    /**
     * One page, newest first, with one row more than {@code query.limit()} when another page follows; the query's
     * organization is the caller's, whatever it says.
     *
     * @param query the request's parameters, read (and refused with 400 if bad) once the caller may read the log
     */
    public Uni<List<AuditRecord>> search(Principal caller, Supplier<AuditQuery> query) {
        return CallerChecks.checked(caller, PermissionCatalogue.AUDIT_READ, "read the audit log")
                .map(ignored -> query.get())
                .chain(asked -> Panache.withSession(() -> audit.search(new AuditQuery(caller.orgId(), asked.from(),
                        asked.to(), asked.actor(), asked.resourceType(), asked.resourceId(), asked.action(),
                        asked.before(), asked.limit()))));
    }
}
