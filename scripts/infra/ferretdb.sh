# shellcheck shell=bash
# FerretDB v1 (MongoDB wire protocol, SQLite backend) embedded in our Go program ferretdb/, built
# with ferretdb/patches/*.patch applied to FerretDB's module (see ferret_build).
# Sourced by infra.sh; expects INFRA_DIR, INFRA_SCRIPTS and lib.sh.

MONGO_PORT=${MONGO_PORT:-27017}
MONGO_DB=${MONGO_DB:-commerce}

ferret_state() { printf '%s/ferretdb' "$INFRA_DIR"; }
ferret_pidfile() { printf '%s/ferretdb.pid' "$(ferret_state)"; }
ferret_logfile() { printf '%s/logs/ferretdb.log' "$INFRA_DIR"; }
ferret_marker() { printf 'serve -listen 127.0.0.1:%s -data %s/data' "$MONGO_PORT" "$(ferret_state)"; }

ferret_bin() {
  local src="$INFRA_SCRIPTS/ferretdb"
  printf '%s/ferretdb-%s/ferretdb-local' "$(cache_root)" \
    "$(sha_of "$src/main.go" "$src/go.mod" "$src/go.sum" "$src"/patches/*.patch)"
}

# ferret_build OUT: builds ferretdb/ into OUT with FerretDB's module patched. The module is copied
# from Go's module cache into a temporary folder, the patches are applied there (git apply), and a
# temporary go.mod (-modfile) replaces the module by that copy: the checkout's go.mod and the
# module cache stay as they are.
ferret_build() {
  local out=$1 src="$INFRA_SCRIPTS/ferretdb" work rc=0
  work=$(mktemp -d)
  (
    set -euo pipefail
    cd "$src"
    go mod download github.com/FerretDB/FerretDB
    cp -R "$(go list -m -f '{{.Dir}}' github.com/FerretDB/FerretDB)" "$work/ferretdb"
    chmod -R u+w "$work/ferretdb"
    for patch in patches/*.patch; do
      git -C "$work/ferretdb" apply "$src/$patch"
    done
    cp go.mod go.sum "$work/"
    printf '\nreplace github.com/FerretDB/FerretDB => %s\n' "$work/ferretdb" >>"$work/go.mod"
    go build -modfile "$work/go.mod" -mod=readonly -buildvcs=false -trimpath -o "$out" .
  ) >&2 || rc=$?
  rm -rf "$work"
  return "$rc"
}

# Builds the binary once per source hash (go's module cache keeps the downloads).
ferret_prepare() {
  local bin
  bin=$(ferret_bin)
  [[ -x $bin ]] && return 0
  command -v go >/dev/null || die "go not found (needed to build FerretDB)"
  log "building FerretDB into $bin (first run: ~1-3 min)"
  mkdir -p "$(dirname "$bin")"
  ferret_build "$bin.tmp" || die "go build of scripts/infra/ferretdb failed"
  mv "$bin.tmp" "$bin"
}

ferret_running() { pid_alive "$(read_pid "$(ferret_pidfile)")" "$(ferret_marker)"; }

ferret_start() {
  local state bin pid
  state=$(ferret_state)
  mkdir -p "$state/data"
  ferret_prepare # also when already running: ferret_wait pings with the binary of this checkout
  if ferret_running; then
    pid=$(read_pid "$(ferret_pidfile)")
    log "FerretDB already running (pid $pid)"
    # A server started before main.go, go.mod or patches/ changed keeps running its old build.
    [[ $(readlink "/proc/$pid/exe" 2>/dev/null || true) == "$(ferret_bin)" ]] ||
      log "warning: it runs another build than this checkout's; 'npm run infra:down -- ferretdb && npm run infra:up' restarts it"
    return 0
  fi
  port_open "$MONGO_PORT" && die "port $MONGO_PORT is in use by another process; stop it or set MONGO_PORT"
  bin=$(ferret_bin)
  log "starting FerretDB on 127.0.0.1:$MONGO_PORT (log: $(ferret_logfile))"
  setsid nohup "$bin" serve -listen "127.0.0.1:$MONGO_PORT" -data "$state/data" \
    </dev/null >>"$(ferret_logfile)" 2>&1 9>&- &
  pid=$!
  echo "$pid" >"$(ferret_pidfile)"
}

ferret_probe() { "$(ferret_bin)" ping -addr "127.0.0.1:$MONGO_PORT" -timeout 2s; }

ferret_wait() {
  wait_until "FerretDB" "${MONGO_START_TIMEOUT:-30}" "$(ferret_logfile)" "$(read_pid "$(ferret_pidfile)")" ferret_probe
  log "FerretDB ready on 127.0.0.1:$MONGO_PORT"
}

ferret_stop() {
  local pid
  pid=$(read_pid "$(ferret_pidfile)")
  if pid_alive "$pid" "$(ferret_marker)"; then
    stop_pid FerretDB "$pid" 10
  fi
  rm -f "$(ferret_pidfile)"
}

ferret_status() {
  if ferret_running; then
    echo "ferretdb: up (pid $(read_pid "$(ferret_pidfile)"), 127.0.0.1:$MONGO_PORT)"
  else
    echo "ferretdb: down"
    return 1
  fi
}

ferret_env() { echo "MONGODB_URL=mongodb://127.0.0.1:$MONGO_PORT/$MONGO_DB"; }
