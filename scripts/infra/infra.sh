#!/usr/bin/env bash
# Local infrastructure without Docker: Kafka (KRaft), PostgreSQL 15 and FerretDB on 127.0.0.1.
#
#   scripts/infra/infra.sh up       start what is not running, print the env lines on stdout
#   scripts/infra/infra.sh down     stop the servers this script started
#   scripts/infra/infra.sh status   print each server up/down (exit 3 if any is down)
#   (each takes optional service names: kafka postgres ferretdb; default all three)
#
# State (pids, data, logs, env) lives in $INFRA_DIR (default: <repo>/.infra); downloaded jars and
# built binaries in ${XDG_CACHE_HOME:-~/.cache}/commerce-supergraph. Overrides: KAFKA_VERSION,
# KAFKA_PORT, KAFKA_CONTROLLER_PORT, PG_PORT, MONGO_PORT.
set -euo pipefail

INFRA_SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$INFRA_SCRIPTS/../.." && pwd)
INFRA_DIR=${INFRA_DIR:-$REPO_ROOT/.infra}

source "$INFRA_SCRIPTS/lib.sh"
source "$INFRA_SCRIPTS/kafka.sh"
source "$INFRA_SCRIPTS/postgres.sh"
source "$INFRA_SCRIPTS/ferretdb.sh"

# Serialises concurrent up/down calls (e.g. two test runs starting at once).
# Servers are started with fd 9 closed (9>&-) so they do not inherit and hold this lock.
lock() {
  mkdir -p "$INFRA_DIR/logs"
  exec 9>"$INFRA_DIR/.lock"
  flock -w 600 9 || die "timed out waiting for another infra.sh holding $INFRA_DIR/.lock"
}

# Service names map to function prefixes in kafka.sh, postgres.sh and ferretdb.sh.
declare -A PREFIX=([kafka]=kafka [postgres]=pg [ferretdb]=ferret)

# select_services [NAME...]: fills SELECTED with function prefixes (default: all three).
select_services() {
  local name
  (($# > 0)) || set -- kafka postgres ferretdb
  SELECTED=()
  for name; do
    [[ -n ${PREFIX[$name]:-} ]] || die "unknown service '$name' (expected kafka, postgres, ferretdb)"
    SELECTED+=("${PREFIX[$name]}")
  done
}

cmd_up() {
  local started=$SECONDS p
  select_services "$@"
  lock
  # Start everything first, then wait: the startups overlap.
  for p in "${SELECTED[@]}"; do "${p}_start"; done
  for p in "${SELECTED[@]}"; do "${p}_wait"; done
  write_env
  log "up in $((SECONDS - started))s; env written to $INFRA_DIR/env"
  cat "$INFRA_DIR/env"
}

# write_env: .infra/env gets the lines of every server that is running now, whichever were named,
# so that starting or stopping some servers keeps the others' lines.
write_env() {
  local p
  for p in kafka pg ferret; do
    if "${p}_status" >/dev/null 2>&1; then "${p}_env"; fi
  done >"$INFRA_DIR/env.tmp"
  mv "$INFRA_DIR/env.tmp" "$INFRA_DIR/env"
}

cmd_down() {
  local p
  select_services "$@"
  lock
  for p in "${SELECTED[@]}"; do "${p}_stop"; done
  write_env
  [[ -s $INFRA_DIR/env ]] || rm -f "$INFRA_DIR/env"
  log "stopped"
}

cmd_status() {
  local rc=0 p
  select_services "$@"
  for p in "${SELECTED[@]}"; do "${p}_status" || rc=3; done
  return "$rc"
}

command=${1:-}
shift || true
case $command in
  up) cmd_up "$@" ;;
  down) cmd_down "$@" ;;
  status) cmd_status "$@" ;;
  *)
    echo "usage: $0 up|down|status [kafka] [postgres] [ferretdb]" >&2
    exit 2
    ;;
esac
