#!/usr/bin/env bash
# Validates docker-compose.yml with Compose itself, without a Docker engine: `config -q` parses the
# file, interpolates it, and checks it against the Compose schema (depends_on conditions, healthchecks,
# volumes...). Uses `docker compose` (v2 plugin) when present, else `docker-compose`, installing
# Debian's docker-compose (1.29) with apt-get when neither exists. Fails on any output too (e.g. "The
# X variable is not set" for a variable used without a default).
# Usage: bash scripts/compose-check/validate.sh [compose file]
set -euo pipefail
cd "$(dirname "$0")/../.."
file=${1:-docker-compose.yml}

log() { printf '[compose-check] %s\n' "$*" >&2; }

as_root() {
  if [[ $(id -u) -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    log "need root (or sudo) to run: $*"
    exit 1
  fi
}

compose=()
if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
elif command -v docker-compose >/dev/null; then
  compose=(docker-compose)
else
  log "installing Debian's docker-compose"
  export DEBIAN_FRONTEND=noninteractive
  if ! as_root apt-get install -y -qq docker-compose >/dev/null 2>&1; then
    as_root apt-get update -qq >/dev/null
    as_root apt-get install -y -qq docker-compose >/dev/null
  fi
  compose=(docker-compose)
fi
log "using $("${compose[@]}" version 2>/dev/null | head -n 1)"

# Only the defaults written in the file: no .env, no variables from the caller's shell.
unset POSTGRES_PASSWORD ADMIN_EMAIL ADMIN_PASSWORD GRAPHQL_INTROSPECTION METRICS_TOKEN GRAFANA_ADMIN_PASSWORD
warnings=$(mktemp)
empty_env=$(mktemp)
trap 'rm -f "$warnings" "$empty_env"' EXIT
"${compose[@]}" -f "$file" --env-file "$empty_env" config -q 2>"$warnings" || {
  cat "$warnings" >&2
  log "FAILED: $file is not a valid compose file"
  exit 1
}
if [[ -s $warnings ]]; then # a valid file gives no output at all
  cat "$warnings" >&2
  log "FAILED: $file produced warnings"
  exit 1
fi
log "services: $("${compose[@]}" -f "$file" --env-file "$empty_env" config --services | tr '\n' ' ')"
log "volumes: $("${compose[@]}" -f "$file" --env-file "$empty_env" config --volumes | tr '\n' ' ')"
log "OK: $file is valid"
