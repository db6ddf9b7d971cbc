#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium (the playground's browser test drives it),
# installing it with apt-get the way postgres.sh installs PostgreSQL. Prints nothing on success.
set -euo pipefail
[[ -x /usr/bin/chromium ]] && exit 0
if ((EUID != 0)); then
  echo "Chromium is missing at /usr/bin/chromium: run 'sudo apt-get install -y chromium'" >&2
  exit 1
fi
echo "[infra] installing chromium with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
# A fresh machine's package lists may be empty or old: update them when the install fails.
apt-get install -y -qq --no-install-recommends chromium >&2 ||
  { apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends chromium >&2; }
[[ -x /usr/bin/chromium ]] || { echo "apt-get installed no /usr/bin/chromium" >&2; exit 1; }
