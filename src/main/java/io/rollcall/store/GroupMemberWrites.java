package io.rollcall.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The membership PATCHes identity providers send most — add users to a group, remove members from it — each as one
 * statement on the reactive pool that applies the delta and counts it on a version counter ({@link GroupVersionCounters}),
 * instead of a Hibernate session running the same steps one statement at a time. A delta is applied only when nothing
 * else has to happen with it: the group (and every group containing it) holds no role, so no one's fallback role
 * changes (see {@code GroupRoleEffects}), and the added members are users, so no nesting cycle can form. Otherwise the
 * statement changes nothing and says so ({@link Outcome#applied()} false), and the caller takes the general path.
 */
@ApplicationScoped
public class GroupMemberWrites {

    /**
     * Whether the group or a group containing it holds a role; the target group with its row version, locked
     * {@code FOR KEY SHARE}: a delete of the group (which locks the row {@code FOR UPDATE} before it removes anything)
     * waits for the deltas in flight, and the deltas after it wait for it and then no longer find the group.
     */
    private static final String TARGET_AND_REACH = """
            WITH RECURSIVE target AS (
                SELECT g.id, g.version FROM groups g WHERE g.id = $1 AND g.org_id = $2 FOR KEY SHARE
            ), up(group_id) AS (
                SELECT id FROM target
                UNION
                """ + NestedGroups.containing("up", "gm.group_id") + """
            ), grants AS (
                SELECT EXISTS (SELECT 1 FROM role_bindings b WHERE b.org_id = $2 AND b.principal_kind = 'group'
                                  AND b.principal_id IN (SELECT group_id FROM up)) AS roles
            )""";

    /**
     * When the delta applies, its audit row ({@code audit_events}, V14: actor $5–$7, channel $8, request id $9, action
     * $10), in the same statement: the one-statement path stays one statement.
     */
    private static final String AUDITED = """
            , audited AS (
                INSERT INTO audit_events (id, occurred_at, org_id, actor_kind, actor_id, actor_name, channel, action,
                                          resource_type, resource_id, attributes, result, status, request_id)
                SELECT gen_random_uuid(), now(), $2, $5, $6, $7, $8, $10, 'Group', CAST(a.id AS text), '["members"]',
                       'success', 204, $9
                  FROM applies a
            )""";

    /**
     * Whether the organization subscribes to {@code group.members_changed}, asked once per statement: the quiet form's
     * guard, the announcing form's condition and the answer's {@code subscribed} column read it.
     */
    private static final String SUBSCRIPTION = """
            , subscription AS MATERIALIZED (
                SELECT""" + ChangeEventOutbox.subscribed("$2", "'group.members_changed'") + """
            AS subscribed
            )""";

    private static final String SUBSCRIBED = " (SELECT subscribed FROM subscription) ";

    /**
     * When it added or removed anyone and the organization subscribes to it ({@link ChangeEventOutbox}), the delta's
     * {@code group.members_changed} event ({@code change_events}, V15).
     */
    private static final String ANNOUNCED = """
            , announced AS (
                INSERT INTO change_events (id, org_id, event_type, resource_type, resource_id, payload, request_id,
                                           occurred_at)
                SELECT gen_random_uuid(), $2, 'group.members_changed', 'Group', a.id,
                       jsonb_build_object('added', COALESCE((SELECT jsonb_agg(member_id) FROM added), '[]'::jsonb),
                                          'removed', COALESCE((SELECT jsonb_agg(member_id) FROM removed), '[]'::jsonb)),
                       $9, now()
                  FROM applies a
                 WHERE (EXISTS (SELECT 1 FROM added) OR EXISTS (SELECT 1 FROM removed))
                   AND""" + SUBSCRIBED + """
            )""";

    /** Counts the change on a random counter of the applied group; the version as {@link GroupVersionCounters} reads it. */
    private static final String COUNT_AND_ANSWER = """
            , bumped AS (
                %s
                RETURNING shard, n
            )
            SELECT EXISTS (SELECT 1 FROM target) AS group_found,
                   (SELECT %s FROM applies a, bumped b) AS version,
                   %s AS subscribed
            """.formatted(GroupVersionCounters.countChange("a.id", "$4", "FROM applies a"),
            GroupVersionCounters.versionAfterCount("a", "b"), SUBSCRIBED);

    /** The checks and the insert of {@link #ADD_USERS} (%2$s: how the users found are locked). */
    private static final String ADD_USERS_DELTA = """
            , found AS (
                SELECT u.id FROM users u WHERE u.id = ANY ($3) AND u.org_id = $2 %2$s
            ), applies AS (
                SELECT t.id, t.version FROM target t, grants
                 WHERE NOT grants.roles AND (SELECT count(*) FROM found) = cardinality($3) %1$s
            ), added AS (
                INSERT INTO group_members (group_id, member_id, member_type, org_id)
                SELECT a.id, f.id, 'User', $2 FROM applies a, found f
                ON CONFLICT (group_id, member_id) DO NOTHING
                RETURNING member_id
            ), removed(member_id) AS (
                SELECT NULL::uuid WHERE false
            )""";

    /**
     * Adds users: applied when every id is a user of the organization ($3 holds distinct ids); otherwise it changes
     * nothing, and the general path finds out why (an unknown id, a group). One statement, its own transaction, without
     * the organization's membership lock that bigger adds and the general path take: it locks the users it found
     * {@code FOR KEY SHARE}, which only a delete of them waits for, and a user delete removes the user's row before it
     * sweeps the user's memberships. A delete in flight makes this statement wait and then no longer find the user; an
     * add in flight makes the delete wait and then sweep what it added. The group: see {@link #TARGET_AND_REACH}.
     */
    private static final Statements ADD_USERS = new Statements(ADD_USERS_DELTA.replace("%2$s", "FOR KEY SHARE"));

    /**
     * The most users {@link #addUsers} locks row by row. Each lock writes the user's row (and, the first time after a
     * checkpoint, its whole page to the WAL): a bigger batch takes the organization's shared membership lock instead,
     * one lock for all its users ({@link #addUsersUnderMembershipLock}).
     */
    public static final int ROW_LOCKED_ADD_MAX = 50;

    /** {@link #ADD_USERS} without locking the users, for a transaction that holds the organization's membership lock. */
    private static final Statements ADD_USERS_UNLOCKED = new Statements(ADD_USERS_DELTA.replace("%2$s", ""));

    /** The delete of {@link #REMOVE}. */
    private static final String REMOVE_DELTA = """
            , applies AS (
                SELECT t.id, t.version FROM target t, grants WHERE NOT grants.roles %1$s
            ), removed AS (
                DELETE FROM group_members gm USING applies a
                 WHERE gm.group_id = a.id AND gm.org_id = $2 AND gm.member_id = ANY ($3)
                RETURNING gm.member_id
            ), added(member_id) AS (
                SELECT NULL::uuid WHERE false
            )""";

    /** Removes members (users or groups; ids that are not members are ignored). */
    private static final Statements REMOVE = new Statements(REMOVE_DELTA);

    /**
     * A delta's two forms. Most organizations subscribe to no {@code group.members_changed} events, and an INSERT into
     * the outbox costs the statement as much with no row to write as with one (PostgreSQL opens the table and its
     * indexes all the same): the quiet form has none, and applies only when the organization does not subscribe. When
     * it does, the quiet form changes nothing and says so, and the announcing form runs instead.
     */
    private record Statements(String quiet, String announcing) {

        Statements(String delta) {
            this(TARGET_AND_REACH + SUBSCRIPTION + delta.formatted("AND NOT" + SUBSCRIBED) + AUDITED + COUNT_AND_ANSWER,
                    TARGET_AND_REACH + SUBSCRIPTION + delta.formatted("") + AUDITED + ANNOUNCED + COUNT_AND_ANSWER);
        }

        String choose(boolean announcing) {
            return announcing ? announcing() : quiet();
        }
    }

    /**
     * Organizations seen lately with a subscription to {@code group.members_changed}, until when (nanoTime): their
     * deltas take the announcing form at once. Only a hint; the quiet form checks for itself.
     */
    private final Map<UUID, Long> announcing = new ConcurrentHashMap<>();
    private static final long ANNOUNCING_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final int ANNOUNCING_MAX = 10_000;

    private final Pool pool;

    public GroupMemberWrites(Pool pool) {
        this.pool = pool;
    }

    /**
     * What a delta statement did.
     *
     * @param version the group's version with the change, when applied
     */
    public record Outcome(boolean groupFound, boolean applied, Long version) {
    }

    /**
     * Adds at most {@link #ROW_LOCKED_ADD_MAX} users to the group ({@link #ADD_USERS}): one statement, its own
     * transaction.
     */
    public Uni<Outcome> addUsers(UUID orgId, UUID groupId, Collection<UUID> ids, Instant now, AuditRecord audit) {
        if (ids.size() > ROW_LOCKED_ADD_MAX) {
            throw new IllegalArgumentException(ids.size() + " users to lock one by one");
        }
        return apply(pool, ADD_USERS, orgId, groupId, ids, now, audit);
    }

    /**
     * Adds users to the group in the transaction the caller opened on {@code connection}: the organization's shared
     * membership lock ({@link GroupRepository#lockMembershipsShared}, held until the transaction ends), then the delta
     * without locking the users. Both statements are sent at once (the connection pipelines them); PostgreSQL runs the
     * second when the first is done, so its snapshot follows the lock. When the delta is not applied the transaction
     * may still commit, having changed nothing.
     */
    public Uni<Outcome> addUsersUnderMembershipLock(SqlConnection connection, UUID orgId, UUID groupId,
            Collection<UUID> ids, Instant now, AuditRecord audit) {
        return Uni.combine().all()
                .unis(connection.preparedQuery(GroupRepository.MEMBERSHIPS_SHARED_LOCK).execute(Tuple.of(orgId.toString())),
                        apply(connection, ADD_USERS_UNLOCKED, orgId, groupId, ids, now, audit))
                .asTuple().map(results -> results.getItem2());
    }

    /** Removes the members from the group: one statement, its own transaction. */
    public Uni<Outcome> remove(UUID orgId, UUID groupId, Collection<UUID> ids, Instant now, AuditRecord audit) {
        return apply(pool, REMOVE, orgId, groupId, ids, now, audit);
    }

    private Uni<Outcome> apply(SqlClient client, Statements delta, UUID orgId, UUID groupId, Collection<UUID> ids,
            Instant now, AuditRecord audit) {
        Tuple parameters = parameters(orgId, groupId, ids, now, audit);
        boolean announce = announces(orgId);
        return client.preparedQuery(delta.choose(announce)).execute(parameters)
                .chain(rows -> announceIfSubscribed(orgId, announce, rows.iterator().next(),
                        () -> client.preparedQuery(delta.announcing()).execute(parameters)));
    }

    private boolean announces(UUID orgId) {
        Long until = announcing.get(orgId);
        return until != null && until - System.nanoTime() > 0;
    }

    /** The outcome, after the announcing form when the quiet one found the organization subscribing. */
    private Uni<Outcome> announceIfSubscribed(UUID orgId, boolean announced, Row answer,
            Supplier<Uni<RowSet<Row>>> announcingForm) {
        if (!answer.getBoolean("subscribed")) {
            if (announced) {
                announcing.remove(orgId); // unsubscribed meanwhile
            }
            return Uni.createFrom().item(outcome(answer));
        }
        if (announcing.size() >= ANNOUNCING_MAX) {
            announcing.clear();
        }
        announcing.put(orgId, System.nanoTime() + ANNOUNCING_NANOS);
        return announced ? Uni.createFrom().item(outcome(answer))
                : announcingForm.get().map(rows -> outcome(rows.iterator().next()));
    }

    /** @param audit the audit row to write if the delta applies (its actor, channel, request id and action) */
    private static Tuple parameters(UUID orgId, UUID groupId, Collection<UUID> ids, Instant now, AuditRecord audit) {
        return Tuple.tuple().addValue(groupId).addValue(orgId).addValue(ids.toArray(UUID[]::new))
                .addValue(OffsetDateTime.ofInstant(now, ZoneOffset.UTC)).addValue(audit.actorKind())
                .addValue(audit.actorId()).addValue(audit.actorName()).addValue(audit.channel())
                .addValue(audit.requestId()).addValue(audit.action());
    }

    private static Outcome outcome(Row row) {
        Long version = row.getLong("version");
        return new Outcome(row.getBoolean("group_found"), version != null, version);
    }
}
