package io.rollcall.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * A group's version (ETag, {@code meta.version}) and {@code meta.lastModified}, kept so that membership changes to one
 * group do not queue on its row (V6__membership_versions.sql): document writes count on the group row, membership-only
 * writes on one of the group's {@code group_versions} rows, and the version is the row's plus the sum of those.
 * <p>
 * What an ETag promises:
 * <ul>
 * <li>Every committed change adds exactly one: a document write (create, PUT, a PATCH changing more than members) to
 * the row, a membership-only write (a members PATCH, a member deleted) to one counter row. Counters are only ever
 * incremented and go only with the group, so the version grows with every commit and no two committed states of a
 * group share one; every read takes it in the same statement as the rest of the group.</li>
 * <li>A write answers the version its own statement counts: what had committed when it ran plus its own change. That
 * is never above what a read right after its commit shows, and equal to it unless another change committed
 * meanwhile (then the answered version is already stale, as any read would be).</li>
 * <li>{@code If-Match}: writers that carry one (identity providers do not) hold the group row lock (taken
 * {@code FOR NO KEY UPDATE}, so the foreign-key check of a new counter row never waits for it), which puts them and the
 * document writes one after another, and compare the version after applying their own changes, just before counting
 * them: a change that committed before that is seen (412). A membership change still uncommitted then either made
 * this writer wait for it (it touched the same membership rows) and so is seen, or touched other rows and orders after
 * this writer with the same result.</li>
 * <li>{@code lastModified} is the latest of the row's and its counters' times.</li>
 * </ul>
 */
@ApplicationScoped
public class GroupVersionCounters {

    /** Counter rows per group: enough that 16 concurrent writers to one group rarely pick the same one. */
    static final int SHARDS = 16;

    /** The version of the group in row alias {@code g}. */
    public static final String VERSION = "(g.version + COALESCE((SELECT sum(v.n) FROM group_versions v "
            + "WHERE v.group_id = g.id), 0))::bigint";

    /** The lastModified of the group in row alias {@code g} (GREATEST skips the null of a group without counters). */
    public static final String LAST_MODIFIED = "GREATEST(g.updated_at, (SELECT max(v.updated_at) FROM group_versions v "
            + "WHERE v.group_id = g.id))";

    /**
     * Counts one membership change on a random counter and gives the group's new version. The other counters are read
     * from the statement's snapshot (the one written is not visible to it, hence {@code shard <>}).
     */
    private static final String BUMP = """
            WITH target AS (
                SELECT g.id, g.version FROM groups g WHERE g.id = :group AND g.org_id = :org
            ), bumped AS (
                %s
                RETURNING shard, n
            )
            SELECT %s FROM target t, bumped b
            """.formatted(countChange("t.id", ":now", "FROM target t"), versionAfterCount("t", "b"));

    /**
     * The statement counting one membership change on a random counter of each group {@code groupId} names in
     * {@code from} (the rest of a SELECT), at {@code now}: how every membership-only write counts itself.
     */
    static String countChange(String groupId, String now, String from) {
        return """
                INSERT INTO group_versions (group_id, shard, n, updated_at)
                SELECT %s, CAST(floor(random() * %d) AS smallint), 1, %s %s
                ON CONFLICT (group_id, shard) DO UPDATE
                   SET n = group_versions.n + 1, updated_at = GREATEST(group_versions.updated_at, EXCLUDED.updated_at)
                """.formatted(groupId, SHARDS, now, from);
    }

    /**
     * The version of the group in row alias {@code group} (with its row's {@code id} and {@code version}) once the
     * counter row {@code counted} returned by {@link #countChange} has counted a change.
     */
    static String versionAfterCount(String group, String counted) {
        return ("CAST(%1$s.version + %2$s.n + COALESCE((SELECT sum(v.n) FROM group_versions v"
                + " WHERE v.group_id = %1$s.id AND v.shard <> %2$s.shard), 0) AS bigint)").formatted(group, counted);
    }

    /** The sum of the group's counters and their latest time in microseconds since the epoch (null without any). */
    private static final String MEMBERSHIP = """
            SELECT CAST(COALESCE(sum(n), 0) AS bigint), CAST(extract(epoch FROM max(updated_at)) * 1000000 AS bigint)
              FROM group_versions WHERE group_id = :group
            """;

    /** What the counters of one group add to its row: changes and the time of the latest. */
    public record Membership(long changes, Instant lastModified) {

        /** The group's version and lastModified, from its row's and these. */
        public StoredResource of(GroupEntity group) {
            Instant latest = lastModified == null || lastModified.isBefore(group.updatedAt) ? group.updatedAt
                    : lastModified;
            return new StoredResource(group.id, group.data, group.version + changes, group.createdAt, latest, null);
        }
    }

    /**
     * Counts a membership-only change of the group.
     *
     * @return the group's version with this change, or null when the organization has no such group
     */
    public Uni<Long> bump(UUID orgId, UUID groupId, Instant now) {
        return Panache.getSession().chain(session -> session.createNativeQuery(BUMP, Long.class)
                .setParameter("group", groupId).setParameter("org", orgId).setParameter("now", now).getResultList())
                .map(rows -> rows.isEmpty() ? null : rows.get(0));
    }

    /** The group's membership-only changes as they stand for this statement (no lock). */
    public Uni<Membership> membership(UUID groupId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(MEMBERSHIP, Object[].class)
                .setParameter("group", groupId).getSingleResult())
                .map(row -> new Membership(((Number) row[0]).longValue(),
                        row[1] == null ? null : Instant.EPOCH.plus(((Number) row[1]).longValue(), ChronoUnit.MICROS)));
    }
}
