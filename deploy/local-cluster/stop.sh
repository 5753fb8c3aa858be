#!/usr/bin/env bash
# Stops the cluster deploy/local-cluster/start.sh started: every Worker with the executors it forked,
# then the Master. Idempotent: a cluster already stopped, or never started, is not an error.
#
#   deploy/local-cluster/stop.sh [--state-dir DIR] [--timeout SECONDS]
#
# Logs and executor work directories stay in DIR for reading afterwards.
set -euo pipefail
me="stop.sh"
state="${MOSA_CLUSTER_DIR:-${TMPDIR:-/tmp}/mosa-local-cluster-$(id -un)}"
timeout=15
while [[ $# -gt 0 ]]; do
  case "$1" in
    --state-dir) [[ $# -ge 2 ]] || { echo "$me: --state-dir needs a value" >&2; exit 2; }; state="$2"; shift 2 ;;
    --timeout) [[ $# -ge 2 && "$2" =~ ^[0-9]+$ ]] || { echo "$me: --timeout needs a whole number" >&2; exit 2; }; timeout="$2"; shift 2 ;;
    -h|--help) sed -n '2,7p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "$me: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ -d "$state/pids" ]] || exit 0

# Each daemon leads a process group of its own (start.sh runs it under setsid) that also holds the
# executors it forked: signalling the group ends them all, even a Worker too busy to clean up.
group_alive() { kill -0 -- "-$1" 2>/dev/null; }
stop_group() {
  local pid_file="$1" pid
  pid="$(cat "$pid_file" 2>/dev/null || true)"
  # a pid file left from before a reboot may name somebody else's process by now: only a Spark daemon's
  # (or a group whose leader is gone) is ours
  if [[ -r "/proc/$pid/cmdline" ]] && ! tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q 'org\.apache\.spark\.deploy\.'; then
    pid=""
  fi
  if [[ "$pid" =~ ^[0-9]+$ ]] && group_alive "$pid"; then
    kill -TERM -- "-$pid" 2>/dev/null || true
    local deadline=$(( SECONDS + timeout ))
    while group_alive "$pid" && (( SECONDS < deadline )); do sleep 0.2; done
    if group_alive "$pid"; then
      echo "$me: $(basename "$pid_file" .pid) (pid $pid) outlived SIGTERM by ${timeout}s; sending SIGKILL" >&2
      kill -KILL -- "-$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$pid_file"
}
for f in "$state"/pids/worker-*.pid; do [[ -e "$f" ]] && stop_group "$f"; done
[[ -e "$state/pids/master.pid" ]] && stop_group "$state/pids/master.pid"
exit 0
