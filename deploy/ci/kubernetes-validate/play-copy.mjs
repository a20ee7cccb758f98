// Writes a copy of deploy/kubernetes/deployment.yaml that `podman kube play` can run on one machine: one replica, the
// host's network (a PostgreSQL on loopback; podman ignores Services), the locally built image, and the HTTP server on
// the given loopback port. Everything else (security context, read-only root, volumes, env from Secrets, probes) is
// kept as it is in the manifest, but for Secret volumes: podman 4.3 (Debian 12) crashes on them, so each is mounted
// from a host directory holding the same files (SECRETS_DIR/<secret name>, owned by uid 185 with the Secret volume's
// mode) instead.
// Environment variables from Secrets (secretKeyRef) stay: podman reads them from podman secrets. podman does not expand
// Kubernetes' dependent variables ($(NAME) in a value, which the kubelet replaces with an earlier variable's value),
// so this copy does it as the kubelet would, reading Secret values from SECRETS_JSON
// ({"secret-name": {"key": "base64 value"}}).
//
//   node play-copy.mjs IMAGE PORT SECRETS_DIR SECRETS_JSON > deployment.play.yaml
import { existsSync, readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";

const [image, port, secretsDir, secretsJson] = process.argv.slice(2);
if (!image || !port || !secretsDir || !secretsJson) {
  console.error("usage: node play-copy.mjs IMAGE PORT SECRETS_DIR SECRETS_JSON");
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const deployment = parse(readFileSync(join(here, "../../kubernetes/deployment.yaml"), "utf8"));
deployment.spec.replicas = 1;
const pod = deployment.spec.template.spec;
pod.hostNetwork = true;
const container = pod.containers[0];
container.image = image;
container.imagePullPolicy = "Never";
// podman refuses port mappings on the host's network: the probes get the port number instead of its name.
const portNames = Object.fromEntries(container.ports.map((p) => [p.name, p.containerPort]));
delete container.ports;
for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
  const get = container[probe]?.httpGet;
  if (get && portNames[get.port] !== undefined) get.port = Number(port);
}
const secrets = JSON.parse(readFileSync(secretsJson, "utf8"));
const resolved = {};
for (const variable of container.env) {
  const ref = variable.valueFrom?.secretKeyRef;
  if (ref) {
    const value = secrets[ref.name]?.[ref.key];
    if (value !== undefined) resolved[variable.name] = Buffer.from(value, "base64").toString("utf8");
  } else if (typeof variable.value === "string") {
    variable.value = variable.value.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name) => {
      if (!(name in resolved)) throw new Error(`${variable.name} refers to $(${name}), which is not defined before it`);
      return resolved[name];
    });
    resolved[variable.name] = variable.value;
  }
}
container.env.push({ name: "QUARKUS_HTTP_HOST", value: "127.0.0.1" }, { name: "QUARKUS_HTTP_PORT", value: String(port) });
for (const volume of pod.volumes.filter((v) => v.secret)) {
  const path = join(secretsDir, volume.secret.secretName);
  if (!existsSync(path)) {
    console.error(`no files for Secret ${volume.secret.secretName} in ${path}`);
    process.exit(1);
  }
  delete volume.secret;
  volume.hostPath = { path, type: "Directory" };
}
process.stdout.write(stringify(deployment));
