#!/usr/bin/env bash
# `mosa train` on a YARN cluster with GPU executors: one executor per training worker, one GPU each.
#
#   HADOOP_CONF_DIR=/etc/hadoop/conf deploy/yarn/train-gpu.sh --data hdfs:///mosa/shards/2026-12 \
#     --out hdfs:///mosa/runs/tiny-mosa-rho8 --preset tiny --model mosa --rho 8 --workers 4
#
# Arguments are `mosa train`'s (./mosa train --help). Environment: MOSA_YARN_QUEUE (default: default),
# MOSA_EVENT_LOG_DIR (default: hdfs:///spark-history). Needs YARN 3.1+ with the GPU resource plugin
# (yarn.io/gpu in resource-types.xml, yarn.nodemanager.resource-plugins=yarn.io/gpu) and the job built
# with `mvn -Pcuda package` (ND4J's CUDA 11.6 build; docs/gpu.md).
#
# How Spark asks YARN for GPUs: spark.executor.resource.gpu.amount (from the yarn-gpu profile) becomes a
# request for YARN's resource spark.yarn.resourceGpuDeviceName (yarn.io/gpu) per executor container.
# YARN does not tell the executor which GPU it got, so each executor runs the discovery script, shipped
# into its container's working directory with spark.yarn.dist.files.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
[[ -n "${HADOOP_CONF_DIR:-${YARN_CONF_DIR:-}}" ]] \
  || { echo "train-gpu.sh: set HADOOP_CONF_DIR (or YARN_CONF_DIR) to the cluster's Hadoop configuration" >&2; exit 2; }

# One executor per training worker: the trainer runs one task per worker and round.
workers=""
prev=""
for a in "$@"; do
  [[ "$prev" == --workers ]] && workers="$a"
  [[ "$a" == --workers=* ]] && workers="${a#--workers=}"
  prev="$a"
done
[[ "$workers" =~ ^[1-9][0-9]*$ ]] || { echo "train-gpu.sh: pass --workers N (one GPU executor each)" >&2; exit 2; }

exec "$repo/mosa" --profile yarn-gpu \
  --conf "spark.executor.instances=$workers" \
  --conf "spark.yarn.queue=${MOSA_YARN_QUEUE:-default}" \
  --conf spark.yarn.resourceGpuDeviceName=yarn.io/gpu \
  --conf "spark.yarn.dist.files=$repo/conf/spark/gpu-discovery.sh" \
  --conf spark.executor.resource.gpu.discoveryScript=./gpu-discovery.sh \
  --conf spark.eventLog.enabled=true \
  --conf "spark.eventLog.dir=${MOSA_EVENT_LOG_DIR:-hdfs:///spark-history}" \
  train "$@"
