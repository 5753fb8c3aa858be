package io.mosaspark.bench.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.mosaspark.model.config.ModelConfig;
import io.mosaspark.model.config.TrainingConfig;

/**
 * A model size a suite measures, by the name the report gives it: a preset, or {@code mid} (see
 * {@link TrainSuiteOptions#MID}).
 */
record NamedModel(@JsonProperty("name") String name,
                  @JsonProperty("model") ModelConfig model,
                  @JsonProperty("training") TrainingConfig training) {
}
