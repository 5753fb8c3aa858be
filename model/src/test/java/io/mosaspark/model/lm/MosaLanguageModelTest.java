package io.mosaspark.model.lm;

import io.mosaspark.model.config.AttentionConfig;
import io.mosaspark.model.config.ModelConfig;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.listeners.CollectScoresListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.*;

class MosaLanguageModelTest {

    /** 2 blocks, 1 dense + 2 MoSA heads (ρ 2), V 10, h 8, T 8. */
    static final ModelConfig HYBRID = new ModelConfig(10, 2, 16, 8, 1e-5, AttentionConfig.hybrid(8, 4, 1, 2, 2));

    @Test
    void parametersCarryTheSpecsCanonicalNamesAndShapes() {
        ComputationGraph g = MosaLanguageModel.build(HYBRID, LmTestModels.ADAM, DataType.FLOAT);
        Map<String, INDArray> p = MosaLanguageModel.canonicalParams(g);
        Set<String> expected = new TreeSet<>(List.of("tok_emb.weight", "lm_head.weight", "ln_f.weight", "ln_f.bias"));
        for (int i = 0; i < 2; i++) {
            for (String s : List.of("ln1.weight", "ln1.bias", "ln2.weight", "ln2.bias", "attn.dense.qkv.weight",
                    "attn.dense.o.weight", "attn.mosa.router.weight", "attn.mosa.qkv", "attn.mosa.o",
                    "mlp.fc1.weight", "mlp.fc2.weight")) {
                expected.add("blocks." + i + "." + s);
            }
        }
        assertEquals(expected, new TreeSet<>(p.keySet()));
        assertArrayEquals(new long[]{10, 8}, p.get("tok_emb.weight").shape());
        assertArrayEquals(new long[]{16, 8}, p.get("blocks.1.mlp.fc1.weight").shape());
        assertArrayEquals(new long[]{2, 8, 12}, p.get("blocks.0.attn.mosa.qkv").shape());
        assertEquals(1.0, p.get("blocks.0.ln1.weight").meanNumber().doubleValue());
        assertEquals(DataType.FLOAT, g.params().dataType());
        assertNotNull(g.getLayer("attn_1"), "listeners find attention layers by name");
    }

    @Test
    void float64IsSelectableAndSeedDeterminesInit() {
        ComputationGraph a = MosaLanguageModel.build(HYBRID, LmTestModels.ADAM, DataType.DOUBLE);
        ComputationGraph b = MosaLanguageModel.build(HYBRID, LmTestModels.ADAM, DataType.DOUBLE);
        ComputationGraph c = MosaLanguageModel.build(HYBRID, LmTestModels.ADAM.withSeed(43), DataType.DOUBLE);
        assertEquals(DataType.DOUBLE, a.params().dataType());
        assertEquals(a.params(), b.params());
        assertNotEquals(a.params(), c.params());
        assertThrows(IllegalArgumentException.class, () -> MosaLanguageModel.build(HYBRID, LmTestModels.ADAM, DataType.HALF));
    }

    @Test
    void learnsARepeatedBatchInFloat() {
        ComputationGraph g = MosaLanguageModel.build(HYBRID, LmTestModels.ADAM.withLearningRate(1e-2), DataType.FLOAT);
        CollectScoresListener scores = new CollectScoresListener(1);
        g.addListeners(scores); // setListeners would drop the clipping listener
        MultiDataSet batch = NextTokenBatch.of(LmTestModels.tokens(5, 4, 9, 10, DataType.FLOAT), DataType.FLOAT);
        for (int i = 0; i < 40; i++) g.fit(batch);
        double first = scores.getListScore().getDouble(0), last = scores.getListScore().getDouble(39);
        assertEquals(Math.log(10), first, 0.1, "untrained loss is about ln V");
        assertTrue(last < 0.5 * first, "loss did not fall: " + first + " -> " + last);
    }

    @Test
    void trainingReleasesItsCachesButNotWhatTheCallerHolds() {
        // Layers free their forward caches after backward (and the head builds dL/dlogits in its logits'
        // buffer): an output handed out earlier must survive that, and the score DL4J reads after backward
        // must be the loss of that step's forward pass.
        ComputationGraph g = MosaLanguageModel.build(HYBRID, LmTestModels.ADAM, DataType.DOUBLE);
        MultiDataSet batch = NextTokenBatch.of(LmTestModels.tokens(7, 2, 9, 10, DataType.DOUBLE), DataType.DOUBLE);
        INDArray logits = g.outputSingle(batch.getFeatures(0));
        INDArray logitsCopy = logits.dup();
        double scoreByForward = g.score(batch);
        g.setInputs(batch.getFeatures());
        g.setLabels(batch.getLabels());
        g.computeGradientAndScore();
        assertEquals(scoreByForward, g.score(), 1e-12);
        g.computeGradientAndScore();                       // again, on released caches: same gradient and score
        assertEquals(scoreByForward, g.score(), 1e-12);
        assertEquals(logitsCopy, logits, "a training step changed an output the caller holds");
        g.fit(batch);
        assertEquals(logitsCopy, logits, "a training step changed an output the caller holds");
    }

