// Validates every Kubernetes object of deploy/kubernetes against the Kubernetes API's OpenAPI schemas, offline, with
// the npm package kubernetes-models: field types, required fields, enums and formats. Custom resources (CloudNativePG,
// Prometheus Operator) and unknown fields are checked by KubernetesManifestsTest (mvn verify).
//
//   node deploy/ci/kubernetes-validate/validate.mjs [DIRECTORY]     (after npm install in this folder)
import { readFileSync, readdirSync } from "node:fs";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const directory = resolve(process.argv[2] ?? join(here, "../../kubernetes"));

const kinds = {
  "v1/Namespace": "kubernetes-models/v1/Namespace",
  "v1/Secret": "kubernetes-models/v1/Secret",
  "v1/Service": "kubernetes-models/v1/Service",
  "v1/ServiceAccount": "kubernetes-models/v1/ServiceAccount",
  "apps/v1/Deployment": "kubernetes-models/apps/v1/Deployment",
  "policy/v1/PodDisruptionBudget": "kubernetes-models/policy/v1/PodDisruptionBudget",
  "autoscaling/v2/HorizontalPodAutoscaler": "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler",
  "networking.k8s.io/v1/NetworkPolicy": "kubernetes-models/networking.k8s.io/v1/NetworkPolicy",
};
const customKinds = new Set(["postgresql.cnpg.io/v1/Cluster", "monitoring.coreos.com/v1/ServiceMonitor"]);

let checked = 0;
const failures = [];
for (const file of readdirSync(directory).filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml").sort()) {
  const documents = parseAllDocuments(readFileSync(join(directory, file), "utf8"));
  for (const [index, document] of documents.entries()) {
    if (document.errors.length > 0) {
      failures.push(`${file}#${index}: YAML: ${document.errors[0].message}`);
      continue;
    }
    const object = document.toJS();
    if (object == null) continue;
    const key = `${object.apiVersion}/${object.kind}`;
    if (customKinds.has(key)) continue;
    const module = kinds[key];
    if (!module) {
      failures.push(`${file}#${index}: no schema known for ${key}`);
      continue;
    }
    const Model = Object.values(await import(module)).find((value) => typeof value === "function");
    try {
      new Model(object).validate();
      checked++;
    } catch (error) {
      failures.push(`${file}#${index} (${object.kind} ${object.metadata?.name}): ${error.message}`);
    }
  }
}
if (failures.length > 0) {
  console.error(`Kubernetes schema validation failed:\n  ${failures.join("\n  ")}`);
  process.exit(1);
}
if (checked === 0) {
  console.error(`no Kubernetes objects found in ${directory}`);
  process.exit(1);
}
console.log(`kubernetes-models: ${checked} objects in ${directory} valid (types, required fields)`);
