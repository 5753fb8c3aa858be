#!/bin/sh
# Test-only Spark GPU discovery script: reports two GPUs that do not exist, so that Spark's GPU
# scheduling (Worker resources, per-executor and per-task addresses) runs on a machine without one.
# The real script for users is conf/spark/gpu-discovery.sh.
echo '{"name":"gpu","addresses":["0","1"]}'
