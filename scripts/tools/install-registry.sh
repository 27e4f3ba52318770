#!/usr/bin/env bash
# An OCI registry (CNCF distribution) built from the Go module proxy into .tools/bin/registry, pinned below.
# Only the tests use it: `sb release` pushes the packaged chart to one started on loopback.
set -euo pipefail
source "$(dirname "$0")/env.sh"
source "$(dirname "$0")/go-install.sh"
version="${REGISTRY_VERSION:-v3.1.2}"
bin="$SPLIT_BRAIN_TOOLS/bin/registry"
stamp="$SPLIT_BRAIN_TOOLS/bin/.registry-version"
if [ -x "$bin" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$version" ]; then exit 0; fi
go_install "github.com/distribution/distribution/v3/cmd/registry@$version"
echo "$version" >"$stamp"
