#!/usr/bin/env bash
# Rollcall benchmark: starts a fresh server (embedded PostgreSQL in a new temporary directory, loopback only), loads
# USERS users and GROUPS groups (group1 with BIG_GROUP_MEMBERS members) with Loader.java, then runs every scenario in
# scenarios/ with wrk and prints a summary table; the same report goes to benchmark/results/<timestamp>.md.
#
#   benchmark/run.sh                                   # the full benchmark (100,000 users, 1,000 groups, 20 s each)
#   benchmark/run.sh USERS=3000 GROUPS=20 DURATION=5   # a small run; settings as arguments or environment variables
#
# Settings (arguments KEY=VALUE win over the environment): see README.md, "How to run". Note that bash ignores a
# `GROUPS=20 benchmark/run.sh` prefix (GROUPS is one of bash's own variables): pass GROUPS=20 as an argument, or set
# BENCH_GROUPS, or use `env GROUPS=20 benchmark/run.sh`.
set -euo pipefail

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$bench_dir")

usage() { sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2; }

# GROUPS as the process was given it (bash replaces $GROUPS with the caller's group ids when it is not in the environment).
groups_from_env=$(tr '\0' '\n' < /proc/$$/environ 2>/dev/null | sed -n 's/^GROUPS=//p' | head -1 || true)
for arg in "$@"; do
  case "$arg" in
    -h|--help) usage ;;
    GROUPS=*) BENCH_GROUPS=${arg#GROUPS=} ;;
    [A-Z_]*=*) export "${arg?}" ;;
    *) echo "run.sh: unknown argument '$arg' (settings are KEY=VALUE)" >&2; usage ;;
  esac
done

USERS=${USERS:-100000}
BENCH_GROUPS=${BENCH_GROUPS:-${groups_from_env:-1000}}
BIG_GROUP_MEMBERS=${BIG_GROUP_MEMBERS:-$USERS}
SPARE_USERS=${SPARE_USERS:-1000}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-5}
PREWARM=${PREWARM:-1}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-16}
# bulk-post-users: operations per Bulk request (at most the server's rollcall.scim.bulk.max-operations) and requests in
# flight; 8 Bulk requests keep the 6 pooled connections busy as 16 single POSTs do, and each answers within WRK_TIMEOUT
BULK_OPERATIONS=${BULK_OPERATIONS:-1000}
BULK_CONNECTIONS=${BULK_CONNECTIONS:-8}
HEAP=${HEAP:-80m}
# A small footprint for the RSS target: serial GC on 2 cores, bounded code cache and metaspace, few malloc arenas, and
# memory the JIT and the libraries free given back to the system every second (otherwise glibc keeps it: NMT showed
# ~300 MiB committed against a 354 MiB RSS). The live heap is ~25 MiB, so 80 MiB leaves room for bursts. C2 alone
# (no tiered compilation) keeps no C1 code and profiles: peak 291 → 273 MiB on a 20k run, same throughput once warm.
JAVA_OPTS=${JAVA_OPTS:--XX:+UseSerialGC -XX:-TieredCompilation -XX:ReservedCodeCacheSize=48m -XX:MaxMetaspaceSize=128m -Xss512k -XX:MaxDirectMemorySize=64m -Dio.netty.allocator.numDirectArenas=2 -Dio.netty.allocator.numHeapArenas=2 -XX:TrimNativeHeapInterval=1000}
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
PORT=${PORT:-18080}
VERIFY=${VERIFY:-0}
EXPLAIN=${EXPLAIN:-1}
SETTLE=${SETTLE:-1}
NMT=${NMT:-0}
SERIAL=${SERIAL:-1}
KEEP_DATA=${KEEP_DATA:-0}
WRK_TIMEOUT=${WRK_TIMEOUT:-10s}
START_TIMEOUT=${START_TIMEOUT:-180}
CURSOR_PAGE=${CURSOR_PAGE:-9000}
LOAD_TIMEOUT=${LOAD_TIMEOUT:-3600}
# the loader: 0 creates users by single POSTs; N > 0 by Bulk requests of N creates (at most the server's maxOperations)
LOAD_BULK=${LOAD_BULK:-0}
ALL_SCENARIOS="get-user filter-username filter-externalid filter-email list-100 list-cursor-deep patch-active patch-member-pm1 patch-1000-members post-user bulk-post-users list-1000-large"
SCENARIOS=${SCENARIOS:-$ALL_SCENARIOS}
RESULTS_DIR=${RESULTS_DIR:-$bench_dir/results}

