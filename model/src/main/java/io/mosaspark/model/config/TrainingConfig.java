package io.mosaspark.model.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import static io.mosaspark.model.config.AttentionConfig.require;

/**
 * How a model is trained: optimiser, learning-rate schedule, gradient clipping, batch, length of the
 * run and seed. The one training configuration of every trainer (the {@code train-local} demo, the
 * Spark trainer); presets ship it under {@code "training"}, {@code --set key=value} overrides its keys.
 * {@link #PAPER} is the MoSA paper's recipe (docs/model.md, "Training recipe"); the library applies a
 * config with {@code MosaLanguageModel.build} and, after a restore, {@code MosaLanguageModel.prepareForTraining}.
 *
 * @param optimizer    adam, adamw or sgd
 * @param learningRate peak learning rate (after warm-up)
 * @param beta1        Adam β1 (unused by sgd)
 * @param beta2        Adam β2 (unused by sgd)
 * @param adamEpsilon  Adam ε (unused by sgd)
 * @param weightDecay  0 = off. adamw: decoupled, θ −= lr·wd·θ after the Adam step; adam and sgd: L2,
 *                     wd·θ added to the gradient (PyTorch's {@code weight_decay}). Matrices only, never
 *                     LayerNorm gains and biases
 * @param schedule     constant (after warm-up) or cosine (after warm-up, decaying to
 *                     {@code minLrRatio · learningRate} at {@code steps})
 * @param warmupSteps  the rate rises linearly over this many steps: lr·(i+1)/warmup at step i; 0 = none
 * @param minLrRatio   where cosine decay ends, as a share of the peak (unused by constant)
 * @param gradClip     clipping threshold on the gradient's L2 norm; 0 = no clipping
 * @param clip         global (the whole gradient's norm, as the paper) or per_layer (each layer's
 *                     gradient on its own, DL4J's ClipL2PerLayer)
 * @param batchSize    sequences per step per worker
 * @param steps        total optimisation steps (the cosine schedule ends here)
 * @param seed         seed of the initial parameters and of the data order
 */
