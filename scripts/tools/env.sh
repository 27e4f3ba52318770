# Sourced by the project's scripts: puts the project-local tool folder first on PATH.
# Every tool the project needs is installed under .tools/ by scripts/tools/ensure.sh.
SPLIT_BRAIN_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export SPLIT_BRAIN_ROOT
export SPLIT_BRAIN_TOOLS="$SPLIT_BRAIN_ROOT/.tools"
export PATH="$SPLIT_BRAIN_TOOLS/bin:$PATH"
