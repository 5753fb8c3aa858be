package io.mosaspark.bench.train;

import io.mosaspark.model.config.AttentionConfig;
import io.mosaspark.model.config.ModelConfig;
import io.mosaspark.model.config.TrainingConfig;

import java.util.List;

/** A model small enough that the trainer suites' tests run it many times in seconds. */
final class TrainRuns {

    private TrainRuns() {
    }

    static ModelConfig model() {
        return new ModelConfig(32, 1, 32, 16, ModelConfig.DEFAULT_LN_EPS, AttentionConfig.dense(16, 8, 2));
    }

    static TrainingConfig training() {
        return new TrainingConfig(TrainingConfig.Optimizer.ADAM, 1e-2, 0.9, 0.999, 1e-8, 0.0,
                TrainingConfig.Schedule.CONSTANT, 0, 0.1, 1.0, TrainingConfig.Clip.GLOBAL, 2, 8, 7);
    }

    /** H = 2, one warm-up round, two timed rounds. */
    static TrainRunPlan plan() {
        return new TrainRunPlan("test", model(), training(), 2, 2, 4, 4);
    }

    static List<NamedModel> models() {
        return List.of(new NamedModel("test", model(), training()));
    }
}
