#!/usr/bin/env bash
# LiteLLM's proxy, a peer in the benchmark, from PyPI into a project-local venv under .tools/.
# Pinned; the [proxy] extra brings the server (uvicorn, fastapi) its docs run in production.
set -euo pipefail
source "$(dirname "$0")/../../scripts/tools/env.sh"
version=1.80.0
venv="$SPLIT_BRAIN_TOOLS/litellm-venv"
if [ -f "$venv/.installed-$version" ]; then exit 0; fi
echo "tools: installing litellm[proxy]==$version from PyPI" >&2
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check "litellm[proxy]==$version" >/dev/null
touch "$venv/.installed-$version"
