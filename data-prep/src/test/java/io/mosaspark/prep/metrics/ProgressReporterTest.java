package io.mosaspark.prep.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mosaspark.prep.SharedSpark;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {

    @Test
    void rateAndEtaAreExtrapolatedFromCompletedTasks() {
        assertEquals("stage s: 10/40 tasks done (0.50 tasks/s), 2 running, 20 s elapsed, ETA 60 s",
                ProgressReporter.describe("s", 10, 2, 40, 20_000));
        assertTrue(ProgressReporter.describe("s", 0, 2, 40, 5_000).endsWith("ETA unknown"));
    }

    @Test
    void reportsRunningStagesWhileAJobRuns() {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SharedSpark.session().sparkContext());
        List<String> lines = new CopyOnWriteArrayList<>();
        try (ProgressReporter p = ProgressReporter.start(jsc, 100, lines::add)) {
            jsc.parallelize(List.of(1, 2, 3, 4), 4).foreach(i -> Thread.sleep(400));
        }
        assertTrue(lines.stream().anyMatch(l -> l.contains("/4 tasks done")), lines.toString());
    }
}
