package io.mosaspark.model.attention;

import io.mosaspark.model.config.AttentionConfig;
import io.mosaspark.model.config.AttentionConfig.Selection;
import io.mosaspark.model.nn.MseLoss;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The layer inside a DL4J ComputationGraph: gradients, training, listeners, serialisation. */
class HybridAttentionLayerTest {

    private static final int B = 2, T = 8, H = 8;
    private static DataType savedDefault, savedFloat;

    @BeforeAll
    static void doublePrecisionContext() {
        savedDefault = Nd4j.dataType();
        savedFloat = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE); // GradientCheckUtil requires it
    }

    @AfterAll
    static void restoreContext() {
        Nd4j.setDefaultDataTypes(savedDefault, savedFloat);
    }

    static ComputationGraph graph(AttentionConfig cfg, DataType dt, IUpdater updater, double initStd) {
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder().seed(11).dataType(dt).updater(updater);
        if (!(updater instanceof NoOp)) b.gradientNormalization(GradientNormalization.ClipL2PerLayer).gradientNormalizationThreshold(1.0);
        ComputationGraphConfiguration conf = b.graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.recurrent(cfg.dModel(), T, RNNFormat.NWC))
                .addLayer("attn_0", new HybridAttentionLayer(cfg, initStd), "in")
                .addLayer("loss", new MseLoss(), "attn_0")
                .setOutputs("loss")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    static MultiDataSet data(DataType dt, long seed) {
        return data(dt, seed, H);
    }

    static MultiDataSet data(DataType dt, long seed, int width) {
        Nd4j.getRandom().setSeed(seed);
        return new MultiDataSet(Nd4j.randn(dt, B, T, width), Nd4j.randn(dt, B, T, width));
    }

    /** Width 4 keeps the finite-difference check (two graph passes per parameter) quick. */
    static Stream<Arguments> configs() {
        int w = 4;
        return Stream.of(
                Arguments.of("dense only", AttentionConfig.dense(w, 4, 2)),
                Arguments.of("MoSA only", AttentionConfig.hybrid(w, 4, 0, 3, 2)),
                Arguments.of("hybrid, include_first", AttentionConfig.hybrid(w, 4, 1, 2, 4).withIncludeFirst(true)),
                Arguments.of("fixed stride", AttentionConfig.hybrid(w, 4, 1, 2, 4).withSelection(Selection.FIXED_STRIDE)));
    }

    /**
     * DL4J's finite-difference check over every parameter. The router scores of these seeds are
     * separated by far more than the 1e-6 perturbation, so no top-k selection flips.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void gradientCheckPasses(String name, AttentionConfig cfg) {
        ComputationGraph g = graph(cfg, DataType.DOUBLE, new NoOp(), 0.5);
        MultiDataSet d = data(DataType.DOUBLE, 5, cfg.dModel());
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g)
                .inputs(d.getFeatures()).labels(d.getLabels())
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9));
        assertTrue(ok, name + ": gradient check failed (see log)");
    }

    @Test
    void paramsAreCanonicalViewsAndSelectionIsVisibleToListeners() {
        AttentionConfig cfg = AttentionConfig.hybrid(H, 4, 1, 2, 4);
        ComputationGraph g = graph(cfg, DataType.FLOAT, new Adam(1e-2), 0.3);
        assertArrayEquals(new long[]{2, H, 12}, g.getLayer("attn_0").getParam(AttentionParams.MOSA_QKV).shape());
        assertArrayEquals(new long[]{H, 4}, g.getLayer("attn_0").getParam(AttentionParams.DENSE_O).shape());
        assertEquals(12 * H + H * 4 + 2 * H + 2 * H * 12 + 2 * 4 * H, g.numParams());

        List<INDArray> seen = new ArrayList<>();
        TrainingListener spy = new BaseTrainingListener() {
            @Override
            public void iterationDone(org.deeplearning4j.nn.api.Model model, int iteration, int epoch) {
                seen.add(((HybridAttentionLayerImpl) ((ComputationGraph) model).getLayer("attn_0")).lastSelectedIndices());
            }
        };
        g.setListeners(spy);
        MultiDataSet d = data(DataType.FLOAT, 2);
        double before = g.score(d);
        for (int i = 0; i < 30; i++) g.fit(d);
        assertTrue(g.score(d) < before, "loss did not fall: " + before + " -> " + g.score(d));
        assertEquals(30, seen.size());
        INDArray last = seen.get(seen.size() - 1);
        assertArrayEquals(new long[]{B, 2, 2}, last.shape());                     // k = T / ρ = 2
        assertTrue(last.minNumber().longValue() >= 0 && last.maxNumber().longValue() < T, last.toString());
    }

    @Test
    void modelSerializerRoundTripGivesIdenticalOutputAndTraining(@TempDir Path dir) throws Exception {
        AttentionConfig cfg = AttentionConfig.hybrid(H, 4, 1, 3, 2).withIncludeFirst(true);
        ComputationGraph g = graph(cfg, DataType.FLOAT, new Adam(1e-2), 0.3);
        for (int i = 0; i < 2; i++) g.fit(data(DataType.FLOAT, 20 + i));
        File f = dir.resolve("attn.zip").toFile();
        ModelSerializer.writeModel(g, f, true);
        ComputationGraph r = ModelSerializer.restoreComputationGraph(f, true);

        assertEquals(g.getConfiguration(), r.getConfiguration());
        HybridAttentionLayer restored = (HybridAttentionLayer) r.getLayer("attn_0").conf().getLayer();
        assertEquals(cfg, restored.attentionConfig());
        INDArray x = data(DataType.FLOAT, 99).getFeatures(0);
        assertEquals(g.outputSingle(x), r.outputSingle(x));
        MultiDataSet next = data(DataType.FLOAT, 30);
        g.fit(next);
        r.fit(next);
        assertEquals(g.params(), r.params());
    }

    @Test
    void graphRefusesAMismatchedInputWidthAtBuildTime() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
                        .setInputTypes(InputType.recurrent(6, T, RNNFormat.NWC))
                        .addLayer("attn_0", new HybridAttentionLayer(AttentionConfig.dense(H, 4, 2)), "in")
                        .addLayer("loss", new MseLoss(), "attn_0")
                        .setOutputs("loss").build());
        assertTrue(e.getMessage().contains("'attn_0'") && e.getMessage().contains("feature size 6"), e.getMessage());
    }
}
