package io.rollcall.store;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Users: writes go through Hibernate Reactive inside the service's transaction (row-locked for replace and patch);
 * reads and searches are {@link ResourceReads} on the {@code users} table.
 */
@ApplicationScoped
public class UserRepository implements PanacheRepositoryBase<UserEntity, UUID> {

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
}
