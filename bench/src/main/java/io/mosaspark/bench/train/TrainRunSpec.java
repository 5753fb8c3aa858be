package io.mosaspark.bench.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import io.mosaspark.bench.harness.BenchReport;
import io.mosaspark.model.config.ModelConfig;
import io.mosaspark.model.config.TrainingConfig;
import io.mosaspark.train.outer.OuterConfig;

import java.util.Map;

/**
 * What {@link TrainRunProbe} runs: the Spark trainer on random tokens held in memory (throughput does not
 * depend on the text), {@code workers} tasks of {@code local[workers]} or of a standalone cluster's one-core executors.
 *
 * @param model        the network
 * @param training     the inner optimiser and batch per worker ({@code steps} is set to rounds × H)
 * @param workers      data-parallel workers, one Spark task and one core each
 * @param localSteps   H
 * @param rounds       rounds to run, warm-up rounds included
 * @param outer        averaging or DiLoCo
 * @param trainWindows windows of random tokens each worker cycles through
 * @param routingEvery routing statistics from every n-th step (0 = off)
 * @param cluster      a standalone master URL whose one-core executors run the workers; null: {@code local[workers]}
 */
record TrainRunSpec(
        @JsonProperty("model") ModelConfig model,
        @JsonProperty("training") TrainingConfig training,
        @JsonProperty("workers") int workers,
        @JsonProperty("local_steps") int localSteps,
        @JsonProperty("rounds") int rounds,
        @JsonProperty("outer") OuterConfig outer,
        @JsonProperty("train_windows") int trainWindows,
        @JsonProperty("routing_every") int routingEvery,
        @JsonProperty("cluster") String cluster) {

    TrainRunSpec {
        if (workers < 1) throw new IllegalArgumentException("workers = " + workers + ": must be >= 1");
        if (localSteps < 1) throw new IllegalArgumentException("local steps (H) = " + localSteps + ": must be >= 1");
        if (rounds < 1) throw new IllegalArgumentException("rounds = " + rounds + ": must be >= 1");
        if (trainWindows < 1) throw new IllegalArgumentException("train windows = " + trainWindows + ": must be >= 1");
        if (routingEvery < 0) throw new IllegalArgumentException("routing every = " + routingEvery + ": must be >= 0");
    }

    SparkLayout layout() {
        return new SparkLayout(cluster);
    }

    String master() {
        return layout().master(workers);
    }

    Map<String, Object> asMap() {
        return BenchReport.JSON.convertValue(this, new TypeReference<Map<String, Object>>() { });
    }
}
