#!/usr/bin/env bash
# Validates deploy/kubernetes offline against the Kubernetes API schemas with the npm package kubernetes-models
# (types, required fields). Unknown fields, the CloudNativePG and ServiceMonitor CRD schemas and the cross-references
# between the manifests are checked by KubernetesManifestsTest in `./mvnw verify`.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "Installing nodejs and npm from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
(cd deploy/ci/kubernetes-validate && npm install --no-audit --no-fund --no-package-lock --silent)
node deploy/ci/kubernetes-validate/validate.mjs deploy/kubernetes
