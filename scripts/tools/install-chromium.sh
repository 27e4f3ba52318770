#!/usr/bin/env bash
# Debian's Chromium for the UI's browser tests (driven by playwright-core, which downloads no browser here).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
echo "tools: installing chromium from Debian" >&2
sudo_cmd=""
if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo_cmd apt-get update -qq
$sudo_cmd apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
/usr/bin/chromium --version >/dev/null
