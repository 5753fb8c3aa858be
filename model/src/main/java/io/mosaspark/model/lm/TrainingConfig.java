package io.mosaspark.model.lm;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.mosaspark.model.config.TrainingDefaults;

/**
 * How the LM is optimised: Adam with a linear learning-rate warmup, optional decoupled weight decay
 * and gradient clipping, and the seed of the initial parameters.
 *
 * <p>Clipping: the paper clips the global gradient norm at 0.25. DL4J's closest built-in is
 * {@code GradientNormalization.ClipL2PerLayer}, which rescales each layer's gradient (all its
 * parameters together) to L2 norm ≤ {@code gradClip}. It is stored in the network configuration, so
 * it survives serialisation and runs wherever the graph is trained. Each layer's norm is at most the
 * global one, so it clips no more often than global clipping; with L layers the global norm after
 * clipping is at most √L · {@code gradClip}. For the paper's exact global clipping set
 * {@code gradClip} to 0 and add a {@link GlobalNormClipping} listener to the graph (listeners are not
 * part of the saved configuration).
 *
 * @param learningRate peak Adam learning rate (paper 2.5e-4)
 * @param beta1        Adam β1
 * @param beta2        Adam β2
 * @param adamEpsilon  Adam ε
 * @param weightDecay  decoupled weight decay per step, scaled by the learning rate (AdamW style), on
 *                     matrices only (not on LayerNorm gains/biases); 0 = off
 * @param warmupSteps  the learning rate rises linearly over this many steps, then stays at its peak; 0 = none
 * @param gradClip     per-layer L2 gradient clipping threshold (see above); 0 = off
 * @param seed         seed of the initial parameters
 */
public record TrainingConfig(
        @JsonProperty("learning_rate") double learningRate,
        @JsonProperty("beta1") double beta1,
        @JsonProperty("beta2") double beta2,
        @JsonProperty("adam_epsilon") double adamEpsilon,
        @JsonProperty("weight_decay") double weightDecay,
        @JsonProperty("warmup_steps") int warmupSteps,
        @JsonProperty("grad_clip") double gradClip,
        @JsonProperty("seed") long seed) {

    public TrainingConfig {
        require(learningRate > 0 && learningRate < 1, "learning_rate", learningRate, "must be in (0, 1)");
        require(beta1 >= 0 && beta1 < 1, "beta1", beta1, "must be in [0, 1)");
        require(beta2 >= 0 && beta2 < 1, "beta2", beta2, "must be in [0, 1)");
        require(adamEpsilon > 0, "adam_epsilon", adamEpsilon, "must be > 0");
        require(weightDecay >= 0 && weightDecay < 1, "weight_decay", weightDecay, "must be in [0, 1)");
        require(warmupSteps >= 0, "warmup_steps", warmupSteps, "must be >= 0");
        require(gradClip >= 0, "grad_clip", gradClip, "must be >= 0 (0 = no clipping)");
    }

    /** The paper's recipe: Adam, lr 2.5e-4, 4000 warmup steps, clipping at 0.25, no weight decay. */
    public static TrainingConfig paper(long seed) {
        return new TrainingConfig(2.5e-4, 0.9, 0.999, 1e-8, 0.0, 4000, 0.25, seed);
    }

    /**
     * A preset's recipe (Adam, learning rate, warmup, clipping, seed) with Adam's usual β1 0.9, β2 0.999,
     * ε 1e-8 and no weight decay.
     */
    public static TrainingConfig from(TrainingDefaults recipe) {
        return new TrainingConfig(recipe.learningRate(), 0.9, 0.999, 1e-8, 0.0, recipe.warmupSteps(),
                recipe.gradClip(), recipe.seed());
    }

    public TrainingConfig withLearningRate(double lr) {
        return new TrainingConfig(lr, beta1, beta2, adamEpsilon, weightDecay, warmupSteps, gradClip, seed);
    }

    public TrainingConfig withWarmupSteps(int steps) {
        return new TrainingConfig(learningRate, beta1, beta2, adamEpsilon, weightDecay, steps, gradClip, seed);
    }

    public TrainingConfig withGradClip(double clip) {
        return new TrainingConfig(learningRate, beta1, beta2, adamEpsilon, weightDecay, warmupSteps, clip, seed);
    }

    public TrainingConfig withWeightDecay(double wd) {
        return new TrainingConfig(learningRate, beta1, beta2, adamEpsilon, wd, warmupSteps, gradClip, seed);
    }

    public TrainingConfig withSeed(long s) {
        return new TrainingConfig(learningRate, beta1, beta2, adamEpsilon, weightDecay, warmupSteps, gradClip, s);
    }

    private static void require(boolean ok, String key, Object value, String rule) {
        if (!ok) throw new IllegalArgumentException(key + " = " + value + ": " + rule);
    }
}
