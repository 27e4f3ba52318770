#!/usr/bin/env bash
# The whole test suite: installs what it needs, then runs the gates and `bun test`.
# Ends with one line "N passed, N failed" that counts every test and every gate.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/tools/env.sh
bash scripts/tools/ensure.sh all || { echo "tool installation failed"; echo "0 passed, 1 failed"; exit 1; }
bun install --frozen-lockfile >/dev/null || { echo "bun install failed"; echo "0 passed, 1 failed"; exit 1; }

passed=0; failed=0; failures=()
gate() { # gate <name> <command...>: a check that counts as one test
  local name="$1"; shift
  echo "── gate: $name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$name"); fi
}
gate typecheck bun run typecheck
gate lint bun run lint
if [ -f scripts/gen-chart.ts ]; then gate "chart up to date" bun run gen-chart --check; fi

log="$(mktemp)"
# Test files run one after another in one process per file group; see README "Tests".
bun test "$@" 2>&1 | tee "$log"
p=$(grep -Eo '^ *[0-9]+ pass$' "$log" | tail -1 | grep -Eo '[0-9]+' || echo 0)
f=$(grep -Eo '^ *[0-9]+ fail$' "$log" | tail -1 | grep -Eo '[0-9]+' || echo 0)
if ! grep -Eq '^ *[0-9]+ pass$' "$log"; then f=$((f + 1)); failures+=("bun test produced no summary"); fi
rm -f "$log"
passed=$((passed + p)); failed=$((failed + f))
if [ ${#failures[@]} -gt 0 ]; then printf 'failed gates: %s\n' "${failures[*]}"; fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
