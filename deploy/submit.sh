#!/usr/bin/env bash
# spark-submit wrapper: deploy/submit.sh [--profile local|cluster-cpu|cluster-gpu] [--master URL] [--conf K=V]... <mosa command> [args...]
# Example: deploy/submit.sh --profile cluster-cpu --master spark://host:7077 prepare --input hdfs:///raw/*.jsonl.gz ...
# S3:      deploy/submit.sh --conf spark.jars.packages=org.apache.hadoop:hadoop-aws:3.3.4 \
#            --conf spark.hadoop.fs.s3a.endpoint=https://s3.eu-west-1.amazonaws.com prepare --input 's3a://bucket/raw/*' ...
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
profile=local; master=(); confs=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --profile) profile="$2"; shift 2 ;;
    --master) master=(--master "$2"); shift 2 ;;
    --conf) confs+=(--conf "$2"); shift 2 ;;
    *) break ;;
  esac
done
props="$here/conf/spark/$profile.conf"
[[ -f "$props" ]] || { echo "submit.sh: no Spark profile $props (have: $(cd "$here/conf/spark" && ls *.conf | sed 's/\.conf$//' | tr '\n' ' '))" >&2; exit 2; }
jar="$(ls "$here"/job/target/mosa-job-*-spark.jar 2>/dev/null | head -n 1 || true)"
[[ -n "$jar" ]] || { echo "submit.sh: build first: mvn -B -DskipTests package" >&2; exit 2; }
command -v spark-submit >/dev/null || { echo "submit.sh: spark-submit not on PATH (set SPARK_HOME/bin)" >&2; exit 2; }
exec spark-submit --properties-file "$props" "${master[@]}" "${confs[@]}" --class io.mosaspark.cli.Mosa "$jar" "$@"