public record TrainingConfig(
        @JsonProperty("optimizer") Optimizer optimizer,
        @JsonProperty("learning_rate") double learningRate,
        @JsonProperty("beta1") double beta1,
        @JsonProperty("beta2") double beta2,
        @JsonProperty("adam_epsilon") double adamEpsilon,
        @JsonProperty("weight_decay") double weightDecay,
        @JsonProperty("schedule") Schedule schedule,
        @JsonProperty("warmup_steps") int warmupSteps,
        @JsonProperty("min_lr_ratio") double minLrRatio,
        @JsonProperty("grad_clip") double gradClip,
        @JsonProperty("clip") Clip clip,
        @JsonProperty("batch_size") int batchSize,
        @JsonProperty("steps") int steps,
        @JsonProperty("seed") long seed) {

    public enum Optimizer {
        /** ND4J Adam. */
        ADAM,
        /** ND4J Adam with decoupled weight decay. */
        ADAMW,
        /** ND4J Sgd: plain gradient steps on the same schedule. */
        SGD;

        @JsonValue
        public String key() {
            return keyOf(this);
        }

        @JsonCreator
        public static Optimizer of(String key) {
            return parse(Optimizer.class, "optimizer", key);
        }
    }

    public enum Schedule {
        /** Linear warm-up, then the peak rate until the end. */
        CONSTANT,
        /** Linear warm-up, then cosine decay to min_lr_ratio · learning_rate at {@code steps}. */
        COSINE;

        @JsonValue
        public String key() {
            return keyOf(this);
        }

        @JsonCreator
        public static Schedule of(String key) {
            return parse(Schedule.class, "schedule", key);
        }
    }

    public enum Clip {
        /** One norm over every parameter's gradient together (the paper). */
        GLOBAL,
        /** Each layer's gradient clipped on its own (DL4J's ClipL2PerLayer). */
        PER_LAYER;

        @JsonValue
        public String key() {
            return keyOf(this);
        }

        @JsonCreator
        public static Clip of(String key) {
            return parse(Clip.class, "clip", key);
        }
    }

    /**
     * The paper's recipe: Adam (β 0.9/0.999, ε 1e-8, no weight decay), lr 2.5e-4, 4000 warm-up steps
     * then cosine decay to a tenth of the peak (the floor is our choice; the paper does not state it),
     * the global gradient norm clipped at 0.25, batch 64, 100k steps, seed 1.
     */
    public static final TrainingConfig PAPER = new TrainingConfig(Optimizer.ADAM, 2.5e-4, 0.9, 0.999, 1e-8, 0.0,
            Schedule.COSINE, 4000, 0.1, 0.25, Clip.GLOBAL, 64, 100_000, 1);

    public TrainingConfig {
        require(optimizer != null, "optimizer", null, "missing; valid: " + keys(Optimizer.class));
        require(learningRate > 0 && learningRate <= 1, "learning_rate", learningRate, "must be in (0, 1]");
        require(beta1 >= 0 && beta1 < 1, "beta1", beta1, "must be in [0, 1)");
        require(beta2 >= 0 && beta2 < 1, "beta2", beta2, "must be in [0, 1)");
        require(adamEpsilon > 0, "adam_epsilon", adamEpsilon, "must be > 0");
        require(weightDecay >= 0 && weightDecay < 1, "weight_decay", weightDecay, "must be in [0, 1) (0 = off)");
        require(schedule != null, "schedule", null, "missing; valid: " + keys(Schedule.class));
        require(warmupSteps >= 0, "warmup_steps", warmupSteps, "must be >= 0");
        require(minLrRatio >= 0 && minLrRatio <= 1, "min_lr_ratio", minLrRatio, "must be in [0, 1]");
        require(gradClip >= 0, "grad_clip", gradClip, "must be >= 0 (0 = no clipping)");
        require(clip != null, "clip", null, "missing; valid: " + keys(Clip.class));
        require(batchSize > 0, "batch_size", batchSize, "must be > 0");
        require(steps > 0, "steps", steps, "must be > 0");
        require(schedule != Schedule.COSINE || warmupSteps < steps, "warmup_steps", warmupSteps,
                "must be < steps = " + steps + " with schedule cosine (the decay runs from warm-up's end to steps); "
                        + "lower warmup_steps or use schedule constant");
    }

    /** True if the gradient is clipped at all. */
    public boolean clips() {
        return gradClip > 0;
    }

    public TrainingConfig withOptimizer(Optimizer o) {
        return new TrainingConfig(o, learningRate, beta1, beta2, adamEpsilon, weightDecay, schedule, warmupSteps,
                minLrRatio, gradClip, clip, batchSize, steps, seed);
    }

    public TrainingConfig withLearningRate(double lr) {
        return new TrainingConfig(optimizer, lr, beta1, beta2, adamEpsilon, weightDecay, schedule, warmupSteps,
                minLrRatio, gradClip, clip, batchSize, steps, seed);
    }

    public TrainingConfig withWeightDecay(double wd) {
        return new TrainingConfig(optimizer, learningRate, beta1, beta2, adamEpsilon, wd, schedule, warmupSteps,
                minLrRatio, gradClip, clip, batchSize, steps, seed);
    }

    /** Another schedule with its warm-up (the cosine floor stays). */
    public TrainingConfig withSchedule(Schedule s, int warmup) {
        return new TrainingConfig(optimizer, learningRate, beta1, beta2, adamEpsilon, weightDecay, s, warmup,
                minLrRatio, gradClip, clip, batchSize, steps, seed);
    }

    /** Clipping at {@code threshold} (0 = off), global or per layer. */
    public TrainingConfig withClipping(Clip c, double threshold) {
        return new TrainingConfig(optimizer, learningRate, beta1, beta2, adamEpsilon, weightDecay, schedule, warmupSteps,
                minLrRatio, threshold, c, batchSize, steps, seed);
    }

    /** The same clipping mode at another threshold (0 = off). */
    public TrainingConfig withGradClip(double threshold) {
        return withClipping(clip, threshold);
    }

    public TrainingConfig withSteps(int s) {
        return new TrainingConfig(optimizer, learningRate, beta1, beta2, adamEpsilon, weightDecay, schedule, warmupSteps,
                minLrRatio, gradClip, clip, batchSize, s, seed);
    }

    public TrainingConfig withBatchSize(int b) {
        return new TrainingConfig(optimizer, learningRate, beta1, beta2, adamEpsilon, weightDecay, schedule, warmupSteps,
                minLrRatio, gradClip, clip, b, steps, seed);
    }

    public TrainingConfig withSeed(long s) {
        return new TrainingConfig(optimizer, learningRate, beta1, beta2, adamEpsilon, weightDecay, schedule, warmupSteps,
                minLrRatio, gradClip, clip, batchSize, steps, s);
    }

    /** An enum constant's config value: its name in lower case ({@code PER_LAYER} → {@code per_layer}). */
    private static String keyOf(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static <E extends Enum<E>> String keys(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(TrainingConfig::keyOf).collect(Collectors.joining(", "));
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String key, String value) {
        for (E e : type.getEnumConstants()) if (keyOf(e).equals(value)) return e;
        throw new IllegalArgumentException(key + " = " + value + ": must be one of " + keys(type));
    }
}
