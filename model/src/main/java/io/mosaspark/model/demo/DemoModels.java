package io.mosaspark.model.demo;

import io.mosaspark.model.config.ModelConfig;
import io.mosaspark.model.config.TrainingConfig;
import io.mosaspark.model.io.LmSafeTensors;
import io.mosaspark.model.lm.MosaLanguageModel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** The demo's one link to the LM module: build a trainable graph from a preset, export a checkpoint. */
final class DemoModels {

    private DemoModels() {
    }

    static ComputationGraph build(ModelConfig model, TrainingConfig training, DataType type) {
        return MosaLanguageModel.build(model, training, type);
    }

    static void export(ComputationGraph graph, ModelConfig model, Path file, Map<String, String> provenance) throws IOException {
        LmSafeTensors.write(file, graph, model, provenance);
    }
}
