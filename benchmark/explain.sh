#!/usr/bin/env bash
# Prints the PostgreSQL query plans (EXPLAIN ANALYZE, BUFFERS) of what the server runs for the three user-matching
# filters (userName eq, externalId eq, emails.value eq), GET by id, the list page, and the group membership writes
# (in a transaction that is rolled back), against a running Rollcall's embedded database. Usage:
#   benchmark/explain.sh SERVER_LOG   (finds the port in "Using the embedded PostgreSQL on localhost:<port>")
#   PGPORT=<port> benchmark/explain.sh
#   PGPORT=<port> benchmark/explain.sh --settle    (only runs VACUUM (ANALYZE) and a CHECKPOINT, as autovacuum
#                                                  does once a load settles; run.sh uses it)
# Env: USERS (the sample user is user<USERS/2>), EXPLAIN_CLIENT=psql|jdbc (default: psql if installed, else JDBC
# with the PostgreSQL driver jar from ~/.m2 and benchmark/Explain.java), PGPASSWORD (default: read from
# $ROLLCALL_DATA_DIR/postgres.password, ROLLCALL_DATA_DIR defaulting to .rollcall). Connects as postgres to rollcall.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

settle_only=0
if [[ "${1:-}" == --settle ]]; then settle_only=1; shift; fi
port=${PGPORT:-}
if [[ -z "$port" && $# -ge 1 ]]; then
  port=$(sed -n 's/.*Using the embedded PostgreSQL on localhost:\([0-9]*\).*/\1/p' "$1" | tail -1)
fi
[[ -n "$port" ]] || { echo "explain.sh: no port: give the server log or set PGPORT" >&2; exit 2; }
password=${PGPASSWORD:-}
if [[ -z "$password" ]]; then
  password_file="${ROLLCALL_DATA_DIR:-.rollcall}/postgres.password"
  [[ -r "$password_file" ]] || { echo "explain.sh: set PGPASSWORD or ROLLCALL_DATA_DIR ($password_file not readable)" >&2; exit 2; }
  password=$(cat "$password_file")
fi
users=${USERS:-100000}
n=$(( users / 2 > 0 ? users / 2 : 1 ))

client=${EXPLAIN_CLIENT:-}
if [[ -z "$client" ]]; then
  if command -v psql >/dev/null 2>&1; then client=psql; else client=jdbc; fi
fi
jar=""
if [[ "$client" == jdbc ]]; then
  jar=$(ls -1 "$HOME"/.m2/repository/org/postgresql/postgresql/*/postgresql-*.jar 2>/dev/null | grep -v sources | sort -V | tail -1 || true)
  [[ -n "$jar" ]] || { echo "explain.sh: no psql and no PostgreSQL driver jar in ~/.m2" >&2; exit 2; }
fi

run_sql() { # $1 = SQL file
  if [[ "$client" == psql ]]; then
    PGPASSWORD="$password" PGCONNECT_TIMEOUT=10 psql -X -q -a -v ON_ERROR_STOP=1 -h localhost -p "$port" -U postgres -d rollcall -f "$1"
  else
    timeout 120 java -cp "$jar" "$here/Explain.java" "jdbc:postgresql://localhost:$port/rollcall" postgres "$1" "$password"
  fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [[ "$settle_only" == 1 ]]; then
  # and a checkpoint, so that flushing the load's dirty pages does not land in the first scenarios
  printf 'VACUUM (ANALYZE);\nCHECKPOINT;\n' > "$tmp/settle.sql"
  run_sql "$tmp/settle.sql" > /dev/null
  exit 0
fi
echo "SELECT CAST(id AS text) FROM organizations ORDER BY created_at LIMIT 1;" > "$tmp/org.sql"
org=$(run_sql "$tmp/org.sql" | grep -oE '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}' | head -1)
echo "SELECT CAST(id AS text) FROM users WHERE lower(user_name) = lower('user$n@bench.example');" > "$tmp/id.sql"
uid=$(run_sql "$tmp/id.sql" | grep -oE '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}' | head -1)
[[ -n "$org" && -n "$uid" ]] || { echo "explain.sh: no organization or no user$n@bench.example in the database" >&2; exit 2; }
uuid_of() { # $1 = a query returning one id
  echo "$1" > "$tmp/q.sql"
  run_sql "$tmp/q.sql" | grep -oE '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}' | head -1
}
uuids_of() { # $1 = a query returning ids -> a uuid[] literal of them, in the order given
  echo "$1" > "$tmp/q.sql"
  printf "'{%s}'" "$(run_sql "$tmp/q.sql" | grep -v '^ *SELECT' | grep -oE '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}' | paste -sd, -)"
}
big=$(uuid_of "SELECT CAST(id AS text) FROM groups WHERE display_name = 'group1' ORDER BY created_at LIMIT 1;")
group2=$(uuid_of "SELECT CAST(id AS text) FROM groups WHERE display_name = 'group2' ORDER BY created_at LIMIT 1;")
spare=$(uuid_of "SELECT CAST(id AS text) FROM users WHERE lower(user_name) = 'spare1@bench.example';")
if [[ -z "$spare" && -n "$big" ]]; then
  spare=$(uuid_of "SELECT CAST(u.id AS text) FROM users u WHERE NOT EXISTS (SELECT 1 FROM group_members gm WHERE gm.group_id = '$big' AND gm.member_id = u.id) LIMIT 1;")
fi
[[ -n "$big" && -n "$group2" && -n "$spare" ]] || { echo "explain.sh: no group1, group2 or user outside group1" >&2; exit 2; }
first_page=$(uuids_of "SELECT CAST(id AS text) FROM users WHERE org_id = '$org' ORDER BY created_at, id LIMIT 100;")
not_in_group2=$(uuids_of "SELECT CAST(u.id AS text) FROM users u WHERE NOT EXISTS (SELECT 1 FROM group_members gm WHERE gm.group_id = '$group2' AND gm.member_id = u.id) ORDER BY u.created_at LIMIT 1000;")

# The server's own statements, read from the built classes (benchmark/Statements.java; build the app first), so that
# the plans shown are always those of the SQL the server runs: ResourceReads.search/findById with
# UserRepository.GROUPS_ARRAY as the "related" column; UserRepository.RELATED_ROWS for a listing page's groups and
# roles; GroupMemberWrites for the membership PATCHes of the benchmark.
app="$here/../target/quarkus-app"
mapfile -t statements < <(java -cp "$app/app/*:$app/lib/main/*" "$here/Statements.java" \
    io.rollcall.store.UserRepository.GROUPS_ARRAY io.rollcall.store.UserRepository.RELATED_ROWS \
    io.rollcall.store.UserRepository.GROUP_ROWS io.rollcall.store.UserRepository.ROLE_ROWS \
    io.rollcall.store.GroupMemberWrites.ADD_USERS io.rollcall.store.GroupMemberWrites.REMOVE)
[[ ${#statements[@]} == 6 ]] || { echo "explain.sh: cannot read the server's statements from $app (built?)" >&2; exit 2; }
groups_json=${statements[0]} related_rows=${statements[1]} group_rows=${statements[2]} role_rows=${statements[3]}
add_users=${statements[4]} remove_members=${statements[5]}
squash() { printf '%s' "$1" | tr -s ' \n' '  ' | sed 's/^ *//; s/ *$//'; }
# the user's groups as the server reads them with a user (UserRepository.computed); its role bindings, one probe of
# role_bindings_org_principal, are left out here
cols="u.id, u.data::text AS data, u.version, u.created_at, u.updated_at, json_build_object('groups', $(squash "$groups_json"), 'roles', NULL)::text AS related"
page="ORDER BY u.created_at, u.id LIMIT \$3 OFFSET \$4"
# a listing page: the users without their relations, then the page's groups and roles in one statement (%s: the parts)
list_relations=$(squash "$related_rows")
list_relations=${list_relations/\%s/$(squash "$group_rows")}
list_relations=${list_relations/\%s/$(squash "$role_rows")}
audit="'operator', NULL, 'explain.sh', 'operator', 'explain', 'group.patch'"
cat > "$tmp/explain.sql" <<SQL
-- Client: $client; sample user: user$n@bench.example ($uid); organization $org.
-- The statements are the server's own (ResourceReads.search / findById with the user's groups as the "related"
-- column), prepared with the same \$n parameters. Each is shown with the planner's default (custom plan for the first
-- executions) and with plan_cache_mode = force_generic_plan, the plan a long-lived prepared statement may switch to.
SELECT count(*) AS users, (SELECT count(*) FROM groups) AS groups, (SELECT count(*) FROM group_members) AS memberships FROM users;
SELECT relname, n_live_tup, last_autovacuum, last_vacuum, last_autoanalyze, last_analyze FROM pg_stat_user_tables WHERE relname IN ('users', 'groups', 'group_members', 'resource_counts') ORDER BY relname;
PREPARE by_user_name(uuid, text, int, int) AS SELECT $cols, count(*) OVER () AS total FROM users u WHERE u.org_id = \$1 AND (lower(u.user_name) = lower(\$2)) $page;
PREPARE by_external_id(uuid, text, int, int) AS SELECT $cols, count(*) OVER () AS total FROM users u WHERE u.org_id = \$1 AND (u.external_id = \$2) $page;
PREPARE by_email(uuid, text, int, int) AS SELECT $cols, count(*) OVER () AS total FROM users u WHERE u.org_id = \$1 AND (scim_lower_values(u.data -> 'emails', 'value') @> ARRAY[lower(\$2)]) $page;
PREPARE by_id(uuid, uuid) AS SELECT $cols FROM users u WHERE u.org_id = \$1 AND u.id = \$2;
PREPARE list_page(uuid, int, int) AS SELECT u.id, u.data::text AS data, u.version, u.created_at, u.updated_at, NULL::text AS related, (SELECT COALESCE(sum(n), 0) FROM resource_counts WHERE org_id = \$1 AND resource = 'users') AS total FROM users u WHERE u.org_id = \$1 ORDER BY u.created_at, u.id LIMIT \$2 OFFSET \$3;
PREPARE list_relations(uuid, uuid[], bigint) AS $list_relations;
-- ===== filter userName eq (custom plan) =====
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE by_user_name('$org', 'user$n@bench.example', 100, 0);
-- ===== filter externalId eq (custom plan) =====
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE by_external_id('$org', 'ext-$n', 100, 0);
-- ===== filter emails.value eq (custom plan) =====
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE by_email('$org', 'mail$n@bench.example', 100, 0);
-- ===== GET by id (custom plan) =====
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE by_id('$org', '$uid');
-- ===== list count=100, first page: the users, then their groups and roles (UserRepository.RELATED_ROWS) =====
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE list_page('$org', 100, 0);
SET plan_cache_mode = force_generic_plan;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE list_relations('$org', $first_page, 5001);
RESET plan_cache_mode;
-- ===== plan cache: after 10 more executions each, does PostgreSQL reuse a generic plan or plan every execution? =====
-- (custom_plans counts executions that were planned again; the server's prepared statements behave the same way)
DO \$\$ BEGIN FOR i IN 1..10 LOOP EXECUTE format('EXECUTE by_user_name(%L, %L, 100, 0)', '$org', 'user' || i || '@bench.example'); EXECUTE format('EXECUTE by_external_id(%L, %L, 100, 0)', '$org', 'ext-' || i); EXECUTE format('EXECUTE by_email(%L, %L, 100, 0)', '$org', 'mail' || i || '@bench.example'); EXECUTE format('EXECUTE by_id(%L, %L)', '$org', '$uid'); EXECUTE format('EXECUTE list_page(%L, 100, %s)', '$org', i * 100); END LOOP; END \$\$;
SELECT name, generic_plans, custom_plans FROM pg_prepared_statements ORDER BY name;
SET plan_cache_mode = force_generic_plan;
-- ===== filter userName eq (generic plan) =====
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE by_user_name('$org', 'user$n@bench.example', 100, 0);
-- ===== filter externalId eq (generic plan) =====
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE by_external_id('$org', 'ext-$n', 100, 0);
-- ===== filter emails.value eq (generic plan) =====
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE by_email('$org', 'mail$n@bench.example', 100, 0);
RESET plan_cache_mode;
-- ===== group membership writes (GroupMemberWrites: one statement per PATCH), inside a transaction that is rolled back =====
-- The member ids travel as a uuid[] parameter: user $spare (not in group1) for the ±1 PATCH, and 1,000 users not in
-- group2 for the +1,000 PATCH. The server runs them with plan_cache_mode = force_generic_plan, as here.
BEGIN;
SET LOCAL plan_cache_mode = force_generic_plan;
-- parameters: group, organization, member ids, time, then the audit row's actor kind, id and name, channel, request id
-- and action (GroupMemberWrites.parameters)
PREPARE add_users(uuid, uuid, uuid[], timestamptz, text, uuid, text, text, text, text) AS $add_users;
PREPARE remove_members(uuid, uuid, uuid[], timestamptz, text, uuid, text, text, text, text) AS $remove_members;
-- ADD_USERS: 1 user into group1 (the big group): checks, inserts, counts the change on a version counter
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE add_users('$big', '$org', ARRAY['$spare']::uuid[], now(), $audit);
-- REMOVE: the same user from group1
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE remove_members('$big', '$org', ARRAY['$spare']::uuid[], now(), $audit);
-- ADD_USERS: 1,000 users into group2
EXPLAIN (ANALYZE, BUFFERS, WAL, COSTS OFF) EXECUTE add_users('$group2', '$org', $not_in_group2, now(), $audit);
ROLLBACK;
SQL
run_sql "$tmp/explain.sql"
