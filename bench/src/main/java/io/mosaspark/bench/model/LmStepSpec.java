package io.mosaspark.bench.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.mosaspark.bench.harness.BenchReport;
import io.mosaspark.model.config.ModelConfig;

/**
 * What {@link LmStepProbe} times: training steps (forward, backward, Adam update) of one model on
 * random tokens.
 *
 * @param model        the language model
 * @param batch        sequences per step
 * @param learningRate Adam's step size (its value does not change the cost of a step)
 * @param gradClip     gradient clipping threshold as in training (0 = off); clipping is part of a step's cost
 * @param warmup       untimed steps
 * @param repeats      timed steps
 * @param seed         seed of the weights and tokens
 */
record LmStepSpec(
        @JsonProperty("model") ModelConfig model,
        @JsonProperty("batch") int batch,
        @JsonProperty("learning_rate") double learningRate,
        @JsonProperty("grad_clip") double gradClip,
        @JsonProperty("warmup") int warmup,
        @JsonProperty("repeats") int repeats,
        @JsonProperty("seed") long seed) {

    LmStepSpec {
        if (batch < 1) throw new IllegalArgumentException("batch = " + batch + ": must be >= 1");
    }

    /** Runs this spec in a child JVM and returns what the probe measured. */
    java.util.Map<String, Object> runIn(ChildJvm child) {
        return child.run(LmStepProbe.NAME, BenchReport.JSON.convertValue(this,
                new com.fasterxml.jackson.core.type.TypeReference<java.util.Map<String, Object>>() { }));
    }
}
