package io.rollcall.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.rollcall.store.query.SqlFragment;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Users: writes go through Hibernate Reactive inside the service's transaction (row-locked for replace and patch);
 * reads and searches run as single SQL statements on the reactive pool, with filter, order and page in PostgreSQL.
 */
@ApplicationScoped
public class UserRepository implements PanacheRepositoryBase<UserEntity, UUID> {

    private static final String COLUMNS = "u.id, u.data::text AS data, u.version, u.created_at, u.updated_at";

    private static final String GROUPS_OF = """
            WITH RECURSIVE memberships(group_id, direct) AS (
                SELECT gm.group_id, true FROM group_members gm WHERE gm.org_id = $1 AND gm.member_id = $2
                UNION
                SELECT gm.group_id, false FROM group_members gm JOIN memberships m ON gm.member_id = m.group_id
                 WHERE gm.member_type = 'Group'
            )
            SELECT g.id, g.display_name, bool_or(m.direct) AS direct
              FROM memberships m JOIN groups g ON g.id = m.group_id
             GROUP BY g.id, g.display_name
             ORDER BY g.display_name, g.id
            """;

    private final Pool pool;

    public UserRepository(Pool pool) {
        this.pool = pool;
    }

    /** The user, locked until the transaction ends, so that concurrent replaces and patches apply one after another. */
    public Uni<UserEntity> findForUpdate(UUID orgId, UUID id) {
        return find("orgId = ?1 and id = ?2", orgId, id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    public Uni<StoredResource> findById(UUID orgId, UUID id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM users u WHERE u.org_id = $1 AND u.id = $2")
                .execute(Tuple.of(orgId, id))
                .map(rows -> rows.iterator().hasNext() ? toStored(rows.iterator().next()) : null);
    }

    /**
     * One page of the organization's users matching the filter (null = all), in the given order, and the total.
     *
     * @param filter its parameters are numbered from $2 ($1 is the organization)
     */
    public Uni<Page<StoredResource>> search(UUID orgId, SqlFragment filter, String orderBy, int offset, int limit) {
        List<Object> parameters = new ArrayList<>();
        parameters.add(orgId);
        String where = "u.org_id = $1";
        if (filter != null) {
            where += " AND (" + filter.sql() + ")";
            parameters.addAll(filter.parameters());
        }
        String count = "SELECT count(*) FROM users u WHERE " + where;
        if (limit == 0) {
            return pool.preparedQuery(count).execute(Tuple.from(parameters))
                    .map(rows -> new Page<>(rows.iterator().next().getLong(0), List.of()));
        }
        int limitParameter = parameters.size() + 1;
        parameters.add(limit);
        parameters.add(offset);
        String sql = "SELECT " + COLUMNS + ", count(*) OVER () AS total FROM users u WHERE " + where + " ORDER BY "
                + orderBy + " LIMIT $" + limitParameter + " OFFSET $" + (limitParameter + 1);
        return pool.preparedQuery(sql).execute(Tuple.from(parameters)).chain(rows -> {
            List<StoredResource> items = new ArrayList<>();
            long total = -1;
            for (Row row : rows) {
                items.add(toStored(row));
                total = row.getLong("total");
            }
            if (total >= 0 || offset == 0) {
                return Uni.createFrom().item(new Page<>(Math.max(total, 0), items));
            }
            // past the last page the window count is unavailable: count on its own
            return pool.preparedQuery(count).execute(Tuple.from(parameters.subList(0, limitParameter - 1)))
                    .map(counted -> new Page<>(counted.iterator().next().getLong(0), items));
        });
    }

    /** The groups the user is in, directly or through nested groups; cycles are tolerated. */
    public Uni<List<MembershipRef>> groupsOf(UUID orgId, UUID userId) {
        return pool.preparedQuery(GROUPS_OF).execute(Tuple.of(orgId, userId)).map(UserRepository::memberships);
    }

    static List<MembershipRef> memberships(RowSet<Row> rows) {
        List<MembershipRef> groups = new ArrayList<>();
        for (Row row : rows) {
            groups.add(new MembershipRef(row.getUUID("id"), row.getString("display_name"), row.getBoolean("direct")));
        }
        return groups;
    }

    public Uni<Long> deleteMemberships(UUID orgId, UUID memberId) {
        return getSession().chain(session -> session
                .createNativeQuery("DELETE FROM group_members WHERE org_id = ?1 AND member_id = ?2")
                .setParameter(1, orgId).setParameter(2, memberId).executeUpdate())
                .map(Integer::longValue);
    }

    static StoredResource toStored(Row row) {
        return new StoredResource(row.getUUID("id"), row.getString("data"), row.getLong("version"),
                instant(row.getOffsetDateTime("created_at")), instant(row.getOffsetDateTime("updated_at")));
    }

    private static Instant instant(OffsetDateTime time) {
        return time.toInstant();
    }
}
