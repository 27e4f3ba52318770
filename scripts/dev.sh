#!/usr/bin/env bash
# Starts the whole stack locally (classifier, router, UI, and the simulator for any backend not configured).
# Installs Bun and the project's dependencies first, so it works on a fresh machine.
#   ./scripts/dev.sh                     the stack
#   ./scripts/dev.sh token create ...    the token CLI against the dev stack's data folder (.data)
#   ./scripts/dev.sh pin frequent        the pin CLI, likewise (also: audit verify)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/tools/env.sh
bash scripts/tools/ensure.sh bun
bun install --frozen-lockfile >/dev/null
SPLIT_BRAIN_DEV_SH=1 exec bun scripts/dev.ts "$@"
