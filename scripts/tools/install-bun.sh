#!/usr/bin/env bash
# Bun from the npm registry (the bun package ships the native binary), pinned to package.json's packageManager.
set -euo pipefail
source "$(dirname "$0")/env.sh"
want="$(sed -n 's/.*"packageManager": *"bun@\([^"]*\)".*/\1/p' "$SPLIT_BRAIN_ROOT/package.json")"
if [ -x "$SPLIT_BRAIN_TOOLS/bin/bun" ] && [ "$("$SPLIT_BRAIN_TOOLS/bin/bun" --version)" = "$want" ]; then exit 0; fi
echo "tools: installing bun@$want from npm" >&2
prefix="$SPLIT_BRAIN_TOOLS/npm-bun"
rm -rf "$prefix"; mkdir -p "$prefix"
npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "bun@$want" >/dev/null
ln -sf "$prefix/node_modules/bun/bin/bun.exe" "$SPLIT_BRAIN_TOOLS/bin/bun"
ln -sf "$prefix/node_modules/bun/bin/bun.exe" "$SPLIT_BRAIN_TOOLS/bin/bunx"
"$SPLIT_BRAIN_TOOLS/bin/bun" --version >/dev/null
