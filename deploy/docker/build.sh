#!/usr/bin/env bash
# Builds the job for one executor flavour and its image (needs Maven and a Docker engine with BuildKit):
#   deploy/docker/build.sh cpu|gpu|hopper [TAG]      e.g. deploy/docker/build.sh gpu registry.example.com/mosa-spark:gpu
# cpu: ND4J on OpenBLAS; gpu: ND4J's CUDA 11.6 build (Kepler ... Ada, docs/gpu.md); hopper: the CUDA 13
# backend module for H100/H200 (mvn -Pgpu; see docs/gpu.md for what it runs so far).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
flavour="${1:-}"; tag="${2:-mosa-spark:${flavour}}"
case "$flavour" in
  cpu)    profile=();        base=ubuntu:22.04 ;;
  gpu)    profile=(-Pcuda);  base=nvidia/cuda:11.6.2-runtime-ubuntu20.04 ;;
  hopper) profile=(-Pgpu);   base=nvidia/cuda:13.0.1-runtime-ubuntu24.04 ;;
  *) echo "build.sh: say which image: cpu, gpu or hopper (got '${flavour}')" >&2; exit 2 ;;
esac
command -v docker >/dev/null || { echo "build.sh: no docker on the PATH: build the image where a Docker engine runs" >&2; exit 2; }
version="$(cd "$repo" && mvn -B -q -N help:evaluate -Dexpression=project.version -DforceStdout)"
(cd "$repo" && mvn -B -ntp "${profile[@]}" -DskipTests package)
DOCKER_BUILDKIT=1 docker build -f "$repo/deploy/docker/Dockerfile" --build-arg BASE_IMAGE="$base" \
  --build-arg MOSA_VERSION="$version" -t "$tag" "$repo"
