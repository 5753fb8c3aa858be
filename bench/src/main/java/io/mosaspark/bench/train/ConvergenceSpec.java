package io.mosaspark.bench.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import io.mosaspark.bench.harness.BenchReport;
import io.mosaspark.train.outer.OuterConfig;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link ConvergenceProbe} trains: the same preset, recipe and token budget under several
 * data-parallel set-ups, each evaluated on the same validation windows at the same token counts.
 *
 * @param data        a prepared shard set, or null to prepare {@code prepare}
 * @param prepare     the corpus to prepare when {@code data} is null
 * @param preset      preset name or file
 * @param overrides   the recipe, as {@code key=value} overrides of the preset
 * @param batch       B, the 1-worker run's sequences per step
 * @param framing     what a run of N workers holds equal to the 1-worker run besides the tokens
 * @param tokens      training tokens per run (all workers together)
 * @param evalTokens  tokens between two validations
 * @param evalWindows validation windows per evaluation (0: the whole val split)
 * @param runs        the set-ups
 */
record ConvergenceSpec(@JsonProperty("data") String data,
                       @JsonProperty("prepare") CorpusShards prepare,
                       @JsonProperty("preset") String preset,
                       @JsonProperty("overrides") List<String> overrides,
                       @JsonProperty("batch") int batch,
                       @JsonProperty("framing") Framing framing,
                       @JsonProperty("tokens") long tokens,
                       @JsonProperty("eval_tokens") long evalTokens,
                       @JsonProperty("eval_windows") long evalWindows,
                       @JsonProperty("runs") List<Run> runs) {

    /**
     * How N workers are compared with 1 worker at batch B and equal tokens.
     *
     * <p>{@code global-batch}: each worker takes B/N sequences per step, so the global batch and the
     * optimiser steps equal the 1-worker run's (the usual data-parallel comparison, and the DiLoCo paper's
     * equal-compute baseline); 2 SGD workers at H = 1 then compute exactly the 1-worker run.
     * {@code per-worker-batch}: each worker takes B, so N workers take 1/N of the steps at equal tokens
     * (with the same learning rate they start from a handicap no outer rule can remove).
     */
    enum Framing {
        @JsonProperty("global-batch") GLOBAL_BATCH,
        @JsonProperty("per-worker-batch") PER_WORKER_BATCH;

        static Framing parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "global-batch" -> GLOBAL_BATCH;
                case "per-worker-batch" -> PER_WORKER_BATCH;
                default -> throw new IllegalArgumentException("--convergence-framing = " + s
                        + ": must be global-batch or per-worker-batch");
            };
        }

        String label() {
            return this == GLOBAL_BATCH ? "global-batch" : "per-worker-batch";
        }
    }

    /**
     * @param name       how the report and the plot call it
     * @param workers    data-parallel workers
     * @param localSteps H
     * @param outer      averaging or DiLoCo (with its outer lr and momentum)
     */
    record Run(@JsonProperty("name") String name,
               @JsonProperty("workers") int workers,
               @JsonProperty("local_steps") int localSteps,
               @JsonProperty("outer") OuterConfig outer) {
    }

    ConvergenceSpec {
        if (data == null && prepare == null) throw new IllegalArgumentException("--data: a shard set, or a corpus to prepare");
        if (tokens < 1) throw new IllegalArgumentException("--convergence-tokens = " + tokens + ": must be >= 1");
        if (evalTokens < 1) throw new IllegalArgumentException("--eval-tokens = " + evalTokens + ": must be >= 1");
        if (batch < 1) throw new IllegalArgumentException("convergence batch = " + batch + ": must be >= 1 (--train-batch)");
        if (framing == null) throw new IllegalArgumentException("--convergence-framing: missing (global-batch or per-worker-batch)");
        if (runs.isEmpty()) throw new IllegalArgumentException("convergence: no runs");
        for (Run r : runs) batchPerWorker(framing, batch, r.workers());
    }

    /** Sequences per worker per step of a run of {@code workers} workers. */
    int batchPerWorker(Run run) {
        return batchPerWorker(framing, batch, run.workers());
    }

    private static int batchPerWorker(Framing framing, int batch, int workers) {
        if (framing == Framing.PER_WORKER_BATCH) return batch;
        if (batch % workers != 0) {
            throw new IllegalArgumentException("--convergence-framing global-batch: batch " + batch + " does not split over "
                    + workers + " workers; pass a --train-batch divisible by " + workers + ", or per-worker-batch");
        }
        return batch / workers;
    }

    Map<String, Object> asMap() {
        return BenchReport.JSON.convertValue(this, new TypeReference<Map<String, Object>>() { });
    }
}
