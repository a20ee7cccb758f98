#!/usr/bin/env bash
# Runs the pod spec of deploy/kubernetes/deployment.yaml with podman's Kubernetes support (`podman kube play`) on this
# machine, against a PostgreSQL server on loopback that stands in for the CloudNativePG cluster:
#   - a fresh PostgreSQL (Debian's packages) on a free loopback port, with a role and database "rollcall";
#   - the Secrets the Deployment reads: rollcall-db-app as a podman secret (the keys CloudNativePG generates: host,
#     port, dbname, username, password), rollcall-signing-key (a new RSA pair) and rollcall-operator-token (a new
#     rco_ token), these two mounted from host directories, as podman 4.3 cannot mount Secret volumes;
#   - a copy of the Deployment with one replica, the host's network, the image built by container-smoke.sh and the
#     HTTP port moved to a free loopback port (deploy/ci/kubernetes-validate/play-copy.mjs); everything else as is:
#     uid 185, read-only root filesystem, /tmp and /data emptyDirs, env from the Secrets, the key files mounted.
# Then it checks readiness, that the server uses the external database (not an embedded one) with the mounted key
# (the JWKS key is the one generated here), a SCIM round trip with the owner token from the pod's /data, and that the
# operator token from its Secret creates an organization.
#
#   deploy/ci/kube-play-smoke.sh      (as root, after deploy/ci/container-smoke.sh built localhost/rollcall:ci)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
image=localhost/rollcall:ci
export CONTAINERS_CONF=$root/deploy/ci/containers.conf