for n in USERS BENCH_GROUPS BIG_GROUP_MEMBERS SPARE_USERS DURATION WARMUP THREADS CONNECTIONS BULK_OPERATIONS BULK_CONNECTIONS PORT START_TIMEOUT LOAD_TIMEOUT LOAD_BULK CURSOR_PAGE; do
  [[ "${!n}" =~ ^[0-9]+$ ]] || { echo "run.sh: $n must be a whole number, got '${!n}'" >&2; exit 2; }
done
(( USERS >= 1000 )) || { echo "run.sh: USERS must be at least 1000 (the +1,000-members scenario)" >&2; exit 2; }
(( BENCH_GROUPS >= 2 )) || { echo "run.sh: GROUPS must be at least 2" >&2; exit 2; }
(( SPARE_USERS >= THREADS )) || { echo "run.sh: SPARE_USERS must be at least THREADS" >&2; exit 2; }
(( BULK_OPERATIONS >= 1 && BULK_CONNECTIONS >= THREADS )) || { echo "run.sh: BULK_OPERATIONS must be at least 1, BULK_CONNECTIONS at least THREADS" >&2; exit 2; }
(( DURATION >= 1 && DURATION <= 3600 )) || { echo "run.sh: DURATION must be 1..3600 s" >&2; exit 2; }
for s in $SCENARIOS; do
  [[ -f "$bench_dir/scenarios/$s.lua" ]] || { echo "run.sh: no scenario $s (have: $ALL_SCENARIOS)" >&2; exit 2; }
done
# list-1000-large pages through LARGE_USERS users of ~30 KB (a page of 1,000 is ~30 MB of JSON)
if [[ " $SCENARIOS " == *" list-1000-large "* ]]; then LARGE_USERS=${LARGE_USERS:-1000}; else LARGE_USERS=${LARGE_USERS:-0}; fi
[[ "$LARGE_USERS" =~ ^[0-9]+$ ]] || { echo "run.sh: LARGE_USERS must be a whole number" >&2; exit 2; }

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# --- tools -------------------------------------------------------------------------------------------------------
if ! command -v wrk >/dev/null 2>&1; then
  log "installing wrk (Debian package)"
  if ! apt-get install -y wrk >/dev/null 2>&1; then
    apt-get update >/dev/null && apt-get install -y wrk >/dev/null || die "could not install wrk"
  fi
fi
command -v java >/dev/null 2>&1 || die "java (17+) is required"
command -v curl >/dev/null 2>&1 || die "curl is required"

app_jar="$repo/target/quarkus-app/quarkus-run.jar"
# build when there is no jar or the sources changed since it was built (a stale jar measures old code)
if [[ ! -f "$app_jar" ]] || [[ -n "$(find "$repo/src/main" "$repo/scim-schemas" "$repo/pom.xml" -newer "$app_jar" -print -quit)" ]]; then
  log "building the application (./mvnw -B -q package -DskipTests in $repo)"
  (cd "$repo" && ./mvnw -B -q package -DskipTests) || die "build failed"
fi

# --- server ------------------------------------------------------------------------------------------------------
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  die "port $PORT is already in use on 127.0.0.1: set PORT=<free port>"
fi
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
work=$(mktemp -d "${TMPDIR:-/tmp}/rollcall-bench.XXXXXX")
mkdir -p "$work/data"
server_pid=""

postmaster_pid() { head -1 "$work/.rollcall/postgres/postmaster.pid" 2>/dev/null || true; }

