#!/usr/bin/env bash
# Builds Rollcall's JVM image and proves it runs, on a fresh Debian machine with no Docker engine and no registry:
#   1. installs podman, runc and mmdebstrap from Debian's packages (as root);
#   2. builds a JRE base image from Debian's packages (deploy/ci/debian-base-image.sh);
#   3. builds the app image from the packaged application (target/quarkus-app, made by ./mvnw package or verify);
#   4. runs it as a user would (zero-setup: embedded PostgreSQL on a volume at /data), with a memory limit, and checks
#      the health and discovery endpoints, a SCIM round trip with the owner token read from the container's data
#      volume, an organization created with the operator token from the same volume, that every process runs as
#      uid 185, that SIGTERM stops it cleanly, and that a restart with the README's
#      `run -p 8080:8080 -v rollcall:/data IMAGE` (port published on loopback here) keeps the data;
#   5. prints the image size, the time from container start to ready and the memory in use.
#
#   deploy/ci/container-smoke.sh            (from the repository root or anywhere; needs root)
#
# Measurements go to target/container-smoke.txt too. Set KEEP_CONTAINER=1 to leave the container running.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

image=localhost/rollcall:ci
base_image=localhost/rollcall-base:debian12-jre17
container=rollcall-smoke-$$
volume=rollcall-smoke-data-$$
memory=768m
report=$root/target/container-smoke.txt

