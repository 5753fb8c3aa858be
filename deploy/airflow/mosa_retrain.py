"""Weekly retraining of the mosa-spark model: four Spark jobs, each a `mosa` command run by spark-submit.

    prepare   raw text of the week -> a dated shard set            (CPU executors, profile yarn)
    retrain   train a candidate on it, register it, no promotion   (GPU executors, profile yarn-gpu)
    evaluate  score the candidate and the promoted model on the same validation split
    promote   make the candidate current if it beats the promoted one by the margin

Install: copy this file into the DAGs folder of an Airflow with apache-airflow-providers-apache-spark,
make a Spark connection `spark_mosa` (host yarn, or spark://..., k8s://...) whose workers have
spark-submit, and unpack the job where MOSA_HOME points (lib/mosa-job-spark.jar and conf/, as in the
image deploy/docker builds). Settings come from the project's Spark profiles in MOSA_HOME/conf/spark.
"""
from __future__ import annotations

import os
import re
from datetime import datetime, timedelta

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

MOSA_HOME = os.environ.get("MOSA_HOME", "/opt/mosa-spark")
JOB_JAR = f"{MOSA_HOME}/lib/mosa-job-spark.jar"
MAIN_CLASS = "io.mosaspark.cli.Mosa"
RAW = "hdfs:///mosa/raw/{{ ds }}"
SHARDS = "hdfs:///mosa/shards/{{ ds }}"
REGISTRY = "hdfs:///mosa/registry"
MARGIN = "0.01"
# what every task shares: the job and the connection its spark-submit uses
JOB = {"conn_id": "spark_mosa", "application": JOB_JAR, "java_class": MAIN_CLASS}


def profile(name: str) -> dict[str, str]:
    """conf/spark/NAME.conf as spark-submit's --properties-file reads it: `key value` lines, # comments."""
    settings = {}
    with open(f"{MOSA_HOME}/conf/spark/{name}.conf", encoding="utf-8") as f:
        for line in f:
            entry = re.match(r"\s*([^\s=:#!][^\s=:]*)\s*[=:\s]\s*(.*)", line)
            if entry:
                settings[entry.group(1)] = entry.group(2).strip()
    return settings


with DAG(
    dag_id="mosa_retrain",
    schedule="0 3 * * 1",
    start_date=datetime(2026, 12, 7),
    catchup=False,
    max_active_runs=1,  # the registry takes one retrain at a time
    default_args={"owner": "ml-platform", "retries": 1, "retry_delay": timedelta(minutes=10)},
    tags=["mosa-spark"],
) as dag:
    prepare = SparkSubmitOperator(
        task_id="prepare",
        **JOB,
        conf=profile("yarn"),
        # --overwrite: a retried task replaces the shard set its failed attempt may have left
        application_args=["prepare", "--input", RAW, "--out", SHARDS, "--format", "jsonl", "--overwrite"],
    )
    retrain = SparkSubmitOperator(
        task_id="retrain",
        **JOB,
        conf=profile("yarn-gpu"),
        application_args=["retrain", "--registry", REGISTRY, "--data", SHARDS, "--preset", "tiny",
                          "--model", "mosa", "--rho", "8", "--workers", "4", "--local-steps", "50",
                          "--tokens", "200000000", "--no-promote"],
    )
    evaluate = SparkSubmitOperator(
        task_id="evaluate",
        **JOB,
        conf=profile("yarn-gpu"),
        application_args=["registry", "evaluate", "--registry", REGISTRY, "--candidate", "latest"],
    )
    promote = SparkSubmitOperator(
        task_id="promote",
        **JOB,
        conf=profile("yarn"),
        application_args=["registry", "promote", "--registry", REGISTRY, "--candidate", "latest",
                          "--margin", MARGIN],
    )
    prepare >> retrain >> evaluate >> promote
