package io.rollcall.service;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.rollcall.access.Principal;
import io.rollcall.observability.RequestObservation;
import io.rollcall.store.AuditRecord;
import io.rollcall.store.AuditRepository;
import io.rollcall.store.FallbackRoleRepository;
import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;

/**
 * Where every change opens its transaction, and where the audit log and the change events are written: the change runs
 * in a transaction that ends with its audit row and events ({@link AuditRepository#record}), so that they
 * exist exactly when the change committed. A change refused once it reached the service (403, 404, 409, 412 …) rolls
 * back; its audit row, with the status the client gets, is then written in a transaction of its own. Bulk operations run
 * through the same services, so each is recorded as its single request would be.
 * <p>
 * While a change runs, it is the request context's current change ({@link #current}): code deep in a change (role
 * assignment rules) adds its events to it without every caller passing it along.
 */
@ApplicationScoped
public class ChangeLog {

    private static final Logger LOG = Logger.getLogger(ChangeLog.class);
    private static final String CURRENT = "rollcall.audit.change";

    private final AuditRepository audit;
    private final FallbackRoleRepository fallbacks;

    public ChangeLog(AuditRepository audit, FallbackRoleRepository fallbacks) {
        this.audit = audit;
        this.fallbacks = fallbacks;
    }

    /**
     * Runs {@code work} in a transaction that also writes the change's audit row and events; retried as
     * {@link Transactions#runToCompletion} retries, and run to the end once started.
     */
    public <T> Uni<T> run(AuditedChange change, Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(() -> {
            Optional<AuditedChange> outer = current();
            if (outer.isPresent()) {
                // part of a larger change (a role created with its members): it joins that transaction and its record
                change.restart();
                return work.get().invoke(() -> outer.get().absorb(change));
            }
            return runOnItsOwn(change, work);
        });
    }

    private <T> Uni<T> runOnItsOwn(AuditedChange change, Supplier<Uni<T>> work) {
        Uni<T> transaction = Panache.withTransaction(() -> {
            change.restart();
            put(change);
            return work.get().call(() -> record(change));
        });
        return recordingRefusals(change, Transactions.runToCompletion(transaction).eventually(ChangeLog::clear));
    }

    /** Writes a change's audit row and events in the transaction already open (a change that is no service call). */
    Uni<Void> record(AuditedChange change) {
        if (change.isRecorded()) {
            return change.hasSubscriptions() ? audit.recordEvents(row(change, "success", change.successStatus),
                    change.events(), change.usersWithNewRoles(), change.groupsWithNewRoles())
                    : Uni.createFrom().voidItem();
        }
        return audit.record(row(change, "success", change.successStatus), change.events(), change.usersWithNewRoles(),
                change.groupsWithNewRoles());
    }

    /**
     * Gives a user just created without roles the fallback role as the create's last step; when the create runs on its
     * own (not as part of a larger change), the same statement writes its audit row, which {@link #record} then does
     * not write again: the write identity providers send most is one statement shorter.
     */
    public Uni<Void> grantFallbackAsLastStep(AuditedChange change, UUID userId) {
        if (current().orElse(null) != change) {
            return fallbacks.grantFallback(change.orgId(), userId).replaceWithVoid();
        }
        return audit.recordWithFallbackGrant(row(change, "success", change.successStatus), userId)
                .invoke(change::recorded).replaceWithVoid();
    }

    /**
     * For a change whose success is recorded by its own statement (the one-statement membership deltas): records it
     * when it fails.
     */
    public <T> Uni<T> recordingRefusals(AuditedChange change, Uni<T> operation) {
        return operation.onFailure().call(failure -> {
            if (StoreFailures.unavailable(failure)) {
                // the database cannot be reached: recording would wait as long again for a connection to fail the same
                // way, and delay the 503 the client gets
                return Uni.createFrom().voidItem();
            }
            // what the rolled-back attempt learnt did not happen (a refused create's would-be id)
            change.restart();
            int status = status(failure);
            AuditRecord row = row(change, status < 500 ? "refused" : "failed", status);
            return Panache.withTransaction(() -> audit.record(row, List.of(), Set.of(), Set.of()))
                    .onFailure().recoverWithUni(unrecorded -> {
                        // the client hears of the original failure; this one is only logged
                        LOG.warnf("Could not record the refused %s in the audit log: %s", change.action, unrecorded);
                        return Uni.createFrom().voidItem();
                    });
        });
    }

    /** The change running in this request's transaction, if any. */
    static Optional<AuditedChange> current() {
        if (!VertxContext.isOnDuplicatedContext()) {
            return Optional.empty();
        }
        return ContextLocals.get(CURRENT);
    }

    /** The request's id, for statements that write events themselves. */
    static String requestId() {
        return RequestObservation.currentId().orElse(null);
    }

    /** The row the store writes for the change: caller, channel and request from the request being served. */
    AuditRecord row(AuditedChange change, String result, int status) {
        Principal caller = change.caller;
        String channel = RequestObservation.currentChannel()
                .orElse(caller.isOperator() ? "operator" : RequestObservation.current().isPresent() ? "admin" : "system");
        return new AuditRecord(0, null, null, change.orgId(), caller.isOperator() ? "operator" : "access_key",
                caller.id(), caller.name(), channel, change.action, change.resourceType, change.resourceId(),
                change.attributeNames(), result, status, requestId());
    }

    private static int status(Throwable failure) {
        if (failure instanceof ScimFailure scim) {
            return scim.scimException().getScimError().getStatus();
        }
        if (StoreFailures.refusedValue(failure).isPresent()) {
            return 400;
        }
        if (StoreFailures.duplicate(failure).isPresent()) {
            return 409; // a unique value taken (userName, a role's or workspace's name): each service answers 409
        }
        return 500;
    }

    private static void put(AuditedChange change) {
        if (VertxContext.isOnDuplicatedContext()) {
            ContextLocals.put(CURRENT, change);
        }
    }

    private static void clear() {
        if (VertxContext.isOnDuplicatedContext()) {
            ContextLocals.remove(CURRENT);
        }
    }
}
