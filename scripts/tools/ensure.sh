#!/usr/bin/env bash
# Installs the named tools (or all of them) into .tools/, idempotently.
# Each tool has its own installer, scripts/tools/install-<name>.sh, that exits early when the tool is present.
# Usage: scripts/tools/ensure.sh [all | bun helm kubeconform ...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/env.sh"
mkdir -p "$SPLIT_BRAIN_TOOLS/bin"

tools=("$@")
if [ ${#tools[@]} -eq 0 ] || [ "${tools[0]}" = all ]; then
  tools=()
  # The order matters: bun first, everything after may use it.
  for f in "$here"/install-*.sh; do
    name="$(basename "$f" .sh)"; name="${name#install-}"
    [ "$name" = bun ] && continue
    tools+=("$name")
  done
  tools=(bun "${tools[@]}")
fi
for t in "${tools[@]}"; do
  installer="$here/install-$t.sh"
  [ -f "$installer" ] || { echo "ensure: no installer for '$t' ($installer)" >&2; exit 2; }
  bash "$installer"
done
