# shellcheck shell=bash
# PostgreSQL 15 from Debian packages, running a cluster of our own inside INFRA_DIR.
# Sourced by infra.sh; expects INFRA_DIR and lib.sh.

PG_PORT=${PG_PORT:-5432}
PG_DB=${PG_DB:-commerce}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

pg_state() { printf '%s/postgres' "$INFRA_DIR"; }
pg_logfile() { printf '%s/logs/postgres.log' "$INFRA_DIR"; }

# Root may not run initdb/postgres: run them as the `postgres` OS user then.
as_pg() {
  if ((EUID == 0)); then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# The data dir must be reachable by the postgres user; a repo under /root is not, so fall
# back to a per-repo folder under /var/tmp (recorded in the state dir).
pg_data() {
  local state
  state=$(pg_state)
  if [[ -f $state/datadir ]]; then
    cat "$state/datadir"
  elif ((EUID != 0)) || runuser -u postgres -- test -x "$state"; then
    echo "$state/data"
  else
    echo "/var/tmp/commerce-supergraph-pg-$(printf '%s' "$state" | sha256sum | cut -c1-12)"
  fi
}

pg_install() {
  [[ -x $PG_BIN/initdb && -x $PG_BIN/pg_ctl ]] && command -v psql >/dev/null && return 0
  ((EUID == 0)) || die "PostgreSQL 15 is missing: run 'sudo apt-get install -y postgresql-15'"
  log "installing postgresql-15 with apt-get"
  # We run our own cluster: a temporary policy-rc.d (Debian's standard switch) keeps the package
  # from starting its 15/main cluster on port 5432 during the install.
  local policy=/usr/sbin/policy-rc.d added=0 rc=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod +x "$policy"
    added=1
  fi
  { DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15; } >&2 || rc=$?
  ((added == 0)) || rm -f "$policy"
  ((rc == 0)) || die "apt-get install postgresql-15 failed (exit $rc)"
}

pg_pid() {
  local data=$1
  if [[ -f $data/postmaster.pid ]]; then head -n1 "$data/postmaster.pid"; fi
}

pg_running() {
  local data
  data=$(pg_data)
  pid_alive "$(pg_pid "$data")" "$data"
}

pg_init() {
  local state data
  state=$(pg_state)
  data=$(pg_data)
  echo "$data" >"$state/datadir"
  [[ -f $data/PG_VERSION ]] && return 0
  log "initdb $data"
  mkdir -p "$data"
  ((EUID == 0)) && chown postgres:postgres "$data"
  chmod 700 "$data"
  as_pg "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --no-locale >>"$(pg_logfile)" 2>&1 ||
    die "initdb failed; see $(pg_logfile)"
}

pg_start() {
  local data
  mkdir -p "$(pg_state)"
  ((EUID == 0)) && chmod 755 "$INFRA_DIR" "$(pg_state)"
  if pg_running; then
    log "PostgreSQL already running (pid $(pg_pid "$(pg_data)"))"
    return 0
  fi
  port_open "$PG_PORT" &&
    die "port $PG_PORT is in use by another PostgreSQL or process; stop it or set PG_PORT (e.g. PG_PORT=5433)"
  pg_install
  pg_init
  data=$(pg_data)
  # The server log must be writable by the postgres user: keep it in the data dir, link it from logs/.
  ln -sf "$data/server.log" "$INFRA_DIR/logs/postgres-server.log"
  log "starting PostgreSQL on 127.0.0.1:$PG_PORT (data: $data)"
  # fsync off: throwaway dev/test data, much faster DDL-heavy tests. No unix socket: TCP only.
  as_pg setsid "$PG_BIN/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -c unix_socket_directories='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    </dev/null >>"$(pg_logfile)" 2>&1 9>&- || {
    tail -n 20 "$data/server.log" >&2 || true
    die "PostgreSQL failed to start; see $data/server.log"
  }
}

pg_probe() {
  "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres &&
    psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -tAc 'select 1' | grep -qx 1
}

pg_wait() {
  wait_until "PostgreSQL" "${PG_START_TIMEOUT:-60}" "$(pg_data)/server.log" "$(pg_pid "$(pg_data)")" pg_probe
  if [[ -z $(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -tAc \
    "select 1 from pg_database where datname = '$PG_DB'") ]]; then
    log "creating database $PG_DB"
    psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qc "create database \"$PG_DB\"" >&2
  fi
  log "PostgreSQL ready on 127.0.0.1:$PG_PORT"
}

pg_stop() {
  local data pid
  data=$(pg_data)
  pid=$(pg_pid "$data")
  pid_alive "$pid" "$data" || return 0
  log "stopping PostgreSQL (pid $pid)"
  as_pg "$PG_BIN/pg_ctl" -D "$data" -m fast -w -t 30 stop >>"$(pg_logfile)" 2>&1 ||
    stop_pid PostgreSQL "$pid" 10
}

pg_status() {
  if pg_running; then
    echo "postgres: up (pid $(pg_pid "$(pg_data)"), 127.0.0.1:$PG_PORT)"
  else
    echo "postgres: down"
    return 1
  fi
}

pg_env() { echo "DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/$PG_DB"; }