    @Test
    void sequenceLengthMayChangeBetweenCalls() {
        ComputationGraph g = MosaLanguageModel.build(HYBRID, LmTestModels.ADAM, DataType.DOUBLE);
        INDArray x8 = LmTestModels.tokens(1, 2, 8, 10, DataType.DOUBLE);
        INDArray x6 = x8.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 6)).dup();
        g.outputSingle(x8);
        INDArray out6 = g.outputSingle(x6);
        assertArrayEquals(new long[]{2, 6, 10}, out6.shape());
        ComputationGraph fresh = MosaLanguageModel.build(HYBRID, LmTestModels.ADAM, DataType.DOUBLE);
        assertEquals(fresh.outputSingle(x6), out6, "no state left from the longer call");
    }

    @Test
    void nextTokenBatchShiftsTargetsByOne() {
        INDArray w = org.nd4j.linalg.factory.Nd4j.createFromArray(new long[][]{{1, 2, 3, 4}, {5, 6, 7, 8}});
        MultiDataSet d = NextTokenBatch.of(w, DataType.FLOAT);
        assertEquals(org.nd4j.linalg.factory.Nd4j.createFromArray(new float[][]{{1, 2, 3}, {5, 6, 7}}), d.getFeatures(0));
        assertEquals(org.nd4j.linalg.factory.Nd4j.createFromArray(new float[][]{{2, 3, 4}, {6, 7, 8}}), d.getLabels(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NextTokenBatch.of(org.nd4j.linalg.factory.Nd4j.zeros(DataType.LONG, 2, 1), DataType.FLOAT));
        assertTrue(e.getMessage().contains("[2, 1]"), e.getMessage());
    }

    @Test
    void weightDecayAppliesToMatricesOnly() {
        ComputationGraphConfiguration c = MosaLanguageModel.configuration(HYBRID, LmTestModels.ADAM.withWeightDecay(0.1), DataType.FLOAT);
        java.util.function.Function<String, org.deeplearning4j.nn.conf.layers.Layer> layer = name ->
                ((org.deeplearning4j.nn.conf.graph.LayerVertex) c.getVertices().get(name)).getLayerConf().getLayer();
        assertFalse(layer.apply(LmNames.mlp(0)).getRegularizationByParam(Mlp.FC1).isEmpty());
        assertFalse(layer.apply(LmNames.EMBEDDING).getRegularizationByParam(TokenEmbedding.WEIGHT).isEmpty());
        assertTrue(layer.apply(LmNames.ln1(0)).getRegularizationByParam(LayerNorm.WEIGHT).isEmpty());
        assertTrue(layer.apply(LmNames.FINAL_NORM).getRegularizationByParam(LayerNorm.BIAS).isEmpty());
    }

    @Test
    void configurationSurvivesJson() {
        ComputationGraphConfiguration c = MosaLanguageModel.configuration(HYBRID, LmTestModels.ADAM, DataType.FLOAT);
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(c.toJson());
        assertEquals(c.toJson(), back.toJson());
        assertEquals(c, back);
        assertNotEquals(c, MosaLanguageModel.configuration(HYBRID.withVocabSize(11), LmTestModels.ADAM, DataType.FLOAT),
                "layer configurations compare their own fields");
        assertNotEquals(new LayerNorm(8, 1e-5), new LayerNorm(8, 1e-6));
        assertNotEquals(new Mlp(8, 16), new Mlp(8, 32));
    }

    // ---- invalid input ----

    private static IllegalArgumentException refused(INDArray input, INDArray labels) {
        ComputationGraph g = MosaLanguageModel.build(HYBRID, LmTestModels.ADAM, DataType.FLOAT);
        List<Throwable> seen = new ArrayList<>();
        Throwable t = assertThrows(Throwable.class, () -> {
            if (labels == null) g.outputSingle(input);
            else g.fit(new MultiDataSet(input, labels));
        });
        while (t != null && !(t instanceof IllegalArgumentException)) {
            seen.add(t);
            t = t.getCause();
        }
        assertNotNull(t, "expected an IllegalArgumentException, got " + seen);
        return (IllegalArgumentException) t;
    }

    @Test
    void refusesTokenIdsOutsideTheVocabulary() {
        INDArray x = LmTestModels.tokens(1, 2, 8, 10, DataType.FLOAT);
        x.putScalar(1, 3, 12);
        String m = refused(x, null).getMessage();
        assertTrue(m.contains("tok_emb") && m.contains("vocab_size = 10") && m.contains("12") && m.contains("[1, 3]"), m);
        x.putScalar(1, 3, -1);
        assertTrue(refused(x, null).getMessage().contains("-1"));
        x.putScalar(1, 3, 2.5);
        assertTrue(refused(x, null).getMessage().contains("whole numbers"));
    }

    @Test
    void refusesInputsOfTheWrongRank() {
        String m = refused(Nd4j.zeros(DataType.FLOAT, 2, 8, 1), null).getMessage();
        assertTrue(m.contains("[batch, seq_len]") && m.contains("[2, 8, 1]"), m);
    }

    @Test
    void refusesLabelsThatDoNotMatchTheInput() {
        INDArray x = LmTestModels.tokens(1, 2, 8, 10, DataType.FLOAT);
        String m = refused(x, Nd4j.zeros(DataType.FLOAT, 2, 7)).getMessage();
        assertTrue(m.contains("lm_head") && m.contains("[2, 8]") && m.contains("[2, 7]"), m);
        m = refused(x, Nd4j.zeros(DataType.FLOAT, 2, 8, 10)).getMessage();
        assertTrue(m.contains("target ids [batch, seq_len]"), m);
        m = refused(x, Nd4j.zeros(DataType.FLOAT, 2, 8).addi(10)).getMessage();
        assertTrue(m.contains("target ids") && m.contains("vocab_size = 10"), m);
    }

    @Test
    void promptsShorterThanTheSparsityRunForwardAndBackward() {
        ModelConfig rho4 = HYBRID.withAttention(AttentionConfig.hybrid(8, 4, 1, 2, 4));
        ComputationGraph g = MosaLanguageModel.build(rho4, LmTestModels.ADAM, DataType.DOUBLE);
        for (int t = 1; t <= 3; t++) {
            INDArray tokens = LmTestModels.tokens(t, 2, t + 1, 10, DataType.DOUBLE);
            assertArrayEquals(new long[]{2, t, 10}, g.outputSingle(tokens.get(NDArrayIndex.all(), NDArrayIndex.interval(0, t))).shape());
            MultiDataSet batch = NextTokenBatch.of(tokens, DataType.DOUBLE);
            g.setInputs(batch.getFeatures());
            g.setLabels(batch.getLabels());
            g.computeGradientAndScore();
            assertTrue(Double.isFinite(g.score()) && g.gradient().gradient().norm2Number().doubleValue() > 0, "T = " + t);
        }
    }

    /**
     * Generation runs the whole prefix each step; k follows the prefix's length, from 1 token up.
     * With include_first, position 0 is selected by every head at every length and sees only itself,
     * so its logits do not depend on the prefix length; without it they may (top-k over a prefix is
     * not the top-k over the whole sequence, see docs/model.md).
     */
    @Test
    void greedyGenerationFromAOneTokenPrompt() {
        ModelConfig withFirst = HYBRID.withAttention(AttentionConfig.hybrid(8, 4, 1, 2, 4).withIncludeFirst(true));
        ComputationGraph g = MosaLanguageModel.build(withFirst, LmTestModels.ADAM, DataType.DOUBLE);
        INDArray prefix = Nd4j.createFromArray(new double[][]{{3}});                             // [1, 1]
        INDArray firstLogits = g.outputSingle(prefix).get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()).dup();
        while (prefix.size(1) < 8) {
            INDArray logits = g.outputSingle(prefix);                                           // [1, t, V]
            long t = prefix.size(1);
            INDArray last = logits.get(NDArrayIndex.all(), NDArrayIndex.point(t - 1), NDArrayIndex.all());
            double next = last.argMax(1).getDouble(0);
            assertTrue(logits.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()).equalsWithEps(firstLogits, 1e-12),
                    "position 0 at prefix length " + t);
            prefix = Nd4j.concat(1, prefix, Nd4j.createFromArray(new double[][]{{next}}));
        }
        assertArrayEquals(new long[]{1, 8}, prefix.shape());
    }
}
