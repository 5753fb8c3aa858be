package io.mosaspark.model.lm;

import io.mosaspark.model.attention.HybridAttentionLayer;
import io.mosaspark.model.config.AttentionConfig;
import io.mosaspark.model.config.TrainingConfig;
import io.mosaspark.model.config.TrainingConfig.Clip;
import io.mosaspark.model.nn.MseLoss;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.listeners.CollectScoresListener;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.File;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The paper's clipping is the default and reaches every training path: a graph built from the default
 * config clips the global gradient norm; a restored one does after {@link MosaLanguageModel#prepareForTraining}.
 * Plain SGD at learning rate 1 makes a step equal to minus the (clipped) gradient, so the step shows
 * what the updater received.
 */
class GradientClippingTest {

    /** The default config's clipping (global, 0.25) on plain SGD at rate 1. */
    static final TrainingConfig SGD = TrainingConfig.PAPER.withOptimizer(TrainingConfig.Optimizer.SGD).withLearningRate(1.0)
            .withSchedule(TrainingConfig.Schedule.CONSTANT, 0).withSeed(42);
    static final double THRESHOLD = TrainingConfig.PAPER.gradClip();

    private static MultiDataSet batch() {
        return new MultiDataSet(LmTestModels.tokens(1, 2, 8, 10, DataType.DOUBLE), LmTestModels.tokens(2, 2, 8, 10, DataType.DOUBLE));
    }

    /** The gradient the next step of {@code g} on {@code d} starts from, before clipping. */
    private static INDArray rawGradient(ComputationGraph g, MultiDataSet d) {
        g.setInputs(d.getFeatures());
        g.setLabels(d.getLabels());
        g.computeGradientAndScore();
        return g.gradient().gradient().dup();
    }

    /** θ_before − θ_after of one fit. */
    private static INDArray step(ComputationGraph g, MultiDataSet d) {
        INDArray before = g.params().dup();
        g.fit(d);
        return before.sub(g.params());
    }

    @Test
    void theDefaultConfigClipsTheGlobalNormAtAQuarter() {
        assertEquals(Clip.GLOBAL, TrainingConfig.PAPER.clip());
        assertEquals(0.25, THRESHOLD);
        ComputationGraph g = MosaLanguageModel.build(LmTestModels.tinyDense(), SGD, DataType.DOUBLE);
        MultiDataSet d = batch();
        INDArray raw = rawGradient(g, d);
        double norm = raw.norm2Number().doubleValue();
        assertTrue(norm > 2 * THRESHOLD, "the test needs a raw gradient above the threshold, got " + norm);

        INDArray step = step(g, d);
        assertEquals(THRESHOLD, step.norm2Number().doubleValue(), 1e-12, "global norm after clipping");
        assertTrue(step.equalsWithEps(raw.mul(THRESHOLD / norm), 1e-12), "one factor for every parameter");
        for (Layer layer : g.getLayers()) {
            assertEquals(GradientNormalization.None, layer.conf().getLayer().getGradientNormalization(), "no per-layer clipping too");
        }
    }

    @Test
    void perLayerClippingBoundsEachLayerNotTheWhole() {
        ComputationGraph g = MosaLanguageModel.build(LmTestModels.tinyDense(), SGD.withClipping(Clip.PER_LAYER, THRESHOLD),
                DataType.DOUBLE);
        assertTrue(g.getListeners().stream().noneMatch(l -> l instanceof GlobalNormClipping));
        java.util.Map<String, INDArray> before = new java.util.LinkedHashMap<>();
        for (Layer layer : g.getLayers()) if (layer.numParams() > 0) before.put(layer.conf().getLayer().getLayerName(), layer.params().dup());
        INDArray step = step(g, batch());
        // several layers each at (up to) the threshold: the whole step is longer than one threshold
        assertTrue(step.norm2Number().doubleValue() > 1.5 * THRESHOLD, "norm " + step.norm2Number());
        for (Layer layer : g.getLayers()) {
            INDArray was = before.get(layer.conf().getLayer().getLayerName());
            if (was == null) continue;
            double layerNorm = was.sub(layer.params()).norm2Number().doubleValue();
            assertTrue(layerNorm <= THRESHOLD + 1e-12, layer.conf().getLayer().getLayerName() + ": " + layerNorm);
        }
    }

    /** With one parameterised layer the global norm is that layer's norm: both kinds take the same step. */
    @Test
    void globalEqualsPerLayerForASingleLayer() {
        INDArray global = step(prepared(singleLayer(), SGD), oneLayerBatch());
        INDArray perLayer = step(prepared(singleLayer(), SGD.withClipping(Clip.PER_LAYER, THRESHOLD)), oneLayerBatch());
        assertEquals(THRESHOLD, global.norm2Number().doubleValue(), 1e-12);
        assertTrue(global.equalsWithEps(perLayer, 1e-12), "global " + global + " vs per layer " + perLayer);
    }

    @Test
    void aRestoredGraphClipsOnlyAfterPrepareForTraining(@TempDir Path dir) throws Exception {
        ComputationGraph original = MosaLanguageModel.build(LmTestModels.tinyDense(), SGD, DataType.DOUBLE);
        File f = dir.resolve("g.zip").toFile();
        ModelSerializer.writeModel(original, f, true);
        MultiDataSet d = batch();
        INDArray raw = rawGradient(original, d);
        INDArray clipped = step(original, d);

        ComputationGraph restored = ModelSerializer.restoreComputationGraph(f, true);
        assertTrue(restored.getListeners() == null || restored.getListeners().isEmpty(), "DL4J saves no listeners");
        assertTrue(step(restored, d).equalsWithEps(raw, 1e-12), "without prepareForTraining the step is unclipped");

        ComputationGraph again = MosaLanguageModel.prepareForTraining(ModelSerializer.restoreComputationGraph(f, true), SGD);
        assertTrue(step(again, d).equalsWithEps(clipped, 1e-12), "after it, the same clipped step as before saving");
    }

    @Test
    void prepareForTrainingIsIdempotentKeepsOtherListenersAndSwitchesKinds() {
        ComputationGraph g = MosaLanguageModel.build(LmTestModels.tinyDense(), SGD, DataType.DOUBLE);
        CollectScoresListener scores = new CollectScoresListener(1);
        g.addListeners(scores);
        MosaLanguageModel.prepareForTraining(g, SGD);
        assertEquals(2, g.getListeners().size());
        assertTrue(g.getListeners().iterator().next() instanceof GlobalNormClipping, "clipping runs before the other listeners");
        assertTrue(g.getListeners().contains(scores));

        MosaLanguageModel.prepareForTraining(g, SGD.withClipping(Clip.PER_LAYER, 0.5));
        assertEquals(1, g.getListeners().size());
        for (Layer layer : g.getLayers()) {
            assertEquals(GradientNormalization.ClipL2PerLayer, layer.conf().getLayer().getGradientNormalization());
            assertEquals(0.5, layer.conf().getLayer().getGradientNormalizationThreshold());
        }
        assertTrue(g.getConfiguration().toJson().contains("ClipL2PerLayer"), "a checkpoint saves the kind now in use");

        MosaLanguageModel.prepareForTraining(g, SGD.withGradClip(0));
        assertEquals(1, g.getListeners().size(), "no clipping: no clipping listener");
        assertFalse(g.getConfiguration().toJson().contains("ClipL2PerLayer"));
        INDArray raw = rawGradient(g, batch());
        assertTrue(step(g, batch()).equalsWithEps(raw, 1e-12), "grad_clip 0 leaves the gradient alone");
    }

    private static ComputationGraph singleLayer() {
        AttentionConfig a = AttentionConfig.hybrid(4, 4, 1, 2, 2);
        ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE)
                .miniBatch(false).updater(TrainingSetup.updater(SGD)).graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.recurrent(4, 6, RNNFormat.NWC))
                .addLayer("attn_0", new HybridAttentionLayer(a, 0.5), "in")
                .addLayer("loss", new MseLoss(), "attn_0")
                .setOutputs("loss")
                .build());
        g.init();
        return g;
    }

    private static ComputationGraph prepared(ComputationGraph g, TrainingConfig t) {
        return MosaLanguageModel.prepareForTraining(g, t);
    }

    private static MultiDataSet oneLayerBatch() {
        Nd4j.getRandom().setSeed(9);
        return new MultiDataSet(Nd4j.randn(DataType.DOUBLE, 2, 6, 4).muli(3), Nd4j.randn(DataType.DOUBLE, 2, 6, 4).muli(3));
    }
}
