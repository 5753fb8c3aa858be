package io.mosaspark.prep.metrics;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage timings and throughput of one run, logged as they happen and written as metrics.json (the
 * machine-readable side of the progress log; unlike the manifest it differs between reruns).
 */
public final class RunMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(RunMetrics.class);

    private final Instant started = Instant.now();
    private final Map<String, Long> stageMillis = new LinkedHashMap<>();
    private final Map<String, Object> values = new LinkedHashMap<>();

    public Instant started() {
        return started;
    }

    /** Runs a stage, logging its start and duration. */
    public <T> T stage(String name, Supplier<T> work) {
        LOG.info("stage {}: started", name);
        long t0 = System.nanoTime();
        T result = work.get();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        stageMillis.put(name, ms);
        LOG.info("stage {}: done in {} s", name, String.format("%.1f", ms / 1000.0));
        return result;
    }

    public void put(String key, Object value) {
        values.put(key, value);
    }

    /** Records a count with its rate over the given stage (null: the whole run so far) and logs it. */
    public void rate(String key, long count, String stage) {
        values.put(key, count);
        Long ms = stage == null ? Long.valueOf(java.time.Duration.between(started, Instant.now()).toMillis())
                : stageMillis.get(stage);
        if (ms != null && ms > 0) {
            double perSecond = count * 1000.0 / ms;
            values.put(key + "_per_second", Math.round(perSecond * 10) / 10.0);
            LOG.info("{}: {} ({} /s over {})", key, count, String.format("%.0f", perSecond),
                    stage == null ? "the run" : "stage " + stage);
        }
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("started_at", started.toString());
        m.put("finished_at", Instant.now().toString());
        m.put("stage_millis", stageMillis);
        m.putAll(values);
        return m;
    }
}
