package io.mosaspark.bench.train;

import io.mosaspark.model.config.ModelConfig;
import io.mosaspark.model.config.TrainingConfig;
import io.mosaspark.train.outer.OuterConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the throughput suites run the trainer: one model and recipe, H, and how many steps per worker
 * are warm-up (discarded) and timed. Steps become whole rounds: ⌈steps / H⌉ rounds each.
 *
 * @param preset       the preset's name, for the report
 * @param model        the network
 * @param training     the recipe (batch per worker, optimiser, clipping: a step's cost)
 * @param localSteps   H
 * @param warmupSteps  steps per worker in the discarded first rounds
 * @param timedSteps   steps per worker in the measured rounds
 * @param trainWindows windows of random tokens per worker
 * @param layout       local mode or a standalone cluster's one-core executors
 */
record TrainRunPlan(String preset, ModelConfig model, TrainingConfig training, int localSteps, int warmupSteps,
                    int timedSteps, int trainWindows, SparkLayout layout) {

    /** In local mode. */
    TrainRunPlan(String preset, ModelConfig model, TrainingConfig training, int localSteps, int warmupSteps,
                 int timedSteps, int trainWindows) {
        this(preset, model, training, localSteps, warmupSteps, timedSteps, trainWindows, SparkLayout.LOCAL);
    }

    TrainRunPlan {
        if (localSteps < 1) throw new IllegalArgumentException("--local-steps = " + localSteps + ": must be >= 1");
        if (warmupSteps < 1) {
            throw new IllegalArgumentException("--warmup-steps = " + warmupSteps
                    + ": must be >= 1 (the first round builds every task thread's network)");
        }
        if (timedSteps < 1) throw new IllegalArgumentException("--timed-steps = " + timedSteps + ": must be >= 1");
    }

    TrainRunPlan withLocalSteps(int h) {
        return new TrainRunPlan(preset, model, training, h, warmupSteps, timedSteps, trainWindows, layout);
    }

    int warmupRounds() {
        return ceilDiv(warmupSteps, localSteps);
    }

    int timedRounds() {
        return ceilDiv(timedSteps, localSteps);
    }

    TrainRunSpec spec(int workers) {
        return spec(workers, 0);
    }

    /** As {@link #spec(int)}, with routing statistics from every {@code routingEvery}-th step (0 = off). */
    TrainRunSpec spec(int workers, int routingEvery) {
        return new TrainRunSpec(model, training, workers, localSteps, warmupRounds() + timedRounds(),
                OuterConfig.averaging(), trainWindows, routingEvery, layout.cluster());
    }

    TrainRunPlan withModel(ModelConfig m) {
        return new TrainRunPlan(preset, m, training, localSteps, warmupSteps, timedSteps, trainWindows, layout);
    }

    /** The plan's settings, for every result line. */
    Map<String, Object> fields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("preset", preset);
        m.put("dense_heads", model.attention().denseHeads());
        m.put("mosa_heads", model.attention().mosaHeads());
        m.put("batch_per_worker", training.batchSize());
        m.put("seq_len", model.seqLen());
        m.put("local_steps", localSteps);
        m.put("warmup_rounds", warmupRounds());
        m.put("timed_rounds", timedRounds());
        m.put("outer", "averaging");
        m.put("layout", layout.standalone() ? "standalone" : "local");
        return m;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
