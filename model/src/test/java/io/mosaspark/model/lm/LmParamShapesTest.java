package io.mosaspark.model.lm;

import io.mosaspark.model.config.AttentionConfig;
import io.mosaspark.model.config.ModelConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LmParamShapesTest {

    /** The layout a backend without the DL4J graph uses is exactly the graph's: names, order, shapes. */
    @Test
    void matchesTheGraphsFlatParameterOrderForEveryKindOfModel() {
        List<ModelConfig> models = List.of(
                MosaLanguageModelTest.HYBRID,
                new ModelConfig(12, 3, 20, 8, 1e-5, AttentionConfig.dense(8, 4, 2)),
                new ModelConfig(12, 1, 20, 8, 1e-5, AttentionConfig.hybrid(8, 4, 0, 3, 4)),
                new ModelConfig(12, 2, 20, 8, 1e-5, AttentionConfig.hybrid(8, 4, 1, 2, 2)
                        .withSelection(AttentionConfig.Selection.FIXED_STRIDE)));
        for (ModelConfig m : models) {
            ComputationGraph g = MosaLanguageModel.build(m, LmTestModels.ADAM, DataType.FLOAT);
            Map<String, INDArray> graph = MosaLanguageModel.canonicalParams(g);
            Map<String, long[]> layout = LmParamShapes.of(m);
            assertEquals(new ArrayList<>(graph.keySet()), new ArrayList<>(layout.keySet()), "order for " + m);
            long total = 0;
            for (Map.Entry<String, long[]> e : layout.entrySet()) {
                assertArrayEquals(graph.get(e.getKey()).shape(), e.getValue(), e.getKey());
                total += LmParamShapes.size(e.getValue());
            }
            assertEquals(g.numParams(), total);
        }
    }

    @Test
    void onlyMatricesDecay() {
        Map<String, long[]> s = LmParamShapes.of(MosaLanguageModelTest.HYBRID);
        assertFalse(LmParamShapes.decays(s.get("blocks.0.ln1.bias")));
        assertFalse(LmParamShapes.decays(s.get("ln_f.weight")));
        assertTrue(LmParamShapes.decays(s.get("blocks.1.attn.mosa.qkv")));
        assertTrue(LmParamShapes.decays(s.get("tok_emb.weight")));
    }
}
