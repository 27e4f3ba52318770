#!/usr/bin/env bash
# wrk, the benchmark's one load generator, from Debian's packages (C, multi-threaded, little CPU per
# request: on a 2-core machine a heavier generator would cap the floor and flatter every gateway).
# Linked into .tools/bin so the harness finds it the same way as every other project tool.
set -euo pipefail
source "$(dirname "$0")/../../scripts/tools/env.sh"
mkdir -p "$SPLIT_BRAIN_TOOLS/bin"
if [ -x "$SPLIT_BRAIN_TOOLS/bin/wrk" ]; then exit 0; fi
if ! command -v wrk >/dev/null; then
  echo "tools: installing wrk from Debian's packages" >&2
  if [ "$(id -u)" -ne 0 ]; then echo "install-wrk: needs root for apt-get (or install wrk yourself)" >&2; exit 1; fi
  apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq wrk >/dev/null; }
fi
ln -sf "$(command -v wrk)" "$SPLIT_BRAIN_TOOLS/bin/wrk"
