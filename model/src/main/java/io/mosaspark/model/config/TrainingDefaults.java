package io.mosaspark.model.config;

import com.fasterxml.jackson.annotation.JsonProperty;

import static io.mosaspark.model.config.AttentionConfig.require;

/**
 * The training recipe a preset ships with (the paper: Adam, lr 2.5e-4, linear warmup of 4k steps,
 * global gradient-norm clipping at 0.25, batch 64, 100k steps). Only the recipe's numbers; the LM
 * module's training configuration decides how they are applied.
 *
 * @param optimizer    only "adam" (the paper's)
 * @param learningRate peak learning rate after warmup
 * @param warmupSteps  steps of linear warmup from 0
 * @param gradClip     gradient-norm clipping threshold
 * @param batchSize    sequences per step
 * @param steps        optimisation steps
 * @param seed         seed of initialisation and data order
 */
public record TrainingDefaults(
        @JsonProperty("optimizer") String optimizer,
        @JsonProperty("learning_rate") double learningRate,
        @JsonProperty("warmup_steps") int warmupSteps,
        @JsonProperty("grad_clip") double gradClip,
        @JsonProperty("batch_size") int batchSize,
        @JsonProperty("steps") int steps,
        @JsonProperty("seed") long seed) {

    public TrainingDefaults {
        require("adam".equals(optimizer), "optimizer", optimizer, "must be \"adam\" (the only one supported)");
        require(learningRate > 0 && learningRate < 1, "learning_rate", learningRate, "must be in (0, 1)");
        require(warmupSteps >= 0, "warmup_steps", warmupSteps, "must be >= 0");
        require(gradClip > 0, "grad_clip", gradClip, "must be > 0");
        require(batchSize > 0, "batch_size", batchSize, "must be > 0");
        require(steps > 0, "steps", steps, "must be > 0");
    }

    public TrainingDefaults withSteps(int s) {
        return new TrainingDefaults(optimizer, learningRate, warmupSteps, gradClip, batchSize, s, seed);
    }

    public TrainingDefaults withBatchSize(int b) {
        return new TrainingDefaults(optimizer, learningRate, warmupSteps, gradClip, b, steps, seed);
    }

    public TrainingDefaults withSeed(long s) {
        return new TrainingDefaults(optimizer, learningRate, warmupSteps, gradClip, batchSize, steps, s);
    }
}
