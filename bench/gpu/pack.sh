#!/usr/bin/env bash
# Packs what bench/gpu/run-on-gpu.sh needs on a GPU host without Java into .gpu-pack/ (git-ignored):
# a jlinked Java 17 runtime as jre.tar.xz and the CUDA runner's jars, without ND4J's and OpenBLAS's
# native jars (the runner uses no ND4J array) and with only the three JNI libraries of JavaCPP's CUDA
# bindings it loads (cudart, cublas, nvrtc). About 45 MB; the device tool carries 64 MiB per call.
# Run after `mvn -o -DskipTests install`.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
pack="$here/.gpu-pack"
rm -rf "$pack" && mkdir -p "$pack/jars"
# The CUDA runner's dependencies, and the worker loop's (bench's WorkerLoopRun runs round/WorkerTask).
for m in cuda bench; do
  (cd "$here" && mvn -B -ntp -o -q -pl $m dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$pack/jars")
done
rm -f "$pack"/jars/mosa-*.jar
# Our modules from this checkout's build, not the local repository (another checkout may have installed there).
for m in provenance model cuda shards spark-runtime train bench; do
  cp "$here/$m"/target/mosa-$m-[0-9]*[0-9T].jar "$pack/jars/"
done
cd "$pack/jars"
# Only what the runner touches: our modules, the CUDA bindings, Jackson, and the pure-Java ND4J/DL4J jars
# whose types appear in the model's signatures (no ND4J array is ever created, so no ND4J native code),
# and for the worker loop Apache DataSketches (routing statistics); no Spark: WorkerLoopRun calls the
# loop without a TaskContext.
for j in *.jar; do
  case "$j" in
    mosa-*|cuda-*|javacpp-1.5.13*|jackson-core-*|jackson-databind-*|jackson-annotations-*|nd4j-api-*|nd4j-common-*|\
    deeplearning4j-nn-*|commons-io-*|commons-lang3-*|commons-math3-*|slf4j-api-*|datasketches-*) ;;
    *) rm "$j" ;;
  esac
done
cudajar=$(ls cuda-*-linux-x86_64.jar)
mkdir -p /tmp/cudajni.$$ && (cd /tmp/cudajni.$$ && unzip -q "$pack/jars/$cudajar" 'META-INF/*' \
  'org/bytedeco/cuda/linux-x86_64/libjnicudart.so' 'org/bytedeco/cuda/linux-x86_64/libjnicublas.so' \
  'org/bytedeco/cuda/linux-x86_64/libjninvrtc.so' && rm "$pack/jars/$cudajar" && zip -q -r "$pack/jars/$cudajar" .)
rm -rf /tmp/cudajni.$$
jlink --add-modules java.base,java.logging,java.management,jdk.unsupported,java.xml,java.sql,java.naming,java.desktop \
  --strip-debug --no-header-files --no-man-pages --compress=2 --output /tmp/mosa-jre.$$
tar -cJf "$pack/jre.tar.xz" -C /tmp mosa-jre.$$ && rm -rf /tmp/mosa-jre.$$
du -sh "$pack"/* "$pack"