log() { printf '[kube-play] %s\n' "$*"; }
fail() { printf '[kube-play] FAILED: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "run as root"
podman image exists "$image" || fail "no image $image: run deploy/ci/container-smoke.sh first"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/postgres" ]; then
  log "installing PostgreSQL from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
fi
command -v catatonit >/dev/null 2>&1 || {
  # podman builds its pod "pause" image around catatonit
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends catatonit >/dev/null
}
for tool in openssl curl psql node; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is missing"
done
[ -d deploy/ci/kubernetes-validate/node_modules ] \
  || (cd deploy/ci/kubernetes-validate && npm install --no-audit --no-fund --no-package-lock --silent)

free_port() {
  local candidate
  for _ in $(seq 1 50); do
    candidate=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  fail "no free port"
}

work=$(mktemp -d /tmp/rollcall-kube-play-XXXXXX)
chmod 711 "$work"
cleanup() {
  status=$?
  if [ "$status" != 0 ] && [ -f "$work/deployment.play.yaml" ]; then
    podman ps -a --format '{{.Names}} {{.Status}}' >&2 || true
    for name in $(podman ps -a --filter label=io.kubernetes.pod.name --format '{{.Names}}' 2>/dev/null); do
      echo "--- $name log (last 60 lines) ---" >&2
      podman logs --tail 60 "$name" >&2 2>&1 || true
    done
  fi
  [ -f "$work/deployment.play.yaml" ] && podman kube down "$work/deployment.play.yaml" >/dev/null 2>&1 || true
  podman secret rm rollcall-db-app >/dev/null 2>&1 || true
  [ -f "$work/pg/postmaster.pid" ] && runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

# --- A PostgreSQL on loopback, as the CloudNativePG cluster's primary would be --------------------------------------
pg_port=$(free_port)
install -d -o postgres -m 700 "$work/pg" "$work/pg-run"
openssl rand -hex 16 >"$work/pg-run/superuser"
chown postgres "$work/pg-run/superuser"
runuser -u postgres -- "$pg_bin/initdb" -D "$work/pg" -U postgres --auth=scram-sha-256 \
  --pwfile="$work/pg-run/superuser" >/dev/null
runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg-run/postgres.log" -w \
  -o "-p $pg_port -k $work/pg-run -c listen_addresses=127.0.0.1" start >/dev/null
db_password=$(openssl rand -hex 16)
PGPASSWORD=$(cat "$work/pg-run/superuser") psql -h 127.0.0.1 -p "$pg_port" -U postgres -v ON_ERROR_STOP=1 -q \
  -c "CREATE ROLE rollcall LOGIN PASSWORD '$db_password'" -c "CREATE DATABASE rollcall OWNER rollcall"
log "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port, database rollcall"

# --- The Secrets the Deployment reads --------------------------------------------------------------------------------
# podman 4.3 reads a secretKeyRef from a podman secret holding a JSON object of base64 values; the Secret volumes of
# the manifest (the signing key pair, the operator token) are mounted from directories with the files as a Secret
# volume shows them (uid 185, mode 0440; see play-copy.mjs).
b64() { printf %s "$1" | base64 -w0; }
umask 077
printf '{"host":"%s","port":"%s","dbname":"%s","username":"%s","password":"%s"}' "$(b64 127.0.0.1)" \
  "$(b64 "$pg_port")" "$(b64 rollcall)" "$(b64 rollcall)" "$(b64 "$db_password")" >"$work/db-secret.json"
printf '{"rollcall-db-app":%s}' "$(cat "$work/db-secret.json")" >"$work/secrets.json"
umask 022
keys=$work/secrets/rollcall-signing-key
operator=$work/secrets/rollcall-operator-token
install -d -m 755 "$work/secrets"
install -d -o 185 -g 185 -m 750 "$keys" "$operator"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$keys/private.pem" 2>/dev/null
openssl pkey -in "$keys/private.pem" -pubout -out "$keys/public.pem"
echo "rco_$(openssl rand -hex 32)" >"$operator/token"
chown 185:185 "$keys/private.pem" "$keys/public.pem" "$operator/token"
chmod 440 "$keys/private.pem" "$keys/public.pem" "$operator/token"
podman secret rm rollcall-db-app >/dev/null 2>&1 || true
podman secret create rollcall-db-app "$work/db-secret.json" >/dev/null

# --- The Deployment's pod -------------------------------------------------------------------------------------------
http_port=$(free_port)
node deploy/ci/kubernetes-validate/play-copy.mjs "$image" "$http_port" "$work/secrets" "$work/secrets.json" \
  >"$work/deployment.play.yaml"
started=$(date +%s.%N)
podman kube play --quiet "$work/deployment.play.yaml" >/dev/null
base_url="http://127.0.0.1:$http_port"
deadline=$((SECONDS + 180))
until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$base_url/q/health/ready" || true)" = 200 ]; do
  [ "$SECONDS" -lt "$deadline" ] || fail "the pod was not ready within 180 s"
  sleep 0.2
done
ready=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
log "pod ready after ${ready} s"

container=$(podman ps --filter "label=io.kubernetes.pod.name" --format '{{.Names}}' | grep -- '-rollcall$' | head -n1 || true)
[ -n "$container" ] || container=$(podman ps --format '{{.Names}}' | grep -- 'rollcall' | grep -v infra | head -n1)
logs=$(podman logs "$container" 2>&1)
grep -q "Using the PostgreSQL database at postgresql://127.0.0.1:$pg_port/rollcall" <<<"$logs" \
  || fail "the server does not say it uses the external database"
grep -q "embedded PostgreSQL" <<<"$logs" && fail "the server started an embedded PostgreSQL"
grep -qF "$db_password" <<<"$logs" && fail "the log contains the database password"
log "ok: the server uses the database from Secret rollcall-db-app"

[ "$(podman exec "$container" id -u)" = 185 ] || fail "the container does not run as uid 185"
podman exec "$container" sh -c 'touch /probe' 2>/dev/null && fail "the root filesystem is writable"
log "ok: uid 185, read-only root filesystem"

# The JWKS key is the one generated above: the mounted Secret signs the tokens, not a key made in the pod.
curl -s "$base_url/.well-known/jwks.json" >"$work/jwks.json"
node -e '
  const { createPublicKey } = require("node:crypto");
  const fs = require("node:fs");
  const [jwks, pem] = process.argv.slice(1);
  const published = JSON.parse(fs.readFileSync(jwks, "utf8")).keys.map((k) =>
    createPublicKey({ key: k, format: "jwk" }).export({ type: "spki", format: "pem" }));
  const expected = createPublicKey(fs.readFileSync(pem, "utf8")).export({ type: "spki", format: "pem" });
  process.exit(published.includes(expected) ? 0 : 1);
' "$work/jwks.json" "$keys/public.pem" || fail "the JWKS does not publish the key from Secret rollcall-signing-key"
log "ok: tokens are signed with the key from Secret rollcall-signing-key"

owner=$(podman exec "$container" cat /data/owner.token | tr -d '\n')
code=$(curl -s -o "$work/key.json" -w '%{http_code}' -X POST "$base_url/admin/v1/access-keys" \
  -H @<(echo "Authorization: Bearer $owner") -H 'Content-Type: application/json' \
  -d '{"name": "kube-play", "roles": ["SCIM Client"]}')
[ "$code" = 201 ] || fail "creating an access key answered $code"
scim=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' "$work/key.json")
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$base_url/scim/v2/Users" -H @<(echo "Authorization: Bearer $scim") \
  -H 'Content-Type: application/scim+json' -d '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"kube@example.com"}')
[ "$code" = 201 ] || fail "creating a SCIM user answered $code"

# The platform operator's token is the one from Secret rollcall-operator-token: it creates an organization (whose owner
# key then works), and the pod generated none of its own.
podman exec "$container" test -e /data/operator.token && fail "the pod generated an operator token of its own"
code=$(curl -s -o "$work/org.json" -w '%{http_code}' -X POST "$base_url/admin/v1/organizations" \
  -H @<(echo "Authorization: Bearer $(cat "$operator/token")") -H 'Content-Type: application/json' \
  -d '{"name": "kube-play"}')
[ "$code" = 201 ] || fail "creating an organization with the operator token from the Secret answered $code"
org_owner=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' "$work/org.json")
code=$(curl -s -o /dev/null -w '%{http_code}' "$base_url/admin/v1/access-keys" -H @<(echo "Authorization: Bearer $org_owner"))
[ "$code" = 200 ] || fail "the new organization's owner key answered $code"
log "ok: the operator token from Secret rollcall-operator-token creates organizations"
count=$(PGPASSWORD=$db_password psql -h 127.0.0.1 -p "$pg_port" -U rollcall -d rollcall -Atq \
  -c "SELECT count(*) FROM flyway_schema_history WHERE success")
log "ok: SCIM user created through the pod; $count migrations applied to the external database"
log "all checks passed (pod ready after ${ready} s)"
