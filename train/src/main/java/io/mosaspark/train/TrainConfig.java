package io.mosaspark.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.mosaspark.model.config.ModelConfig;
import io.mosaspark.model.config.TrainingConfig;
import io.mosaspark.train.outer.OuterConfig;

/**
 * Everything that decides what a training run computes, resolved (no defaults left to fill) and
 * validated before any Spark work. Two runs with equal configs and equal data compute the same
 * parameters; a checkpoint is only resumed by a run whose config equals the one it was written with
 * (see {@link io.mosaspark.train.checkpoint.ConfigMatch}). Where to write, how often to log and the like
 * are not part of it: see {@link RunOptions}.
 *
 * @param model            the network (vocabulary, sizes, attention heads)
 * @param training         the inner optimiser (Adam, learning rate, schedule, clipping, batch per worker
 *                         and step, seed); its {@code steps} is the run's rounds × H
 * @param precision        {@code float32} (training) or {@code float64} (equivalence tests)
 * @param workers          data-parallel workers N (one Spark task each per round)
 * @param localSteps       H: optimiser steps each worker takes between two averaging rounds
 * @param rounds           averaging rounds; the run takes rounds × H global steps
 * @param outer            how the driver combines the workers' parameters
 * @param evalEvery        rounds between validation evaluations (0 = only at the end)
 * @param evalWindows      validation windows per evaluation (0 = the whole val split)
 * @param checkpointEvery  rounds between checkpoints (0 = only at the end)
 * @param keepCheckpoints  complete checkpoints kept (older ones are deleted)
 * @param aggregationDepth depth of the aggregation tree (2: the driver receives about √N partial sums)
 * @param routingEvery     routing statistics from every n-th training step and replica drift every round
 *                         (0 = off; docs/routing.md); they never change the trained parameters
 */
public record TrainConfig(
        @JsonProperty("model") ModelConfig model,
        @JsonProperty("training") TrainingConfig training,
        @JsonProperty("precision") String precision,
        @JsonProperty("workers") int workers,
        @JsonProperty("local_steps") int localSteps,
        @JsonProperty("rounds") int rounds,
        @JsonProperty("outer") OuterConfig outer,
        @JsonProperty("eval_every") int evalEvery,
        @JsonProperty("eval_windows") long evalWindows,
        @JsonProperty("checkpoint_every") int checkpointEvery,
        @JsonProperty("keep_checkpoints") int keepCheckpoints,
        @JsonProperty("aggregation_depth") int aggregationDepth,
        @JsonProperty("routing_every") int routingEvery) {

    @JsonCreator
    public TrainConfig {
        require(model != null, "model", null, "missing");
        require(training != null, "training", null, "missing");
        require(outer != null, "outer", null, "missing");
        require("float32".equals(precision) || "float64".equals(precision), "precision", precision,
                "must be float32 or float64");
        require(workers >= 1 && workers <= 4096, "workers", workers, "must be in [1, 4096]");
        require(localSteps >= 1, "local_steps", localSteps, "must be >= 1 (H, steps per worker between averaging)");
        require(rounds >= 1, "rounds", rounds, "must be >= 1");
        require((long) rounds * localSteps <= Integer.MAX_VALUE, "rounds", rounds,
                "rounds × local_steps must fit DL4J's int iteration counter");
        require(training.steps() == (long) rounds * localSteps, "training.steps", training.steps(),
                "must equal rounds × local_steps = " + rounds + " × " + localSteps + " = " + (long) rounds * localSteps
                        + " (the learning-rate schedule runs over the whole run)");
        require(evalEvery >= 0, "eval_every", evalEvery, "must be >= 0 (0 = only at the end)");
        require(evalWindows >= 0, "eval_windows", evalWindows, "must be >= 0 (0 = the whole val split)");
        require(checkpointEvery >= 0, "checkpoint_every", checkpointEvery, "must be >= 0 (0 = only at the end)");
        require(keepCheckpoints >= 1, "keep_checkpoints", keepCheckpoints, "must be >= 1");
        require(aggregationDepth >= 1 && aggregationDepth <= 8, "aggregation_depth", aggregationDepth, "must be in [1, 8]");
        require(routingEvery >= 0, "routing_every", routingEvery, "must be >= 0 (0 = no routing statistics)");
    }

    /** Without routing statistics: the form of configs written before they existed. */
    public TrainConfig(ModelConfig model, TrainingConfig training, String precision, int workers, int localSteps,
                       int rounds, OuterConfig outer, int evalEvery, long evalWindows, int checkpointEvery,
                       int keepCheckpoints, int aggregationDepth) {
        this(model, training, precision, workers, localSteps, rounds, outer, evalEvery, evalWindows, checkpointEvery,
                keepCheckpoints, aggregationDepth, 0);
    }

    /** Sequences per worker per step. */
    public int batchSize() {
        return training.batchSize();
    }

    /** This config with its evaluation and checkpoint cadence changed (nothing it computes changes). */
    public TrainConfig withCadence(int evalEvery, long evalWindows, int checkpointEvery, int keepCheckpoints) {
        return new TrainConfig(model, training, precision, workers, localSteps, rounds, outer, evalEvery, evalWindows,
                checkpointEvery, keepCheckpoints, aggregationDepth, routingEvery);
    }

    public TrainConfig withTraining(TrainingConfig t) {
        return new TrainConfig(model, t, precision, workers, localSteps, rounds, outer, evalEvery, evalWindows,
                checkpointEvery, keepCheckpoints, aggregationDepth, routingEvery);
    }

    /** This config with routing statistics from every n-th step (0 = off); nothing it trains changes. */
    public TrainConfig withRoutingEvery(int n) {
        return new TrainConfig(model, training, precision, workers, localSteps, rounds, outer, evalEvery, evalWindows,
                checkpointEvery, keepCheckpoints, aggregationDepth, n);
    }

    /** Whether this run collects routing statistics: asked for, and the model has sparse heads. */
    public boolean routing() {
        return routingEvery > 0 && model.attention().mosaHeads() > 0;
    }

    /** Global optimiser steps of the whole run: what the learning-rate schedule runs over. */
    public int totalSteps() {
        return rounds * localSteps;
    }

    /** Tokens the workers train on per round (all workers together). */
    public long tokensPerRound() {
        return (long) workers * localSteps * batchSize() * model.seqLen();
    }

    public org.nd4j.linalg.api.buffer.DataType dataType() {
        return "float64".equals(precision) ? org.nd4j.linalg.api.buffer.DataType.DOUBLE
                : org.nd4j.linalg.api.buffer.DataType.FLOAT;
    }

    static void require(boolean ok, String key, Object value, String rule) {
        if (!ok) throw new IllegalArgumentException(key + " = " + value + ": " + rule);
    }
}
