#!/usr/bin/env bash
# Prints the PostgreSQL query plans (EXPLAIN ANALYZE, BUFFERS) of what the server runs for the three user-matching
# filters (userName eq, externalId eq, emails.value eq), GET by id, and the list page, against a running Rollcall's
# embedded database. Usage:
#   benchmark/explain.sh SERVER_LOG   (finds the port in "Using the embedded PostgreSQL on localhost:<port>")
#   PGPORT=<port> benchmark/explain.sh
# Env: USERS (the sample user is user<USERS/2>), EXPLAIN_CLIENT=psql|jdbc (default: psql if installed, else JDBC
# with the PostgreSQL driver jar from ~/.m2 and benchmark/Explain.java). Connects as postgres to database rollcall.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

port=${PGPORT:-}
if [[ -z "$port" && $# -ge 1 ]]; then
  port=$(sed -n 's/.*Using the embedded PostgreSQL on localhost:\([0-9]*\).*/\1/p' "$1" | tail -1)
fi
[[ -n "$port" ]] || { echo "explain.sh: no port: give the server log or set PGPORT" >&2; exit 2; }
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
    PGCONNECT_TIMEOUT=10 psql -X -q -e -v ON_ERROR_STOP=1 -h localhost -p "$port" -U postgres -d rollcall -f "$1"
  else
    timeout 120 java -cp "$jar" "$here/Explain.java" "jdbc:postgresql://localhost:$port/rollcall" postgres "$1" postgres
  fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "SELECT CAST(id AS text) FROM organizations ORDER BY created_at LIMIT 1;" > "$tmp/org.sql"
org=$(run_sql "$tmp/org.sql" | grep -E '^[0-9a-f]{8}-[0-9a-f]{4}-' | head -1)
echo "SELECT CAST(id AS text) FROM users WHERE lower(user_name) = lower('user$n@bench.example');" > "$tmp/id.sql"
uid=$(run_sql "$tmp/id.sql" | grep -E '^[0-9a-f]{8}-[0-9a-f]{4}-' | head -1)
[[ -n "$org" && -n "$uid" ]] || { echo "explain.sh: no organization or no user$n@bench.example in the database" >&2; exit 2; }

cols="u.id, u.data::text AS data, u.version, u.created_at, u.updated_at"
page="ORDER BY u.created_at, u.id LIMIT \$3 OFFSET \$4"
cat > "$tmp/explain.sql" <<SQL
-- Client: $client; sample user: user$n@bench.example ($uid); organization $org.
-- The statements are the server's own (ResourceReads.search / findById, UserRepository.GROUPS_OF), prepared with
-- the same \$n parameters. Each is shown with the planner's default (custom plan for the first executions) and with
-- plan_cache_mode = force_generic_plan, the plan a long-lived prepared statement may switch to.
SELECT count(*) AS users, (SELECT count(*) FROM groups) AS groups, (SELECT count(*) FROM group_members) AS memberships FROM users;
PREPARE by_user_name(uuid, text, int, int) AS SELECT $cols, count(*) OVER () AS total FROM users u WHERE u.org_id = \$1 AND (lower(u.user_name) = lower(\$2)) $page;
PREPARE by_external_id(uuid, text, int, int) AS SELECT $cols, count(*) OVER () AS total FROM users u WHERE u.org_id = \$1 AND (u.external_id = \$2) $page;
PREPARE by_email(uuid, text, int, int) AS SELECT $cols, count(*) OVER () AS total FROM users u WHERE u.org_id = \$1 AND (scim_lower_values(u.data -> 'emails', 'value') @> ARRAY[lower(\$2)]) $page;
PREPARE by_id(uuid, uuid) AS SELECT $cols FROM users u WHERE u.org_id = \$1 AND u.id = \$2;
PREPARE list_page(uuid, int, int) AS SELECT $cols, count(*) OVER () AS total FROM users u WHERE u.org_id = \$1 ORDER BY u.created_at, u.id LIMIT \$2 OFFSET \$3;
PREPARE groups_of(uuid, uuid) AS WITH RECURSIVE memberships(group_id, direct) AS (SELECT gm.group_id, true FROM group_members gm WHERE gm.org_id = \$1 AND gm.member_id = \$2 UNION SELECT gm.group_id, false FROM group_members gm JOIN memberships m ON gm.member_id = m.group_id WHERE gm.member_type = 'Group') SELECT g.id, g.display_name, bool_or(m.direct) AS direct FROM memberships m JOIN groups g ON g.id = m.group_id GROUP BY g.id, g.display_name ORDER BY g.display_name, g.id;
-- ===== filter userName eq (custom plan) =====
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE by_user_name('$org', 'user$n@bench.example', 100, 0);
-- ===== filter externalId eq (custom plan) =====
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE by_external_id('$org', 'ext-$n', 100, 0);
-- ===== filter emails.value eq (custom plan) =====
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE by_email('$org', 'mail$n@bench.example', 100, 0);
-- ===== GET by id (custom plan) =====
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE by_id('$org', '$uid');
-- ===== groups of a user, run for GET by id, PATCH and every user of a list page =====
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE groups_of('$org', '$uid');
-- ===== list count=100, first page =====
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE list_page('$org', 100, 0);
SET plan_cache_mode = force_generic_plan;
-- ===== filter userName eq (generic plan) =====
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE by_user_name('$org', 'user$n@bench.example', 100, 0);
-- ===== filter externalId eq (generic plan) =====
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE by_external_id('$org', 'ext-$n', 100, 0);
-- ===== filter emails.value eq (generic plan) =====
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE by_email('$org', 'mail$n@bench.example', 100, 0);
RESET plan_cache_mode;
SQL
run_sql "$tmp/explain.sql"
