#!/usr/bin/env bash
# The Claude Code CLI (npm @anthropic-ai/claude-code), for bench/agent.ts only: it is pointed at the dev
# stack's router through ANTHROPIC_BASE_URL and never reaches Anthropic (the Claude side is the simulator).
# Pinned; installed into .tools/, never a project dependency. Its npm package ships a native binary per
# platform as an optional dependency, so Node's version does not matter.
set -euo pipefail
source "$(dirname "$0")/../../scripts/tools/env.sh"
version=2.1.332
prefix="$SPLIT_BRAIN_TOOLS/claude-code"
if [ -f "$prefix/.installed-$version" ]; then exit 0; fi
echo "tools: installing @anthropic-ai/claude-code@$version from npm" >&2
rm -rf "$prefix"; mkdir -p "$prefix"
echo '{ "private": true }' >"$prefix/package.json"
npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "@anthropic-ai/claude-code@$version" >/dev/null
touch "$prefix/.installed-$version"
