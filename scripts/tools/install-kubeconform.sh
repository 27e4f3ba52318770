#!/usr/bin/env bash
# kubeconform built from the Go module proxy into .tools/bin/kubeconform, pinned below.
set -euo pipefail
source "$(dirname "$0")/env.sh"
source "$(dirname "$0")/go-install.sh"
version="${KUBECONFORM_VERSION:-v0.8.0}"
bin="$SPLIT_BRAIN_TOOLS/bin/kubeconform"
stamp="$SPLIT_BRAIN_TOOLS/bin/.kubeconform-version"
if [ -x "$bin" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$version" ]; then exit 0; fi
go_install "github.com/yannh/kubeconform/cmd/kubeconform@$version"
"$bin" -v >/dev/null
echo "$version" >"$stamp"
