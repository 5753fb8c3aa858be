package io.mosaspark.prep.metrics;

import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Logs the progress of the running Spark stages every few seconds: tasks done of total, their rate, and an
 * ETA extrapolated from the completed tasks (knowable once at least one task has finished). Record rates are
 * logged per input file by the readers and per stage in metrics.json.
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

    /** e.g. "stage mapPartitions at X: 10/40 tasks done (0.50 tasks/s), 2 running, 20 s elapsed, ETA 60 s". */
    static String describe(String name, int done, int running, int total, long elapsedMillis) {
        double seconds = elapsedMillis / 1000.0;
        String eta = done == 0 ? "ETA unknown" : "ETA " + Math.round(seconds * (total - done) / done) + " s";
        return String.format(Locale.ROOT,
                "stage %s: %d/%d tasks done (%.2f tasks/s), %d running, %d s elapsed, %s", name, done, total,
                seconds > 0 ? done / seconds : 0.0, running, Math.round(seconds), eta);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
