package io.rollcall.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.rollcall.access.Statement;
import io.rollcall.resource.Ids;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Policies as customers see them: the managed ones (shared, {@code org_id} null) and the organization's custom ones
 * ({@code type = organization}). Policies private to a role ({@code role_id} set, authored by ticking permissions) are
 * the role's business and invisible here. Each policy is read as one JSON document with its statements and roles, in
 * one statement — by id or by the references roles use ({@link #findByReference}) — the one place policies are read;
 * writes run in the caller's transaction.
 */
@ApplicationScoped
public class PolicyRepository {

    private static final String POLICY_DOCUMENT = """
            SELECT json_build_object(
                     'id', p.id, 'orgId', p.org_id, 'name', p.name, 'description', p.description, 'type', p.type,
                     'version', p.version, 'createdAt', p.created_at, 'updatedAt', p.updated_at,
                     'statements', COALESCE((SELECT json_agg(json_build_object('effect', s.effect,
                                                     'permissions', s.permissions, 'resources', s.resources)
                                                     ORDER BY s.position)
                                               FROM policy_statements s WHERE s.policy_id = p.id), '[]'::json),
                     'roles', COALESCE((SELECT json_agg(json_build_object('id', r.id, 'value', r.value, 'name', r.name)
                                                ORDER BY lower(r.name), r.id)
                                          FROM role_policies rp JOIN roles r ON r.id = rp.role_id
                                         WHERE rp.policy_id = p.id AND r.org_id = :org AND NOT r.internal), '[]'::json)
                   )::text
              FROM policies p
             WHERE (p.org_id IS NULL OR (p.org_id = :org AND p.role_id IS NULL))
            """;

    private static final String LIST = POLICY_DOCUMENT + " ORDER BY p.type, lower(p.name), p.id";

    private static final String FIND = POLICY_DOCUMENT + " AND p.id = :id";

    /** By name in any case; an organization's own policy before a managed one (names are unique across both). */
    private static final String FIND_BY_NAME = POLICY_DOCUMENT
            + " AND lower(p.name) = lower(:name) ORDER BY p.org_id NULLS LAST LIMIT 1";

    /** Any policy of the organization (role-private ones included: they share the name index) or managed one. */
    private static final String NAME_TAKEN = """
            SELECT CAST(p.id AS text) FROM policies p
             WHERE (p.org_id = :org OR p.org_id IS NULL) AND lower(p.name) = lower(:name) AND p.id <> :except
             LIMIT 1
            """;

    private static final String INSERT = """
            INSERT INTO policies (id, org_id, name, description, type, created_at, updated_at)
            VALUES (:id, :org, :name, :description, 'organization', :now, :now)
            """;

    private static final String UPDATE = """
            UPDATE policies SET name = :name, description = :description, version = version + 1, updated_at = :now
             WHERE id = :id AND org_id = :org AND type = 'organization' AND role_id IS NULL
            """;

    /** The custom policy, locked until the transaction ends: concurrent replaces apply one after another. */
    private static final String LOCK = """
            SELECT CAST(p.id AS text) FROM policies p
             WHERE p.id = :id AND p.org_id = :org AND p.type = 'organization' AND p.role_id IS NULL
               FOR UPDATE
            """;

    private static final String CLEAR_STATEMENTS = "DELETE FROM policy_statements WHERE policy_id = :id";

    private static final String INSERT_STATEMENTS = """
            INSERT INTO policy_statements (policy_id, position, effect, permissions, resources)
            SELECT :id, x.position, x.effect,
                   ARRAY(SELECT jsonb_array_elements_text(x.permissions)),
                   ARRAY(SELECT jsonb_array_elements_text(x.resources))
              FROM jsonb_to_recordset(CAST(CAST(:json AS text) AS jsonb))
                   AS x(position int, effect text, permissions jsonb, resources jsonb)
            """;

    /** Roles using the policy get a new version: their list of policies changes. */
    private static final String TOUCH_ROLES_USING = """
            UPDATE roles SET version = version + 1, updated_at = :now
             WHERE id IN (SELECT r.id FROM roles r JOIN role_policies rp ON rp.role_id = r.id
                           WHERE rp.policy_id = :id AND r.org_id = :org ORDER BY r.id FOR UPDATE)
            """;

    /** The roles using the policy, locked in id order: a concurrent change to one of them waits for this one. */
    private static final String LOCK_ROLES_USING = """
            SELECT CAST(r.id AS text), r.value, r.name FROM roles r JOIN role_policies rp ON rp.role_id = r.id
             WHERE rp.policy_id = :id AND r.org_id = :org ORDER BY r.id FOR UPDATE OF r
            """;

    private static final String DETACH = "DELETE FROM role_policies WHERE policy_id = :id";

    private static final String DELETE = """
            DELETE FROM policies WHERE id = :id AND org_id = :org AND type = 'organization' AND role_id IS NULL
            """;

    /**
     * The organization's policies (role-private ones too) whose statements name the workspace get a new version, locked
     * in id order before their statements change.
     */
    private static final String TOUCH_NAMING_WORKSPACE = """
            UPDATE policies SET version = version + 1, updated_at = :now
             WHERE id IN (SELECT p.id FROM policies p
                           WHERE p.org_id = :org
                             AND EXISTS (SELECT 1 FROM policy_statements s
                                          WHERE s.policy_id = p.id AND :workspace = ANY (s.resources))
                           ORDER BY p.id FOR UPDATE)
            """;

    /** Statements over that workspace alone would select nothing once it is gone: they go. */
    private static final String DROP_STATEMENTS_ONLY_ON = """
            DELETE FROM policy_statements s USING policies p
             WHERE p.id = s.policy_id AND p.org_id = :org AND s.resources = ARRAY[CAST(:workspace AS text)]
            """;

    private static final String REMOVE_WORKSPACE_FROM_STATEMENTS = """
            UPDATE policy_statements s SET resources = array_remove(s.resources, CAST(:workspace AS text))
              FROM policies p
             WHERE p.id = s.policy_id AND p.org_id = :org AND :workspace = ANY (s.resources)
            """;

    /** Managed policies and the organization's custom ones, managed first, each by name. */
    public Uni<List<PolicyRow>> list(UUID orgId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(LIST, String.class)
                .setParameter("org", orgId).getResultList())
                .map(rows -> rows.stream().map(PolicyRepository::toRow).toList());
    }

    /** A managed policy, or a custom one of the organization not private to a role; null otherwise. */
    public Uni<PolicyRow> find(UUID orgId, UUID id) {
        return Panache.getSession().chain(session -> session.createNativeQuery(FIND, String.class)
                .setParameter("org", orgId).setParameter("id", id).getResultList())
                .map(rows -> rows.isEmpty() ? null : toRow(rows.get(0)));
    }

    /**
     * A policy as a role or a request names it: by id or by name (any case), managed or the organization's own, never
     * one private to a role; null when there is none.
     */
    public Uni<PolicyRow> findByReference(UUID orgId, String reference) {
        var id = Ids.parse(reference);
        if (id.isPresent()) {
            return find(orgId, id.get());
        }
        return Panache.getSession().chain(session -> session.createNativeQuery(FIND_BY_NAME, String.class)
                .setParameter("org", orgId).setParameter("name", reference.trim()).getResultList())
                .map(rows -> rows.isEmpty() ? null : toRow(rows.get(0)));
    }

    /** Whether a managed policy or another policy of the organization has the name in any case. */
    public Uni<Boolean> nameTaken(UUID orgId, String name, UUID except) {
        return Panache.getSession().chain(session -> session.createNativeQuery(NAME_TAKEN, String.class)
                .setParameter("org", orgId).setParameter("name", name)
                .setParameter("except", except == null ? new UUID(0, 0) : except).getResultList())
                .map(rows -> !rows.isEmpty());
    }

    public Uni<Void> insert(UUID orgId, UUID id, String name, String description, List<Statement> statements,
            Instant now) {
        return Panache.getSession().chain(session -> session.createNativeQuery(INSERT)
                .setParameter("id", id).setParameter("org", orgId).setParameter("name", name)
                .setParameter("description", description).setParameter("now", now).executeUpdate())
                .chain(() -> insertStatements(id, statements));
    }

    /** Whether the custom policy exists; if so it stays locked until the transaction ends. */
    public Uni<Boolean> lockCustom(UUID orgId, UUID id) {
        return Panache.getSession().chain(session -> session.createNativeQuery(LOCK, String.class)
                .setParameter("org", orgId).setParameter("id", id).getResultList())
                .map(rows -> !rows.isEmpty());
    }

    /**
     * The roles using the policy (internal ones too), locked until the transaction ends, so that what their holders
     * get can be checked after the policy changes without another change to them slipping in between.
     */
    public Uni<List<PolicyRow.RoleRef>> lockRolesUsing(UUID orgId, UUID id) {
        return Panache.getSession().chain(session -> session.createNativeQuery(LOCK_ROLES_USING, Object[].class)
                .setParameter("org", orgId).setParameter("id", id).getResultList())
                .map(rows -> rows.stream().map(row -> new PolicyRow.RoleRef(UUID.fromString((String) row[0]),
                        (String) row[1], (String) row[2])).toList());
    }

    /** Replaces a custom policy's name, description and statements; version + 1. */
    public Uni<Void> replace(UUID orgId, UUID id, String name, String description, List<Statement> statements,
            Instant now) {
        return Panache.getSession().chain(session -> session.createNativeQuery(UPDATE)
                .setParameter("id", id).setParameter("org", orgId).setParameter("name", name)
                .setParameter("description", description).setParameter("now", now).executeUpdate())
                .chain(() -> Panache.getSession().chain(session -> session.createNativeQuery(CLEAR_STATEMENTS)
                        .setParameter("id", id).executeUpdate()))
                .chain(() -> insertStatements(id, statements));
    }

    /** Detaches the custom policy from every role using it (their version goes up), then deletes it. */
    public Uni<Void> delete(UUID orgId, UUID id, Instant now) {
        return Panache.getSession().chain(session -> session.createNativeQuery(TOUCH_ROLES_USING)
                .setParameter("id", id).setParameter("org", orgId).setParameter("now", now).executeUpdate()
                .chain(() -> session.createNativeQuery(DETACH).setParameter("id", id).executeUpdate())
                .chain(() -> session.createNativeQuery(DELETE).setParameter("id", id).setParameter("org", orgId)
                        .executeUpdate()))
                .replaceWithVoid();
    }

    /**
     * Takes a workspace out of the organization's policy statements before it is deleted: statements over it alone go,
     * others keep their other workspaces. The policies touched get a new version.
     */
    public Uni<Void> forgetWorkspace(UUID orgId, UUID workspaceId, Instant now) {
        String workspace = workspaceId.toString();
        return Panache.getSession().chain(session -> session.createNativeQuery(TOUCH_NAMING_WORKSPACE)
                .setParameter("org", orgId).setParameter("workspace", workspace).setParameter("now", now).executeUpdate()
                .chain(() -> session.createNativeQuery(DROP_STATEMENTS_ONLY_ON).setParameter("org", orgId)
                        .setParameter("workspace", workspace).executeUpdate())
                .chain(() -> session.createNativeQuery(REMOVE_WORKSPACE_FROM_STATEMENTS).setParameter("org", orgId)
                        .setParameter("workspace", workspace).executeUpdate()))
                .replaceWithVoid();
    }

    private static Uni<Void> insertStatements(UUID id, List<Statement> statements) {
        if (statements.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        JsonArray json = new JsonArray();
        for (int i = 0; i < statements.size(); i++) {
            Statement statement = statements.get(i);
            json.add(new JsonObject().put("position", i).put("effect", statement.effect().wire())
                    .put("permissions", new JsonArray(statement.permissions()))
                    .put("resources", new JsonArray(statement.resources())));
        }
        return Panache.getSession().chain(session -> session.createNativeQuery(INSERT_STATEMENTS)
                .setParameter("id", id).setParameter("json", json.encode()).executeUpdate())
                .replaceWithVoid();
    }

    private static PolicyRow toRow(String document) {
        JsonObject json = new JsonObject(document);
        List<Statement> statements = new ArrayList<>();
        for (Object item : json.getJsonArray("statements")) {
            JsonObject statement = (JsonObject) item;
            statements.add(new Statement(Statement.Effect.fromWire(statement.getString("effect")),
                    strings(statement.getJsonArray("permissions")), strings(statement.getJsonArray("resources"))));
        }
        List<PolicyRow.RoleRef> roles = new ArrayList<>();
        for (Object item : json.getJsonArray("roles")) {
            JsonObject role = (JsonObject) item;
            roles.add(new PolicyRow.RoleRef(UUID.fromString(role.getString("id")), role.getString("value"),
                    role.getString("name")));
        }
        String orgId = json.getString("orgId");
        return new PolicyRow(UUID.fromString(json.getString("id")), orgId == null ? null : UUID.fromString(orgId),
                json.getString("name"), json.getString("description"), json.getString("type"), json.getLong("version"),
                instant(json.getString("createdAt")), instant(json.getString("updatedAt")), statements, roles);
    }

    private static List<String> strings(JsonArray array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add((String) value));
        return values;
    }

    private static Instant instant(String timestamp) {
        return OffsetDateTime.parse(timestamp).toInstant();
    }
}
