#!/usr/bin/env bash
# Local infrastructure without Docker: Kafka (KRaft), PostgreSQL 15 and FerretDB on 127.0.0.1.
#
#   scripts/infra/infra.sh up       start what is not running, print the env lines on stdout
#   scripts/infra/infra.sh down     stop the servers this script started
#   scripts/infra/infra.sh status   print each server up/down (exit 3 if any is down)
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
lock() {
  mkdir -p "$INFRA_DIR/logs"
  exec 9>"$INFRA_DIR/.lock"
  flock -w 600 9 || die "timed out waiting for another infra.sh holding $INFRA_DIR/.lock"
}

env_lines() {
  kafka_env
  pg_env
  ferret_env
}

cmd_up() {
  local started=$SECONDS
  lock
  # Start all three, then wait: their startups overlap.
  kafka_start
  pg_start
  ferret_start
  kafka_wait
  pg_wait
  ferret_wait
  env_lines >"$INFRA_DIR/env"
  log "all up in $((SECONDS - started))s; env written to $INFRA_DIR/env"
  env_lines
}

cmd_down() {
  lock
  ferret_stop
  pg_stop
  kafka_stop
  rm -f "$INFRA_DIR/env"
  log "all stopped"
}

cmd_status() {
  local rc=0
  kafka_status || rc=3
  pg_status || rc=3
  ferret_status || rc=3
  return "$rc"
}

case ${1:-} in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  *)
    echo "usage: $0 up|down|status" >&2
    exit 2
    ;;
esac
