#!/usr/bin/env bash
# Helm 3 built from the Go module proxy into .tools/bin/helm, pinned below.
# `go install` skips Helm's Makefile, whose ldflags tell Helm which Kubernetes version it was built against;
# without them Helm assumes v1.20 (see docs/chart.md). We pass the same ldflags, derived from the
# client-go version Helm's go.mod pins, so `helm template` without --kube-version behaves like a release build.
set -euo pipefail
source "$(dirname "$0")/env.sh"
source "$(dirname "$0")/go-install.sh"
version="${HELM_VERSION:-v3.22.0}"
bin="$SPLIT_BRAIN_TOOLS/bin/helm"
if [ -x "$bin" ] && [ "$("$bin" version --template '{{.Version}}' 2>/dev/null)" = "$version" ]; then exit 0; fi
dir="$(go_module_dir "helm.sh/helm/v3@$version")"
client_go="$(sed -n 's/^[[:space:]]*k8s.io\/client-go v0\.\([0-9]*\)\..*/\1/p' "$dir/go.mod")"
[ -n "$client_go" ] || { echo "tools: cannot find the client-go version in Helm's go.mod" >&2; exit 1; }
pkg=helm.sh/helm/v3
ldflags="-X $pkg/internal/version.version=$version -X $pkg/internal/version.metadata="
for p in pkg/chartutil pkg/lint/rules; do ldflags+=" -X $pkg/$p.k8sVersionMajor=1 -X $pkg/$p.k8sVersionMinor=$client_go"; done
go_install "$pkg/cmd/helm@$version" -ldflags "$ldflags"
"$bin" version --template '{{.Version}}' >/dev/null
