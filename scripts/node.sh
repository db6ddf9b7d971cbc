#!/usr/bin/env bash
# Runs a command with a Node >= 22 first on PATH (see ensure-node.sh): every npm script goes
# through here, so `npm ci && npm start` and `npm test` work on a machine whose Node is older.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/ensure-node.sh"
exec "$@"
