#!/usr/bin/env bash
# Spark GPU discovery script: prints this host's NVIDIA GPUs in the form Spark's resource scheduler reads,
#   {"name":"gpu","addresses":["0","1",...]}
# The addresses are nvidia-smi's device indices, the CUDA ordinals the trainer binds each task to.
# Standalone cluster: the Workers run it (spark.worker.resource.gpu.discoveryScript in each Worker's
# spark-defaults.conf); YARN and Kubernetes: each executor does (spark.executor.resource.gpu.discoveryScript,
# see the gpu layer, conf/spark/layers/gpu.conf). It must be executable at that path on every such host.
set -euo pipefail

if ! command -v nvidia-smi >/dev/null 2>&1; then
  echo "gpu-discovery.sh: nvidia-smi is not on the PATH of ${HOSTNAME:-this host}: is the NVIDIA driver installed?" >&2
  exit 1
fi
# A failing nvidia-smi (no driver loaded, "No devices were found") fails the script with what it said:
# Spark then refuses to start the Worker or executor rather than run it without its GPUs.
if ! indices="$(nvidia-smi --query-gpu=index --format=csv,noheader)"; then
  echo "gpu-discovery.sh: nvidia-smi --query-gpu=index failed${indices:+: $indices}" >&2
  exit 1
fi

addresses=""
while IFS= read -r line; do
  line="${line%$'\r'}"
  index="${line//[[:space:]]/}"
  [[ -z "$index" ]] && continue
  if [[ ! "$index" =~ ^[0-9]+$ ]]; then
    echo "gpu-discovery.sh: nvidia-smi --query-gpu=index printed '$line', not a GPU index" >&2
    exit 1
  fi
  addresses+="${addresses:+,}\"$index\""
done <<< "$indices"

printf '{"name":"gpu","addresses":[%s]}\n' "$addresses"
