#!/usr/bin/env bash
# Starts the whole stack locally (classifier, router, UI, and the simulator for any backend not configured).
# Installs Bun and the project's dependencies first, so it works on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/tools/env.sh
bash scripts/tools/ensure.sh bun
bun install --frozen-lockfile >/dev/null
exec bun run dev "$@"
