# shellcheck shell=bash
# Shared helpers for scripts/infra/*.sh (sourced, not executed).

log() { printf '[infra] %s\n' "$*" >&2; }
die() { printf '[infra] ERROR: %s\n' "$*" >&2; exit 1; }

# Cache shared by every clone of the repo (jars, built binaries); state lives in INFRA_DIR.
cache_root() { printf '%s/commerce-supergraph' "${XDG_CACHE_HOME:-$HOME/.cache}"; }

# pid_alive PID MARKER: the process exists and its command line mentions MARKER
# (guards against a stale pid file whose pid was reused by another program).
pid_alive() {
  local pid=$1 marker=$2
  [[ -n $pid && -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$marker"
}

read_pid() { if [[ -f $1 ]]; then head -n1 "$1"; fi; }

# stop_pid NAME PID [GRACE_SECONDS]: SIGTERM, wait, then SIGKILL.
stop_pid() {
  local name=$1 pid=$2 grace=${3:-20} i
  kill -0 "$pid" 2>/dev/null || return 0
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  log "$name did not stop within ${grace}s, sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  sleep 0.2
}

# port_open PORT: something accepts TCP connections on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_until NAME TIMEOUT_SECONDS LOGFILE PID CHECK_CMD...: polls CHECK_CMD until it
# succeeds; fails early if PID dies, and points at LOGFILE on failure.
wait_until() {
  local name=$1 timeout=$2 logfile=$3 pid=$4
  shift 4
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$logfile" >&2 || true
      die "$name exited during startup; see $logfile"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 30 "$logfile" >&2 || true
      die "$name not ready after ${timeout}s; see $logfile"
    fi
    sleep 0.5
  done
}

# sha_of FILES...: short content hash used as a cache key.
sha_of() { cat "$@" | sha256sum | cut -c1-16; }
