package io.mosaspark.bench.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import io.mosaspark.bench.harness.BenchReport;

import java.util.List;
import java.util.Map;

/**
 * What {@link CheckpointProbe} times: writing and resuming a parameter-averaging checkpoint (parameters
 * and Adam moments) of each model size on a local directory.
 *
 * @param models  the sizes
 * @param warmup  untimed write + read cycles first
 * @param repeats timed cycles
 */
record CheckpointSpec(@JsonProperty("models") List<NamedModel> models,
                      @JsonProperty("warmup") int warmup,
                      @JsonProperty("repeats") int repeats) {

    CheckpointSpec {
        if (models.isEmpty()) throw new IllegalArgumentException("--checkpoint-models: at least one model");
        if (repeats < 1) throw new IllegalArgumentException("--repeats = " + repeats + ": must be >= 1");
        if (warmup < 0) throw new IllegalArgumentException("--warmup = " + warmup + ": must be >= 0");
    }

    Map<String, Object> asMap() {
        return BenchReport.JSON.convertValue(this, new TypeReference<Map<String, Object>>() { });
    }
}
