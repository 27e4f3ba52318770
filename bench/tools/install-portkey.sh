#!/usr/bin/env bash
# Portkey's open-source gateway, a peer in the benchmark, from npm into .tools/ (not a project dependency:
# only the benchmark runs it). Pinned; run with Node as its README says. @hono/node-server is held at
# 1.14.2: later versions hand it immutable response headers and every stream fails with
# "TypeError: immutable" (Portkey-AI/gateway issue 1389, open upstream).
set -euo pipefail
source "$(dirname "$0")/../../scripts/tools/env.sh"
version=1.15.2
node_server=1.14.2
prefix="$SPLIT_BRAIN_TOOLS/portkey-gateway"
if [ -f "$prefix/.installed-$version-$node_server" ]; then exit 0; fi
echo "tools: installing @portkey-ai/gateway@$version from npm" >&2
rm -rf "$prefix"; mkdir -p "$prefix"
cat >"$prefix/package.json" <<JSON
{ "private": true, "overrides": { "@hono/node-server": "$node_server" } }
JSON
npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "@portkey-ai/gateway@$version" >/dev/null
touch "$prefix/.installed-$version-$node_server"
