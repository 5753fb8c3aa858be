package io.mosaspark.prep.metrics;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Logs the progress of the running Spark stages every few seconds: tasks done of total, and an ETA
 * extrapolated from the completed tasks (knowable once at least one task has finished).
 */
public final class ProgressReporter implements AutoCloseable {
    private final ScheduledExecutorService timer;

    private ProgressReporter(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    public static ProgressReporter start(JavaSparkContext jsc, long periodMillis, Consumer<String> log) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "prep-progress");
            t.setDaemon(true);
            return t;
        });
        long started = System.nanoTime();
        timer.scheduleAtFixedRate(() -> report(jsc, started, log), periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        return new ProgressReporter(timer);
    }

    private static void report(JavaSparkContext jsc, long started, Consumer<String> log) {
        for (int id : jsc.statusTracker().getActiveStageIds()) {
            SparkStageInfo s = jsc.statusTracker().getStageInfo(id);
            if (s == null || s.numTasks() == 0) {
                continue;
            }
            log.accept(describe(s.name(), s.numCompletedTasks(), s.numActiveTasks(), s.numTasks(),
                    s.submissionTime() > 0 ? System.currentTimeMillis() - s.submissionTime()
                            : (System.nanoTime() - started) / 1_000_000));
        }
    }

    /** e.g. "stage mapPartitions at X: 12/40 tasks done, 2 running, 30 s elapsed, ETA 70 s". */
    static String describe(String name, int done, int running, int total, long elapsedMillis) {
        String eta = done == 0 ? "ETA unknown" : "ETA " + Math.round(elapsedMillis / 1000.0 * (total - done) / done) + " s";
        return String.format("stage %s: %d/%d tasks done, %d running, %d s elapsed, %s", name, done, total, running,
                Math.round(elapsedMillis / 1000.0), eta);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
