package io.mosaspark.bench.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import io.mosaspark.bench.harness.BenchReport;

import java.util.List;
import java.util.Map;

/**
 * What {@link AggregateProbe} times: one round's data movement without its training, for each model
 * size and worker count.
 *
 * @param models  the sizes (their parameter and Adam-state counts are what moves)
 * @param workers worker counts, each in {@code local[N]}
 * @param depth   aggregation tree depth (the trainer's default: 2)
 * @param warmup  untimed rounds per (size, workers)
 * @param repeats timed rounds per (size, workers)
 */
record AggregateSpec(@JsonProperty("models") List<NamedModel> models,
                     @JsonProperty("workers") List<Integer> workers,
                     @JsonProperty("depth") int depth,
                     @JsonProperty("warmup") int warmup,
                     @JsonProperty("repeats") int repeats) {

    AggregateSpec {
        if (models.isEmpty()) throw new IllegalArgumentException("--aggregate-models: at least one model");
        if (workers.isEmpty() || workers.stream().anyMatch(n -> n < 1)) {
            throw new IllegalArgumentException("--aggregate-workers = " + workers + ": at least one count, each >= 1");
        }
        if (repeats < 1) throw new IllegalArgumentException("--repeats = " + repeats + ": must be >= 1");
    }

    Map<String, Object> asMap() {
        return BenchReport.JSON.convertValue(this, new TypeReference<Map<String, Object>>() { });
    }
}