cleanup() {
  local status=$?
  set +e
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    log "stopping the server (pid $server_pid)"
    kill -TERM "$server_pid"
    for _ in $(seq 60); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$server_pid" 2>/dev/null && kill -KILL "$server_pid"
    wait "$server_pid" 2>/dev/null
  fi
  # The server stops its embedded PostgreSQL on exit; if it could not, stop that postmaster (ours, by its pid).
  local pg
  pg=$(postmaster_pid)
  if [[ -n "$pg" ]] && kill -0 "$pg" 2>/dev/null && grep -q "$work" "/proc/$pg/cmdline" 2>/dev/null; then
    log "stopping the embedded PostgreSQL (pid $pg)"
    kill -INT "$pg"
    for _ in $(seq 60); do kill -0 "$pg" 2>/dev/null || break; sleep 0.5; done
  fi
  if [[ "$KEEP_DATA" == 1 ]]; then
    log "kept the server's directory $work"
  else
    rm -rf "$work"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# CPU time in clock ticks: the server JVM's, and PostgreSQL's (postmaster, its live backends, and ended ones through the
# postmaster's children counters). Per request, this is the cost of a request whatever else shares the cores.
cpu_ticks() { awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_cpu_ticks() {
  local pg total=0 p
  pg=$(postmaster_pid)
  [[ -n "$pg" ]] || { echo 0; return; }
  total=$(cpu_ticks "$pg")
  for p in $(ps -o pid= --ppid "$pg" 2>/dev/null); do total=$(( total + $(cpu_ticks "$p") )); done
  echo "$total"
}
clk_tck=$(getconf CLK_TCK 2>/dev/null || echo 100)
us_per_request() { awk -v t="$1" -v r="$2" -v hz="$clk_tck" 'BEGIN { if (r > 0) printf "%.0f", t * 1000000 / hz / r; else print "-" }'; }

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm_kib() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
mib() { awk -v k="$1" 'BEGIN {printf "%.0f", k / 1024}'; }
# PostgreSQL's memory: proportional set size (shared buffers counted once) of the postmaster and its children.
pg_pss_kib() {
  local pg pids total=0 p v
  pg=$(postmaster_pid)
  [[ -n "$pg" ]] || { echo 0; return; }
  pids="$pg $(ps -o pid= --ppid "$pg" 2>/dev/null | tr '\n' ' ')"
  for p in $pids; do
    v=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || true)
    total=$(( total + ${v:-0} ))
  done
  echo "$total"
}
server_alive() { kill -0 "$server_pid" 2>/dev/null; }
check_alive() { server_alive || { tail -40 "$work/server.log" >&2; die "the server died (log above)"; }; }

nmt_opt=""
[[ "$NMT" == 1 ]] && nmt_opt="-XX:NativeMemoryTracking=summary"
log "starting Rollcall on 127.0.0.1:$PORT with -Xmx$HEAP in $work"
(cd "$work" && exec env QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$PORT" \
  java "-Xmx$HEAP" $nmt_opt $JAVA_OPTS -jar "$app_jar" > "$work/server.log" 2>&1 < /dev/null) &
server_pid=$!
base="http://127.0.0.1:$PORT"
deadline=$(( SECONDS + START_TIMEOUT ))
until [[ -s "$work/.rollcall/owner.token" ]] && curl -sf -o /dev/null --max-time 2 "$base/.well-known/jwks.json"; do
  check_alive
  (( SECONDS < deadline )) || die "the server did not start within ${START_TIMEOUT}s (see $work/server.log)"
  sleep 0.5
done
pg_port=$(sed -n 's/.*Using the embedded PostgreSQL on localhost:\([0-9]*\).*/\1/p' "$work/server.log" | head -1)
log "server up (pid $server_pid, embedded PostgreSQL on port ${pg_port:-?})"
rss_idle=$(rss_kib "$server_pid")

owner=$(cat "$work/.rollcall/owner.token")
key_json=$(curl -sf --max-time 30 -X POST "$base/admin/v1/access-keys" -H "Authorization: Bearer $owner" \
  -H 'Content-Type: application/json' -d '{"name":"bench","roles":["SCIM Client"]}') || die "could not create an access key"
token=$(printf '%s' "$key_json" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[[ -n "$token" ]] || die "no token in $key_json"

# --- data --------------------------------------------------------------------------------------------------------
log "loading $USERS users (+$SPARE_USERS spare), $BENCH_GROUPS groups, $BIG_GROUP_MEMBERS members in group1"
BENCH_URL="$base" BENCH_TOKEN="$token" BENCH_DATA="$work/data" USERS="$USERS" BENCH_GROUPS="$BENCH_GROUPS" \
  BIG_GROUP_MEMBERS="$BIG_GROUP_MEMBERS" SPARE_USERS="$SPARE_USERS" LARGE_USERS="$LARGE_USERS" LOAD_TIMEOUT="$LOAD_TIMEOUT" \
  LOAD_BULK="$LOAD_BULK" timeout $(( LOAD_TIMEOUT + 120 )) java -Xmx512m "$bench_dir/Loader.java" >&2 || { check_alive; die "loading failed"; }
check_alive
load_value() { sed -n "s/^$1=//p" "$work/data/load.txt"; }
rss_loaded=$(rss_kib "$server_pid")
pg_loaded=$(pg_pss_kib)
log "loaded: $(load_value users_per_s) users/s; server RSS $(mib "$rss_loaded") MiB"

if [[ "$SETTLE" == 1 ]]; then
  # Fresh tables have no planner statistics, the emails GIN index keeps new entries in its pending list, and the
  # counter rows of resource_counts carry one dead version per insert, until autovacuum gets to them: at some moment
  # during the run, changing plans and costs midway. VACUUM (ANALYZE) now, as autovacuum would once the load settles,
  # so that every scenario runs against the same settled database.
  log "VACUUM (ANALYZE) and CHECKPOINT of the database"
  USERS="$USERS" PGPORT="$pg_port" ROLLCALL_DATA_DIR="$work/.rollcall" "$bench_dir/explain.sh" --settle >&2 || die "VACUUM (ANALYZE) failed"
fi

explain_out=""
if [[ "$EXPLAIN" == 1 ]]; then
  log "capturing query plans (explain.sh)"
  if explain_out=$(USERS="$USERS" PGPORT="$pg_port" ROLLCALL_DATA_DIR="$work/.rollcall" "$bench_dir/explain.sh" 2>&1); then :; else
    log "explain.sh failed (the benchmark goes on)"; fi
fi

# --- scenarios ---------------------------------------------------------------------------------------------------
declare -A offset
rows=()        # scenario|connections|rps|p50|p99|non2xx|socket|bad|wrapped|rss
raw="$work/wrk.txt"
: > "$raw"

result_line=""
run_wrk() { # name threads connections seconds -> sets result_line to the BENCH_RESULT line; raw output goes to $raw
  local name=$1 t=$2 c=$3 d=$4 out
  out=$(BENCH_TOKEN="$token" BENCH_DATA="$work/data" USERS="$USERS" BENCH_THREADS="$t" BENCH_VERIFY="$VERIFY" \
    BENCH_OFFSET="${offset[$name]:-0}" BENCH_BULK_OPERATIONS="$BULK_OPERATIONS" BENCH_CURSOR="$bench_cursor" timeout $(( d + 60 )) \
    wrk "-t$t" "-c$c" "-d${d}s" --timeout "$WRK_TIMEOUT" --latency -s "$bench_dir/scenarios/$name.lua" "$base" 2>&1) \
    || { printf '%s\n' "$out" >&2; check_alive; die "wrk failed on $name"; }
  printf '### %s (-t%s -c%s -d%ss)\n%s\n\n' "$name" "$t" "$c" "$d" "$out" >> "$raw"
  local line
  line=$(printf '%s\n' "$out" | grep '^BENCH_RESULT' | tail -1)
  [[ -n "$line" ]] || { printf '%s\n' "$out" >&2; die "no result line from $name"; }
  if printf '%s\n' "$out" | grep -q '^BENCH_BAD_SAMPLE'; then
    log "$name: unexpected response, e.g. $(printf '%s\n' "$out" | grep '^BENCH_BAD_SAMPLE' | head -1 | cut -c18-300)"
  fi
  local next
  next=$(field next "$line")
  if (( ${next:-0} > 0 )); then offset[$name]=$next; fi
  result_line=$line
}
field() { printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

bench_cursor=""
cursor_of_page() { # page -> prints the nextCursor of the page before it, walking from the first page (RFC 9865)
  local page=$1 cursor="" i body
  for (( i = 1; i < page; i++ )); do
    body=$(curl -sf --max-time 30 -G "$base/scim/v2/Users" -H "Authorization: Bearer $token" \
      --data-urlencode "cursor=$cursor" --data-urlencode "count=100") || return 1
    cursor=$(printf '%s' "$body" | sed -n 's/.*"nextCursor":"\([^"]*\)".*/\1/p')
    [[ -n "$cursor" ]] || return 1
  done
  printf '%s' "$cursor"
}

record() { # name label threads connections
  local name=$1 label=$2 t=$3 c=$4 line
  if (( WARMUP > 0 )); then
    run_wrk "$name" "$t" "$c" "$WARMUP"
  fi
  local server_cpu pg_cpu
  server_cpu=$(cpu_ticks "$server_pid"); pg_cpu=$(pg_cpu_ticks)
  run_wrk "$name" "$t" "$c" "$DURATION"
  line=$result_line
  check_alive
  local requests
  requests=$(field requests "$line")
  server_cpu=$(us_per_request $(( $(cpu_ticks "$server_pid") - server_cpu )) "$requests")
  pg_cpu=$(us_per_request $(( $(pg_cpu_ticks) - pg_cpu )) "$requests")
  local socket=$(( $(field connect_errors "$line") + $(field read_errors "$line") + $(field write_errors "$line") + $(field timeouts "$line") ))
  local bad="-"
  # bulk-post-users checks every answer itself: a Bulk request answers 200 whatever its operations did
  [[ "$VERIFY" == 1 || "$name" == bulk-post-users ]] && bad="$(field bad "$line")/$(field checked "$line")"
  rows+=("$label|$c|$(field rps "$line")|$(field p50_ms "$line")|$(field p99_ms "$line")|$(field non2xx "$line")|$socket|$bad|$(field wrapped "$line")|$(mib "$(rss_kib "$server_pid")")|$server_cpu|$pg_cpu")
  log "$(printf '%-24s %9s req/s  p50 %8s ms  p99 %8s ms  non-2xx %s  socket errors %s  CPU µs/request server %s PostgreSQL %s' "$label" \
    "$(field rps "$line")" "$(field p50_ms "$line")" "$(field p99_ms "$line")" "$(field non2xx "$line")" "$socket" "$server_cpu" "$pg_cpu")"
}

if [[ "$PREWARM" == 1 ]] && (( WARMUP > 0 )); then
  # The load warmed the write paths; warm the read paths too, so that the first scenarios are not measured on a
  # colder JIT than the later ones (their own warm-up alone was not enough in trials on 2 cores).
  for s in get-user filter-username filter-externalid filter-email list-100; do
    if [[ " $SCENARIOS " == *" $s "* ]]; then
      log "pre-warm: $s for ${WARMUP}s (not recorded)"
      run_wrk "$s" "$THREADS" "$CONNECTIONS" "$WARMUP"
    fi
  done
fi

for s in $SCENARIOS; do
  c=$CONNECTIONS
  [[ "$s" == bulk-post-users ]] && c=$BULK_CONNECTIONS
  log "scenario $s: ${WARMUP}s warm-up, ${DURATION}s measured, -t$THREADS -c$c"
  if [[ "$s" == list-cursor-deep ]]; then
    # the first page, then a deep one: keyset pages should cost the same
    record "$s" "$s (page 1)" "$THREADS" "$c"
    deep=$(( CURSOR_PAGE < USERS / 100 ? CURSOR_PAGE : USERS / 100 ))
    log "walking to page $deep of 100 users by cursor"
    bench_cursor=$(cursor_of_page "$deep") || die "could not walk to page $deep by cursor"
    record "$s" "$s (page $deep)" "$THREADS" "$c"
    bench_cursor=""
    continue
  fi
  record "$s" "$s" "$THREADS" "$c"
  if [[ "$SERIAL" == 1 && ( "$s" == patch-member-pm1 || "$s" == patch-1000-members ) ]]; then
    log "scenario $s at concurrency 1 (informational: its cost without waiting for the group's row lock)"
    record "$s" "$s (c1)" 1 1
  fi
done

rss_after=$(rss_kib "$server_pid")
rss_peak=$(hwm_kib "$server_pid")
pg_after=$(pg_pss_kib)
nmt_out=""
if [[ "$NMT" == 1 ]]; then
  nmt_out=$(timeout 60 jcmd "$server_pid" VM.native_memory summary 2>&1 | grep -E '^(Total|-)' | sed 's/^- *//' || true)
fi

# --- report ------------------------------------------------------------------------------------------------------
target_of() {
  case "$1" in
    get-user) echo "≥ 6,000 req/s" ;;
    filter-username) echo "≥ 5,000 req/s, p99 ≤ 10 ms" ;;
    list-100) echo "≥ 1,000 req/s" ;;
    post-user) echo "≥ 1,500 req/s" ;;
    patch-member-pm1) echo "p50 ≤ 5 ms" ;;
    patch-1000-members) echo "p50 ≤ 50 ms" ;;
    bulk-post-users) echo "users/s ≥ post-user's req/s" ;;
    list-1000-large) echo "no errors" ;;
    *) echo "" ;;
  esac
}
# post-user's req/s, once measured: what bulk-post-users is held to, per user
post_user_rps=""
for row in "${rows[@]}"; do
  IFS='|' read -r label c rps _ <<< "$row"
  [[ "$label" == post-user ]] && post_user_rps=$rps
