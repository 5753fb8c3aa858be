package io.mosaspark.cluster;

import org.apache.spark.ExecutorLostFailure;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A driver-side listener that SIGKILLs the executor JVM running the first task of a chosen Spark job,
 * so that the JVM dies while the task computes, not between jobs. The job is chosen by the start of
 * its description (the trainer describes each round's job as "round R/N: …"). Also counts the tasks
 * Spark reports lost with an executor, which proves the kill hit a running task.
 */
final class ExecutorKiller extends SparkListener {
    /** The local property SparkContext.setJobDescription sets (Spark keeps its constant private). */
    private static final String JOB_DESCRIPTION = "spark.job.description";
    private final StandaloneSparkCluster cluster;
    private final String appId;
    private final String jobDescriptionPrefix;
    private final Set<Integer> stages = ConcurrentHashMap.newKeySet();
    private final AtomicReference<StandaloneSparkCluster.Executor> killed = new AtomicReference<>();
    private final AtomicInteger tasksLostWithExecutor = new AtomicInteger();
    private volatile Throwable failure;

    ExecutorKiller(StandaloneSparkCluster cluster, String appId, String jobDescriptionPrefix) {
        this.cluster = cluster;
        this.appId = appId;
        this.jobDescriptionPrefix = jobDescriptionPrefix;
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
        String description = submitted.properties() == null ? null
                : submitted.properties().getProperty(JOB_DESCRIPTION);
        if (description != null && description.startsWith(jobDescriptionPrefix)) {
            stages.add(submitted.stageInfo().stageId());
        }
    }

    @Override
    public void onTaskStart(SparkListenerTaskStart start) {
        if (!stages.contains(start.stageId()) || killed.get() != null) return;
        try {
            StandaloneSparkCluster.Executor victim = cluster.executor(appId, start.taskInfo().executorId());
            victim.kill();
            killed.set(victim);
        } catch (Throwable e) {
            failure = e;
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        if (end.reason() instanceof ExecutorLostFailure) tasksLostWithExecutor.incrementAndGet();
    }

    /** The executor killed, or null when no task of the chosen job started (or the kill failed). */
    StandaloneSparkCluster.Executor killed() {
        if (failure != null) throw new IllegalStateException("killing the executor failed: " + failure, failure);
        return killed.get();
    }

    int tasksLostWithExecutor() {
        return tasksLostWithExecutor.get();
    }
}
