package io.mosaspark.model.attention;

import io.mosaspark.model.config.AttentionConfig;
import io.mosaspark.model.io.SafeTensors;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A graph saved by the first version of the layer (ModelSerializer zip, checked in) must keep
 * loading and computing the same output: guards the layer's JSON field names and parameter layout.
 * Regenerate only on a deliberate format change: run {@link #main} from the model module directory.
 */
class SavedLayerCompatibilityTest {

    static final Path DIR = Paths.get("src/test/resources/attention");
    static final Path MODEL = DIR.resolve("hybrid_attention_v1.zip");
    static final Path EXPECTED = DIR.resolve("hybrid_attention_v1_io.safetensors");
    static final AttentionConfig CFG = AttentionConfig.hybrid(8, 4, 1, 2, 4).withIncludeFirst(true);

    @Test
    void version1GraphLoadsAndComputesTheSameOutput() throws Exception {
        assertTrue(Files.exists(MODEL), MODEL + " is missing; it is a checked-in artifact (see class comment)");
        ComputationGraph g = ModelSerializer.restoreComputationGraph(MODEL.toFile(), false);
        assertEquals(CFG, ((HybridAttentionLayer) g.getLayer("attn_0").conf().getLayer()).attentionConfig());
        SafeTensors.Contents io = SafeTensors.read(EXPECTED);
        INDArray x = io.require("input", DataType.FLOAT, 2, 8, 8);
        INDArray expected = io.require("output", DataType.FLOAT, 2, 8, 8);
        assertEquals(0.0, g.outputSingle(x).sub(expected).amaxNumber().doubleValue(), 1e-6);
        HybridAttentionLayerImpl layer = (HybridAttentionLayerImpl) g.getLayer("attn_0");
        assertEquals(io.require("selected_indices", DataType.LONG, 2, 2, 2), layer.lastSelectedIndices());
    }

    /** Writes the artifacts (run once, from model/). */
    public static void main(String[] args) throws Exception {
        ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(2024).dataType(DataType.FLOAT)
                .graphBuilder().addInputs("in")
                .setInputTypes(InputType.recurrent(CFG.dModel(), 8, RNNFormat.NWC))
                .addLayer("attn_0", new HybridAttentionLayer(CFG, 0.3), "in")
                .setOutputs("attn_0").build());
        g.init();
        Files.createDirectories(DIR);
        ModelSerializer.writeModel(g, MODEL.toFile(), false);
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.randn(DataType.FLOAT, 2, 8, CFG.dModel());
        INDArray y = g.outputSingle(x);
        INDArray sel = ((HybridAttentionLayerImpl) g.getLayer("attn_0")).lastSelectedIndices();
        SafeTensors.write(EXPECTED, Map.of("input", x, "output", y, "selected_indices", sel),
                Map.of("made_by", "SavedLayerCompatibilityTest.main", "config", CFG.toString()));
    }
}