log() { printf '[container-smoke] %s\n' "$*"; }
fail() { printf '[container-smoke] FAILED: %s\n' "$*" >&2; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

[ "$(id -u)" = 0 ] || fail "run as root (podman and mmdebstrap need it here)"

# --- 1. Tools from Debian's packages ----------------------------------------------------------------------------------
t0=$(now)
missing=()
for tool in podman runc mmdebstrap curl; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing ${missing[*]} from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends ca-certificates "${missing[@]}" >/dev/null
fi
export CONTAINERS_CONF=$root/deploy/ci/containers.conf
podman --version
t_install=$(elapsed "$t0" "$(now)")

# --- 2. Base image ----------------------------------------------------------------------------------------------------
t0=$(now)
"$root/deploy/ci/debian-base-image.sh" "$base_image"
t_base=$(elapsed "$t0" "$(now)")

# --- 3. App image -----------------------------------------------------------------------------------------------------
t0=$(now)
if [ ! -f target/quarkus-app/quarkus-run.jar ]; then
  log "no packaged application yet: ./mvnw package -DskipTests"
  ./mvnw -B -q package -DskipTests
fi
podman build --quiet -f deploy/jvm/Containerfile --build-arg BASE_IMAGE="$base_image" -t "$image" target/quarkus-app \
  >/dev/null
image_bytes=$(podman image inspect --format '{{.Size}}' "$image")
base_bytes=$(podman image inspect --format '{{.Size}}' "$base_image")
t_build=$(elapsed "$t0" "$(now)")
log "image $image: $((image_bytes / 1000000)) MB (base $((base_bytes / 1000000)) MB, app layers $(((image_bytes - base_bytes) / 1000000)) MB)"

# --- 4. Run and check -------------------------------------------------------------------------------------------------
cleanup() {
  status=$?
  if [ "$status" != 0 ] && podman container exists "$container" 2>/dev/null; then
    echo "--- container log (last 60 lines) ---" >&2
    podman logs "$container" 2>&1 | tail -n 60 >&2 || true
  fi
  if [ "${KEEP_CONTAINER:-0}" != 1 ]; then
    podman rm -f -t 5 "$container" >/dev/null 2>&1 || true
    podman volume rm -f "$volume" >/dev/null 2>&1 || true
  fi
  rm -rf "$scratch"
  exit "$status"
}
scratch=$(mktemp -d)
chmod 700 "$scratch"
trap cleanup EXIT

# A free loopback port: the container shares the host's network (no CNI/netavark setup needed) and listens on
# 127.0.0.1 only.
port=""
for _ in $(seq 1 50); do
  candidate=$((20000 + RANDOM % 20000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
    port=$candidate
    break
  fi
done
[ -n "$port" ] || fail "no free port found"
base_url="http://127.0.0.1:$port"

status_of() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" || true; }

run_container() {
  podman run -d --name "$container" --memory="$memory" --network=host \
    -e QUARKUS_HTTP_HOST=127.0.0.1 -e QUARKUS_HTTP_PORT="$port" \
    -v "$volume:/data" "$image" >/dev/null
}

# Seconds from `podman run` until /q/health/ready answers 200.
wait_ready() {
  local started=$1 deadline=$((SECONDS + 180))
  while [ "$SECONDS" -lt "$deadline" ]; do
    [ "$(podman inspect --format '{{.State.Running}}' "$container")" = true ] || fail "the container stopped"
    if [ "$(status_of "$base_url/q/health/ready")" = 200 ]; then
      elapsed "$started" "$(now)"
      return 0
    fi
    sleep 0.1
  done
  fail "not ready within 180 s"
}

expect() { # expect NAME EXPECTED ACTUAL
  [ "$2" = "$3" ] || fail "$1: expected $2, got $3"
  log "ok: $1 ($3)"
}

podman volume create "$volume" >/dev/null
t0=$(now)
run_container
first_ready=$(wait_ready "$t0")
log "first start (initdb of the embedded PostgreSQL, migrations, bootstrap) ready after ${first_ready} s"

# Health and discovery without a token where they are public, with one where they are not.
for probe in live ready started; do
  body=$(curl -sf "$base_url/q/health/$probe") || fail "/q/health/$probe did not answer 200"
  grep -q '"status": *"UP"' <<<"$body" || fail "/q/health/$probe is not UP: $body"
  log "ok: /q/health/$probe UP"
done
# (each body is saved first: grep -q stops reading at the first match, and under pipefail curl's broken pipe would fail)
curl -sf -o "$scratch/ready.json" "$base_url/q/health/ready" && grep -q '"rollcall-schema-migrations"' "$scratch/ready.json" \
  || fail "readiness lacks the migrations check"
expect "JWKS (public)" 200 "$(status_of "$base_url/.well-known/jwks.json")"
curl -sf -o "$scratch/openapi.json" "$base_url/q/openapi?format=json" && grep -q '"/scim/v2/Users"' "$scratch/openapi.json" \
  || fail "/q/openapi does not describe /scim/v2/Users"
expect "Swagger UI in the production image" 200 "$(status_of "$base_url/q/swagger-ui/")"
expect "SCIM without a token" 401 "$(status_of "$base_url/scim/v2/ServiceProviderConfig")"

# The owner token, from inside the container's data volume: written at first start, mode 600, owned by uid 185.
expect "owner token file mode and owner" "600 185" "$(podman exec "$container" stat -c '%a %u' /data/owner.token)"
podman exec "$container" cat /data/owner.token | tr -d '\n' >"$scratch/owner.token"
[ -s "$scratch/owner.token" ] || fail "the owner token file is empty"
auth_owner="Authorization: Bearer $(cat "$scratch/owner.token")"

curl -s -o "$scratch/key.json" -w '%{http_code}' -X POST "$base_url/admin/v1/access-keys" -H @<(echo "$auth_owner") \
  -H 'Content-Type: application/json' -d '{"name": "smoke-idp", "roles": ["SCIM Client"]}' >"$scratch/code"
expect "admin: create a SCIM Client key with the owner token" 201 "$(cat "$scratch/code")"
sed -n 's/.*"token":"\([^"]*\)".*/\1/p' "$scratch/key.json" >"$scratch/scim.token"
[ -s "$scratch/scim.token" ] || fail "no token in the access-key response"
auth_scim="Authorization: Bearer $(cat "$scratch/scim.token")"

expect "SCIM discovery: ServiceProviderConfig" 200 \
  "$(status_of -H @<(echo "$auth_scim") "$base_url/scim/v2/ServiceProviderConfig")"
expect "SCIM discovery: ResourceTypes" 200 "$(status_of -H @<(echo "$auth_scim") "$base_url/scim/v2/ResourceTypes")"
expect "SCIM: create a user" 201 "$(status_of -X POST -H @<(echo "$auth_scim") -H 'Content-Type: application/scim+json' \
  -d '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"smoke@example.com"}' \
  "$base_url/scim/v2/Users")"
found=$(curl -s -G -H @<(echo "$auth_scim") --data-urlencode 'filter=userName eq "SMOKE@example.com"' \
  "$base_url/scim/v2/Users" | sed -n 's/.*"totalResults":\([0-9]*\).*/\1/p')
expect "SCIM: the user is found by filter" 1 "$found"
curl -sf -o "$scratch/metrics.txt" "$base_url/q/metrics" \
  && grep -q '^rollcall_requests_seconds_count{.*route="/scim/v2/Users"' "$scratch/metrics.txt" \
  || fail "/q/metrics lacks the SCIM request metrics"
log "ok: /q/metrics serves request metrics"
# Rollcall's own meters and the request id, in the image as in the tests.
curl -s -D "$scratch/headers" -o /dev/null -H @<(echo "$auth_scim") -H 'X-Request-Id: smoke-42' \
  "$base_url/scim/v2/ResourceTypes"
grep -qi '^x-request-id: smoke-42' "$scratch/headers" || fail "the response does not carry the request id"
curl -sf -o "$scratch/metrics.txt" "$base_url/q/metrics" \
  && grep -q '^rollcall_requests_seconds_count{api="scim",operation="create",resource_type="User"' "$scratch/metrics.txt" \
  && grep -q '^rollcall_key_requests_seconds_count{api="scim",key="smoke-idp"' "$scratch/metrics.txt" \
  || fail "/q/metrics lacks Rollcall's request meters"
log "ok: X-Request-Id answered; rollcall_requests_seconds per operation and per key name"

# The platform operator's token, also written at first start into the data volume (mode 600), creates an
# organization; the embedded PostgreSQL's password file is owner-only too.
expect "operator token file mode and owner" "600 185" "$(podman exec "$container" stat -c '%a %u' /data/operator.token)"
expect "embedded PostgreSQL password file mode" 600 "$(podman exec "$container" stat -c '%a' /data/postgres.password)"
podman exec "$container" cat /data/operator.token | tr -d '\n' >"$scratch/operator.token"
auth_operator="Authorization: Bearer $(cat "$scratch/operator.token")"
expect "operator: create an organization" 201 "$(status_of -X POST -H @<(echo "$auth_operator") \
  -H 'Content-Type: application/json' -d '{"name": "smoke-org"}' "$base_url/admin/v1/organizations")"

# Non-root: the container's user, and every process in it as the host sees it.
expect "container user" 185 "$(podman exec "$container" id -u)"
host_users=$(podman top "$container" huser | tail -n +2 | sort | uniq -c | awk '{print $2 "x" $1}' | tr '\n' ' ')
[[ "$host_users" =~ ^185x[0-9]+\ $ ]] || fail "every process should run as uid 185 on the host, found: $host_users"
log "ok: every process in the container runs as uid 185 on the host ($host_users)"
expect "/data is not writable by others" 770 "$(podman exec "$container" stat -c '%a' /data)"

# Memory: the container's cgroup use, and the JVM's resident set.
mem_usage=$(podman stats --no-stream --format '{{.MemUsage}}' "$container")
java_rss_kib=$(podman top "$container" pid rss | awk '$1 == 1 {print $2}')
max_heap=$(podman exec "$container" sh -c 'exec java $JAVA_OPTS -XX:+PrintFlagsFinal -version 2>/dev/null' \
  | awk '$2 == "MaxHeapSize" {print $4}')
log "memory: container ${mem_usage}; java RSS $((java_rss_kib / 1024)) MiB; max heap $((max_heap / 1048576)) MiB"

# SIGTERM: the server stops within the grace period and takes its embedded PostgreSQL with it.
t0=$(now)
podman stop -t 30 "$container" >/dev/null
t_stop=$(elapsed "$t0" "$(now)")
exit_code=$(podman inspect --format '{{.State.ExitCode}}' "$container")
podman logs "$container" >"$scratch/container.log" 2>&1
grep -q 'rollcall stopped in' "$scratch/container.log" || fail "no clean stop in the log (exit code $exit_code)"
awk -v t="$t_stop" 'BEGIN { exit !(t < 25) }' || fail "stop took ${t_stop} s: SIGTERM was not honoured"
grep -qF "$(cat "$scratch/owner.token")" "$scratch/container.log" && fail "the log contains the owner token"
grep -qF "$(cat "$scratch/operator.token")" "$scratch/container.log" && fail "the log contains the operator token"
log "ok: stopped on SIGTERM in ${t_stop} s (exit code $exit_code), log free of the tokens"

# Restart on the same volume the way the README's first try runs it (`docker run -p 8080:8080 -v rollcall:/data
# IMAGE`: the image's defaults, a published port; here on loopback only): ready again, nothing bootstrapped twice,
# the key made before still works.
podman rm "$container" >/dev/null
t0=$(now)
podman run -d --name "$container" --memory="$memory" -p "127.0.0.1:$port:8080" -v "$volume:/data" "$image" >/dev/null
restart_ready=$(wait_ready "$t0")
log "restart on the same volume (published port, image defaults) ready after ${restart_ready} s"
expect "SCIM key from before the restart" 200 "$(status_of -H @<(echo "$auth_scim") "$base_url/scim/v2/ResourceTypes")"
created=$(podman logs "$container" 2>&1 | grep -c 'Created organization' || true)
expect "organizations created on restart" 0 "$created"
expect "operator token after the restart" 200 \
  "$(status_of -H @<(echo "$auth_operator") "$base_url/admin/v1/organizations")"

# --- 5. Figures -------------------------------------------------------------------------------------------------------
mkdir -p target
{
  echo "image: $image $((image_bytes / 1000000)) MB (base $base_image $((base_bytes / 1000000)) MB)"
  echo "start to ready: first start ${first_ready} s, restart ${restart_ready} s (--memory=$memory, $(nproc) cores)"
  echo "memory after first start and a few requests: container ${mem_usage}; java RSS $((java_rss_kib / 1024)) MiB; max heap $((max_heap / 1048576)) MiB"
  echo "stop on SIGTERM: ${t_stop} s"
  echo "steps: tools ${t_install} s, base image ${t_base} s, app image ${t_build} s"
} | tee "$report"
log "all checks passed"