done
verdict_of() { # label rps p50 p99 non2xx [bad]
  local ok
  case "$1" in
    bulk-post-users)
      [[ -n "$post_user_rps" ]] || { echo ""; return; }
      ok=$(awk -v r="$2" -v n="$BULK_OPERATIONS" -v p="$post_user_rps" 'BEGIN {print (r * n >= p)}')
      [[ "${6:-0/}" == 0/* ]] || ok=0 ;;
    get-user) ok=$(awk -v r="$2" 'BEGIN {print (r >= 6000)}') ;;
    filter-username) ok=$(awk -v r="$2" -v p="$4" 'BEGIN {print (r >= 5000 && p <= 10)}') ;;
    list-100) ok=$(awk -v r="$2" 'BEGIN {print (r >= 1000)}') ;;
    post-user) ok=$(awk -v r="$2" 'BEGIN {print (r >= 1500)}') ;;
    patch-member-pm1) ok=$(awk -v p="$3" 'BEGIN {print (p <= 5)}') ;;
    patch-1000-members) ok=$(awk -v p="$3" 'BEGIN {print (p <= 50)}') ;;
    list-1000-large) ok=$(awk -v r="$2" 'BEGIN {print (r > 0)}') ;;
    *) echo ""; return ;;
  esac
  [[ "$5" != 0 ]] && ok=0
  [[ "$ok" == 1 ]] && echo "pass" || echo "FAIL"
}

stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RESULTS_DIR"
report="$RESULTS_DIR/$stamp.md"
full_scale=$([[ "$USERS" == 100000 && "$BENCH_GROUPS" == 1000 && "$BIG_GROUP_MEMBERS" == 100000 && "$DURATION" -ge 20 ]] && echo yes || echo no)
rss_verdict=$(awk -v k="$rss_peak" 'BEGIN {print (k <= 300 * 1024) ? "pass" : "FAIL"}')
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo "?")
dirty=$(git -C "$repo" status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo " (with uncommitted changes)" || true)

{
  echo "# Rollcall benchmark, $stamp"
  echo
  echo "- Commit: \`$commit\`$dirty; machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); load average before the run: $load_before"
  echo "- $(java -version 2>&1 | head -1); $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2); server heap -Xmx$HEAP ${JAVA_OPTS:+($JAVA_OPTS)}"
  echo "- Data: USERS=$USERS (+$SPARE_USERS spare users in no group), GROUPS=$BENCH_GROUPS, BIG_GROUP_MEMBERS=$BIG_GROUP_MEMBERS, LOAD_BULK=$LOAD_BULK; DURATION=${DURATION}s after ${WARMUP}s warm-up (PREWARM=$PREWARM), wrk -t$THREADS -c$CONNECTIONS; VERIFY=$VERIFY; SETTLE=$SETTLE"
  echo "- Server log: $(grep -c ' WARN ' "$work/server.log" || true) WARN and $(grep -c ' ERROR ' "$work/server.log" || true) ERROR lines (copied to results/$stamp-server.log)"
  [[ "$full_scale" == yes ]] || echo "- **Scaled-down run**: the targets are for 100,000 users, 1,000 groups and 20 s; verdicts below are indicative only."
  echo
  echo "## Load"
  echo
  echo "| what | count | seconds | rate |"
  echo "|---|---:|---:|---:|"
  echo "| POST users | $(load_value users) | $(load_value users_seconds) | $(load_value users_per_s) users/s |"
  echo "| POST groups | $(load_value groups) | $(load_value groups_seconds) | |"
  echo "| PATCH +1,000 members into group1 | $(load_value big_group_members) | $(load_value big_group_seconds) | $(load_value big_group_members_per_s) members/s |"
  echo
  echo "## Scenarios"
  echo
  echo "| scenario | conns | req/s | p50 ms | p99 ms | non-2xx | socket errors | bad (VERIFY) | wrapped | RSS after MiB | server CPU µs/req | PostgreSQL CPU µs/req | target | verdict |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"
  for row in "${rows[@]}"; do
    IFS='|' read -r label c rps p50 p99 non2xx socket bad wrapped rss server_cpu pg_cpu <<< "$row"
    echo "| $label | $c | $rps | $p50 | $p99 | $non2xx | $socket | $bad | $wrapped | $rss | $server_cpu | $pg_cpu | $(target_of "$label") | $(verdict_of "$label" "$rps" "$p50" "$p99" "$non2xx" "$bad") |"
  done
  echo
  for row in "${rows[@]}"; do
    IFS='|' read -r label c rps p50 p99 non2xx socket bad wrapped rss server_cpu pg_cpu <<< "$row"
    [[ "$label" == bulk-post-users ]] || continue
    echo "Per user, \`bulk-post-users\` ($BULK_OPERATIONS creates per request, $c in flight): $(awk -v r="$rps" -v n="$BULK_OPERATIONS" 'BEGIN {printf "%.0f", r * n}') users/s, CPU µs per user server $(awk -v v="$server_cpu" -v n="$BULK_OPERATIONS" 'BEGIN {printf "%.0f", v / n}') and PostgreSQL $(awk -v v="$pg_cpu" -v n="$BULK_OPERATIONS" 'BEGIN {printf "%.0f", v / n}'), against \`post-user\`'s ${post_user_rps:-(not measured)} users/s (its CPU per request is per user); bad answers $bad."
    echo
  done
  echo "## Server memory"
  echo
  echo "| when | server RSS MiB | PostgreSQL PSS MiB |"
  echo "|---|---:|---:|"
  echo "| after start (idle) | $(mib "$rss_idle") | |"
  echo "| after the data load | $(mib "$rss_loaded") | $(mib "$pg_loaded") |"
  echo "| after all scenarios | $(mib "$rss_after") | $(mib "$pg_after") |"
  echo "| peak (VmHWM) | $(mib "$rss_peak") | |"
  echo
  echo "Target: server RSS ≤ 300 MiB with -Xmx$HEAP → peak $(mib "$rss_peak") MiB: **$rss_verdict**."
  if [[ -n "$nmt_out" ]]; then
    echo
    echo "Native memory tracking after the scenarios (jcmd VM.native_memory summary; committed is what counts in RSS):"
    echo
    echo '```'
    printf '%s\n' "$nmt_out"
    echo '```'
  fi
  if [[ -n "$explain_out" ]]; then
    echo
    echo "## Query plans after the load (explain.sh)"
    echo
    echo '```'
    printf '%s\n' "$explain_out"
    echo '```'
  fi
  echo
  echo "## wrk output"
  echo
  echo '```'
  cat "$raw"
  echo '```'
} > "$report.tmp"
mv "$report.tmp" "$report"
cp "$work/server.log" "$RESULTS_DIR/$stamp-server.log"

# Terminal summary
echo
printf '%-26s %6s %10s %10s %10s %8s %7s %10s %9s %9s  %s\n' scenario conns "req/s" "p50 ms" "p99 ms" non-2xx socket "RSS MiB" "srv µs/r" "pg µs/r" verdict
for row in "${rows[@]}"; do
  IFS='|' read -r label c rps p50 p99 non2xx socket bad wrapped rss server_cpu pg_cpu <<< "$row"
  printf '%-26s %6s %10s %10s %10s %8s %7s %10s %9s %9s  %s\n' "$label" "$c" "$rps" "$p50" "$p99" "$non2xx" "$socket" "$rss" \
    "$server_cpu" "$pg_cpu" "$(verdict_of "$label" "$rps" "$p50" "$p99" "$non2xx" "$bad")"
  [[ "$label" == bulk-post-users ]] && printf '%-26s %s users/s (%s creates per request), against post-user %s\n' "" \
    "$(awk -v r="$rps" -v n="$BULK_OPERATIONS" 'BEGIN {printf "%.0f", r * n}')" "$BULK_OPERATIONS" "${post_user_rps:-(not measured)}"
done
echo
echo "load: $(load_value users_per_s) users/s; big group: $(load_value big_group_members_per_s) members/s"
echo "server RSS: idle $(mib "$rss_idle") MiB, after load $(mib "$rss_loaded") MiB, after scenarios $(mib "$rss_after") MiB, peak $(mib "$rss_peak") MiB ($rss_verdict, target ≤ 300 MiB with -Xmx$HEAP)"
[[ "$full_scale" == yes ]] || echo "(scaled-down run: the targets are for USERS=100000 GROUPS=1000 DURATION>=20)"
echo "report: $report"
