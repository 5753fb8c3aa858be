#!/usr/bin/env bash
# Starts a real Spark standalone cluster on this machine: one Master and N Workers, each its own JVM, run
# from the build's jars (job/target/classpath.txt holds Spark, Scala and Hadoop), no Spark download.
#
#   deploy/local-cluster/start.sh [--workers N] [--cores C] [--memory 2g] [--gpus G [--gpu-discovery SCRIPT]]
#                                 [--state-dir DIR] [--host 127.0.0.1] [--master-port 7077] [--webui-port 8080]
#                                 [--worker-conf K=V]... [--classpath CP] [--add-workers] [--timeout SECONDS]
#
# It returns once every Worker has registered with the Master, and prints the master URL (also in
# DIR/master-url). Stop it with deploy/local-cluster/stop.sh [--state-dir DIR]. --add-workers starts N
# more Workers (with their own --cores/--memory/--gpus) for the Master already running in DIR.
#
# The state directory doubles as the cluster's SPARK_HOME: a Worker builds each executor's command line
# from SPARK_HOME/jars (links to the build's jars) and SPARK_HOME/conf (log4j2.properties), as in a Spark
# distribution. It also holds pids/, logs/ and work/ (each executor's stdout and stderr under
# work/<app-id>/<executor-id>).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
me="start.sh"

workers=1 cores=2 memory=2g gpus=0 gpu_discovery="$repo/conf/spark/gpu-discovery.sh"
state="${MOSA_CLUSTER_DIR:-${TMPDIR:-/tmp}/mosa-local-cluster-$(id -un)}"
host=127.0.0.1 master_port=7077 webui_port=8080 classpath="" add=0 timeout=120
worker_conf=()

usage() { sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
fail() { echo "$me: $*" >&2; exit 2; }
need() { [[ $# -ge 2 && -n "$2" ]] || fail "$1 needs a value (see --help)"; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --workers) need "$@"; workers="$2"; shift 2 ;;
    --cores) need "$@"; cores="$2"; shift 2 ;;
    --memory) need "$@"; memory="$2"; shift 2 ;;
    --gpus) need "$@"; gpus="$2"; shift 2 ;;
    --gpu-discovery) need "$@"; gpu_discovery="$2"; shift 2 ;;
    --state-dir) need "$@"; state="$2"; shift 2 ;;
    --host) need "$@"; host="$2"; shift 2 ;;
    --master-port) need "$@"; master_port="$2"; shift 2 ;;
    --webui-port) need "$@"; webui_port="$2"; shift 2 ;;
    --worker-conf) need "$@"; [[ "$2" == *=* ]] || fail "--worker-conf takes KEY=VALUE, got '$2'"; worker_conf+=("$2"); shift 2 ;;
    --classpath) need "$@"; classpath="$2"; shift 2 ;;
    --add-workers) add=1; shift ;;
    --timeout) need "$@"; timeout="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) fail "unknown option '$1' (see --help)" ;;
  esac
done
for n in workers cores gpus master_port webui_port timeout; do
  [[ "${!n}" =~ ^[0-9]+$ ]] || fail "--${n//_/-} must be a whole number, got '${!n}'"
done
[[ "$memory" =~ ^[0-9]+[mMgG]$ ]] || fail "--memory must look like 2g or 1536m, got '$memory'"
(( workers >= 1 && cores >= 1 )) || fail "--workers and --cores must be at least 1"

if [[ -z "$classpath" ]]; then
  cp_file="$repo/job/target/classpath.txt"
  [[ -f "$cp_file" ]] || fail "not built yet ($cp_file is missing). Run: mvn -B -DskipTests package   (in $repo)"
  classpath="$(cat "$cp_file")"
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
command -v "$java" >/dev/null || fail "no java on the PATH (install JDK 17 or set JAVA_HOME)"
command -v curl >/dev/null || fail "curl is not on the PATH (it reads the Master's status page)"
if (( gpus > 0 )); then
  [[ -x "$gpu_discovery" ]] || fail "--gpu-discovery $gpu_discovery is not an executable file"
  gpu_discovery="$(cd "$(dirname "$gpu_discovery")" && pwd)/$(basename "$gpu_discovery")"
  worker_conf+=("spark.worker.resource.gpu.amount=$gpus" "spark.worker.resource.gpu.discoveryScript=$gpu_discovery")
fi

mkdir -p "$state"
state="$(cd "$state" && pwd)"
mkdir -p "$state/pids" "$state/logs" "$state/work" "$state/jars" "$state/conf"

alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }
port_busy() { (exec 3<>"/dev/tcp/$host/$1") 2>/dev/null; }
# The Master's JSON status page: how many Workers it has registered, by counting their "state" : "ALIVE".
alive_workers() {
  local page
  page="$(curl -fsS --max-time 2 "http://$host:$webui_port/json/" 2>/dev/null)" || { echo -1; return; }
  { grep -o '"state" *: *"ALIVE"' <<< "$page" || true; } | wc -l
}

if (( add )); then
  alive "$state/pids/master.pid" || fail "--add-workers: no Master running in $state (start one without --add-workers)"
  host="$(cat "$state/host")"; webui_port="$(cat "$state/master-webui-port")"
