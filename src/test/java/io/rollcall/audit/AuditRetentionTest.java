package io.rollcall.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.rollcall.service.AuditRetention;
import io.rollcall.store.AuditRepository;
import io.rollcall.support.AccessRows;
import io.rollcall.support.AuditRows;
import io.rollcall.support.PostgresResource;

/**
 * {@code rollcall.audit.retention} (90 days by default): the purge removes audit rows and change events older than it,
 * keeps the younger ones, batch after batch, and two purges at once (two replicas) remove each row once and fail
 * neither.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class AuditRetentionTest {

    @Inject
    AuditRetention retention;

    /**
     * Rows of 100, 91 and 89 days, written in that order, before every row of the other tests (the lowest seqs), as
     * they would be in a log that has grown for 100 days.
     */
    private static void oldAndYoungRows(String request) {
        String org = AccessRows.orgId();
        for (String age : List.of("89 days", "91 days", "100 days")) {
            AccessRows.update("INSERT INTO audit_events (seq, id, occurred_at, org_id, actor_kind, actor_name, "
                    + "channel, action, resource_type, result, status, request_id) OVERRIDING SYSTEM VALUE VALUES ("
                    + "(SELECT LEAST(min(seq), 0) - 1 FROM audit_events), CAST(? AS uuid), "
                    + "now() - CAST(? AS interval), CAST(? AS uuid), 'operator', 'platform operator', 'operator', "
                    + "'test.age', 'Test', 'success', 200, ?)",
                    UUID.randomUUID().toString(), age, org, request);
            AccessRows.update("INSERT INTO change_events (seq, id, org_id, event_type, resource_type, resource_id, "
                    + "request_id, occurred_at) OVERRIDING SYSTEM VALUE VALUES ("
                    + "(SELECT LEAST(min(seq), 0) - 1 FROM change_events), CAST(? AS uuid), CAST(? AS uuid), "
                    + "'user.updated', 'User', CAST(? AS uuid), ?, now() - CAST(? AS interval))",
                    UUID.randomUUID().toString(), org, UUID.randomUUID().toString(), request, age);
        }
    }

    private static List<String> ages(String table, String request) {
        return AccessRows.strings("SELECT CAST(date_part('day', now() - occurred_at) AS int) FROM " + table
                + " WHERE request_id = ? ORDER BY occurred_at", request);
    }

    @Test
    void rowsOlderThanTheRetentionArePurgedAndYoungerOnesKept() throws Throwable {
        String request = AuditRows.requestId();
        oldAndYoungRows(request);
        AuditRetention.Purged purged = VertxContextSupport.subscribeAndAwait(() -> retention.purge());
        assertTrue(purged.auditEvents() >= 2 && purged.changeEvents() >= 2, purged.toString());
        assertEquals(List.of("89"), ages("audit_events", request));
        assertEquals(List.of("89"), ages("change_events", request));
    }

    @Test
    void aBacklogOfSeveralBatchesIsPurgedInOneRunPastARowYoungerThanThoseBehindIt() throws Throwable {
        String request = AuditRows.requestId();
        int backlog = 2 * AuditRepository.PURGE_BATCH + 1_000;
        // the oldest rows, a 10-day-old one among them at the front (its transaction wrote before theirs did)
        AccessRows.update("INSERT INTO audit_events (seq, id, occurred_at, org_id, actor_kind, actor_name, channel, "
                + "action, resource_type, result, status, request_id) OVERRIDING SYSTEM VALUE "
                + "SELECT (SELECT LEAST(min(seq), 0) FROM audit_events) - " + backlog + " - 1 + n, gen_random_uuid(), "
                + "now() - CASE WHEN n = 2 THEN interval '10 days' ELSE interval '120 days' END, CAST(? AS uuid), "
                + "'operator', 'platform operator', 'operator', 'test.age', 'Test', 'success', 200, ? "
                + "FROM generate_series(1, " + backlog + ") n", AccessRows.orgId(), request);
        AuditRetention.Purged purged = VertxContextSupport.subscribeAndAwait(() -> retention.purge());
        assertTrue(purged.auditEvents() >= backlog - 1, purged.toString());
        assertEquals(List.of("10"), ages("audit_events", request));
    }

    @Test
    void twoPurgesAtOnceAreHarmless() throws Throwable {
        String request = AuditRows.requestId();
        oldAndYoungRows(request);
        // as two replicas would: each on its own connection and transaction, at the same time
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.Callable<AuditRetention.Purged> purge = () -> {
            start.await();
            try {
                return VertxContextSupport.subscribeAndAwait(retention::purge);
            } catch (Throwable failure) {
                throw new IllegalStateException(failure);
            }
        };
        List<java.util.concurrent.Future<AuditRetention.Purged>> runs = List.of(threads.submit(purge),
                threads.submit(purge));
        start.countDown();
        AuditRetention.Purged[] both = { runs.get(0).get(), runs.get(1).get() };
        threads.shutdown();
        assertEquals(List.of("89"), ages("audit_events", request));
        assertEquals(List.of("89"), ages("change_events", request));
        assertTrue(both[0].auditEvents() + both[1].auditEvents() >= 2);
    }
}
