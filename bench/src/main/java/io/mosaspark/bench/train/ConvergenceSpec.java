package io.mosaspark.bench.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import io.mosaspark.bench.harness.BenchReport;
import io.mosaspark.train.outer.OuterConfig;

import java.util.List;
import java.util.Map;

/**
 * What {@link ConvergenceProbe} trains: the same preset, recipe and token budget under several
 * data-parallel set-ups, each evaluated on the same validation windows at the same token counts.
 *
 * @param data        a prepared shard set, or null to prepare {@code prepare}
 * @param prepare     the corpus to prepare when {@code data} is null
 * @param preset      preset name or file
 * @param overrides   the recipe, as {@code key=value} overrides of the preset
 * @param tokens      training tokens per run (all workers together)
 * @param evalTokens  tokens between two validations
 * @param evalWindows validation windows per evaluation (0: the whole val split)
 * @param runs        the set-ups
 */
record ConvergenceSpec(@JsonProperty("data") String data,
                       @JsonProperty("prepare") CorpusShards prepare,
                       @JsonProperty("preset") String preset,
                       @JsonProperty("overrides") List<String> overrides,
                       @JsonProperty("tokens") long tokens,
                       @JsonProperty("eval_tokens") long evalTokens,
                       @JsonProperty("eval_windows") long evalWindows,
                       @JsonProperty("runs") List<Run> runs) {

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
        if (runs.isEmpty()) throw new IllegalArgumentException("convergence: no runs");
    }

    Map<String, Object> asMap() {
        return BenchReport.JSON.convertValue(this, new TypeReference<Map<String, Object>>() { });
    }
}