else
  for pid_file in "$state"/pids/*.pid; do
    alive "$pid_file" && fail "a cluster is already running from $state ($(basename "$pid_file" .pid) is alive): stop it with $here/stop.sh --state-dir $state, or pass --add-workers"
  done
  for p in "$master_port" "$webui_port"; do
    port_busy "$p" && fail "port $p on $host is taken: pick others with --master-port / --webui-port"
  done
  rm -f "$state"/pids/*.pid
  # SPARK_HOME/jars: what a Worker puts on each executor's classpath. Our own modules stay out: the
  # application's jar brings them, and a stale copy here would shadow it.
  find "$state/jars" -mindepth 1 -delete
  IFS=: read -r -a entries <<< "$classpath"
  for e in "${entries[@]}"; do
    [[ "$e" == *.jar && -f "$e" && "$(basename "$e")" != mosa-* ]] || continue
    ln -sf "$e" "$state/jars/$(basename "$e")"
  done
  [[ -f "$repo/conf/log4j2.properties" ]] && cp "$repo/conf/log4j2.properties" "$state/conf/log4j2.properties"
  echo "$host" > "$state/host"
  echo "$webui_port" > "$state/master-webui-port"
  echo "spark://$host:$master_port" > "$state/master-url.tmp" && mv "$state/master-url.tmp" "$state/master-url"
fi
master_url="$(cat "$state/master-url")"

# Spark inside a plain Java 17 JVM needs the module openings its own launcher (spark-class) adds: the
# same list every profile gives drivers, kept once in conf/spark/layers/common.conf.
common_layer="$repo/conf/spark/layers/common.conf"
read -ra opens <<< "$(awk '$1 == "spark.driver.defaultJavaOptions" { $1 = ""; print }' "$common_layer")"
[[ ${#opens[@]} -gt 0 ]] || { echo "start.sh: no spark.driver.defaultJavaOptions in $common_layer" >&2; exit 2; }

# The environment every daemon, and so every executor it forks, runs in. SPARK_HOME is the state dir
# (see above); SPARK_SCALA_VERSION spares the launcher library from looking for a Spark source build.
export SPARK_HOME="$state" SPARK_CONF_DIR="$state/conf" SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP="$host"
# One ND4J thread per task (docs/dl4j.md), unless the caller chose otherwise.
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}" SD_MAX_THREADS="${SD_MAX_THREADS:-1}" SD_MASTER_THREADS="${SD_MASTER_THREADS:-1}"

# Each daemon gets a session of its own (setsid), so that stop.sh can end it together with the
# executors it forked by signalling the process group; the pid file is written by the process itself.
launch() {
  local name="$1"; shift
  # shellcheck disable=SC2016  # $$ and $@ are the inner shell's
  setsid bash -c 'echo $$ > "$1"; shift; exec "$@"' launch "$state/pids/$name.pid" \
    "$java" "-Xmx${SPARK_DAEMON_MEMORY:-512m}" "${opens[@]}" -cp "$state/conf:$classpath" "$@" \
    > "$state/logs/$name.log" 2>&1 < /dev/null &
  local i; for i in $(seq 50); do [[ -s "$state/pids/$name.pid" ]] && return; sleep 0.1; done
  fail "$name did not start; see $state/logs/$name.log"
}
# A start that fails leaves nothing running: what it started is stopped again (an added Worker's
# failure leaves the running cluster alone, as it found it).
stop_on_failure() { (( add )) || "$here/stop.sh" --state-dir "$state" >/dev/null 2>&1 || true; }
trap 'rc=$?; (( rc == 0 )) || stop_on_failure' EXIT

if (( ! add )); then
  launch master org.apache.spark.deploy.master.Master --host "$host" --port "$master_port" --webui-port "$webui_port"
fi
running=("$state"/pids/worker-*.pid); [[ -e "${running[0]}" ]] || running=()
first=$(( ${#running[@]} + 1 ))
wconf=(); for kv in "${worker_conf[@]+"${worker_conf[@]}"}"; do wconf+=("-D$kv"); done  # SparkConf reads spark.* system properties
for (( i = first; i < first + workers; i++ )); do
  # Worker UIs on port 0: the OS picks a free one, so that N Workers (and parallel clusters) never collide
  launch "worker-$i" "${wconf[@]+"${wconf[@]}"}" org.apache.spark.deploy.worker.Worker "$master_url" \
    --host "$host" --cores "$cores" --memory "$memory" --webui-port 0 --work-dir "$state/work"
done
expected=$(( first + workers - 1 ))

deadline=$(( SECONDS + timeout ))
while :; do
  for pid_file in "$state"/pids/*.pid; do
    if ! alive "$pid_file"; then
      name="$(basename "$pid_file" .pid)"
      # its first errors say why (what follows them is mostly stack trace)
      echo "$me: $name exited; from $state/logs/$name.log:" >&2
      { grep -m 5 -E ' ERROR |Exception:|Error:' "$state/logs/$name.log" || tail -n 10 "$state/logs/$name.log"; } >&2 || true
      exit 1
    fi
  done
  n="$(alive_workers)"
  (( n >= expected )) && break
  if (( SECONDS >= deadline )); then
    echo "$me: $n of $expected Workers registered after ${timeout}s; logs in $state/logs" >&2
    exit 1
  fi
  sleep 0.5
done
echo "$master_url"
