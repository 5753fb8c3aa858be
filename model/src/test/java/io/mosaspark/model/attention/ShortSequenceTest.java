package io.mosaspark.model.attention;

import io.mosaspark.model.config.AttentionConfig;
import io.mosaspark.model.config.AttentionConfig.Selection;
import io.mosaspark.model.nn.MseLoss;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inputs shorter than the sparsity (a short prompt during generation): k = clamp(⌊T/ρ⌋, 2, T) from
 * the T given, so ρ > T keeps 2 tokens per sparse head (1 when T = 1), for every kind of selection.
 * {@link NaiveReferenceTest} compares the same lengths with the plain reference, gradients included.
 */
class ShortSequenceTest {

    private static final int RHO = 8;
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

    static Stream<Arguments> selections() {
        return Stream.of(
                Arguments.of("expert choice", new AttentionConfig(8, 4, 1, 3, RHO, false, 0.5, 10000, Selection.EXPERT_CHOICE)),
                Arguments.of("include_first", new AttentionConfig(8, 4, 1, 3, RHO, true, 0.5, 10000, Selection.EXPERT_CHOICE)),
                Arguments.of("fixed stride", new AttentionConfig(8, 4, 1, 3, RHO, false, 0.5, 10000, Selection.FIXED_STRIDE)));
    }

    private static AttentionParams params(AttentionConfig cfg, long seed) {
        Nd4j.getRandom().setSeed(seed);
        Map<String, INDArray> m = new LinkedHashMap<>();
        AttentionParams.shapes(cfg).forEach((n, s) -> m.put(n, Nd4j.randn(DataType.DOUBLE, s).muli(0.5)));
        return AttentionParams.fromMap(m);
    }

    @Test
    void kIsTheClampOfTOverRhoForEveryLength() {
        AttentionConfig a = AttentionConfig.hybrid(8, 4, 1, 2, RHO);
        // T:                1  2  3  7  8  15  16  17  64
        int[] lengths = {1, 2, 3, 7, 8, 15, 16, 17, 64};
        int[] expected = {1, 2, 2, 2, 2, 2, 2, 2, 8};
        for (int i = 0; i < lengths.length; i++) assertEquals(expected[i], a.selectedTokens(lengths[i]), "T = " + lengths[i]);
        assertEquals(1, AttentionConfig.hybrid(8, 4, 1, 2, 1).selectedTokens(1), "ρ = 1 keeps every token");
        assertEquals(5, AttentionConfig.hybrid(8, 4, 1, 2, 1).selectedTokens(5));
        assertEquals(2, AttentionConfig.hybrid(8, 4, 1, 2, 4096).selectedTokens(1024), "ρ may exceed T");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("selections")
    void forwardAndBackwardRunAndSelectMinOf2AndT(String name, AttentionConfig cfg) {
        for (int seqLen : new int[]{1, 2, 3, 5}) {
            AttentionParams p = params(cfg, seqLen);
            INDArray x = Nd4j.randn(DataType.DOUBLE, 2, seqLen, 8);
            HybridAttention layer = new HybridAttention(cfg);
            HybridAttention.Forward f = layer.forward(x, p);
            long k = Math.min(2, seqLen);
            assertArrayEquals(new long[]{2, 3, k}, f.cache().selectedIndices().shape(), name + ", T = " + seqLen);
            INDArray sel = f.cache().selectedIndices();
            for (long[] row : rows(sel)) {
                assertTrue(row[row.length - 1] < seqLen && (row.length < 2 || row[0] < row[1]), name + ": " + List.of(row));
                if (cfg.includeFirst() || cfg.selection() == Selection.FIXED_STRIDE) assertEquals(0, row[0], name);
                // ρ > T: the fixed stride shrinks to T − 1, so the head keeps the first and the last token
                if (cfg.selection() == Selection.FIXED_STRIDE && k == 2) assertEquals(seqLen - 1, row[1], name);
            }
            HybridAttention.Gradients g = layer.backward(f.cache(), Nd4j.randn(DataType.DOUBLE, 2, seqLen, 8), p);
            assertArrayEquals(x.shape(), g.inputGrad().shape());
            assertTrue(Double.isFinite(g.inputGrad().sumNumber().doubleValue()), name + ": input gradient");
            g.paramGrads().toMap().forEach((n, a) -> assertTrue(Double.isFinite(a.norm2Number().doubleValue()), name + ": " + n));
        }
    }

    /**
     * One token: every head attends to itself alone (softmax over one score is 1), so a dense head
     * gives v·W_o and a sparse head σ(x·w_r)·v·W_o (score 1 for the fixed stride), whatever RoPE does.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("selections")
    void oneTokenOutputIsTheDirectComputation(String name, AttentionConfig cfg) {
        AttentionParams p = params(cfg, 3);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 2, 1, 8);
        INDArray x2 = x.reshape(2, 8);                                                     // [B, h]
        int hd = cfg.headDim();
        INDArray expected = Nd4j.zeros(DataType.DOUBLE, 2, 8);
        for (int e = 0; e < cfg.denseHeads(); e++) {
            INDArray wv = p.denseQkv().get(NDArrayIndex.interval(e * 3L * hd + 2L * hd, (e + 1) * 3L * hd), NDArrayIndex.all()); // [h′, h]
            INDArray wo = p.denseO().get(NDArrayIndex.all(), NDArrayIndex.interval((long) e * hd, (e + 1L) * hd));          // [h, h′]
            expected.addi(x2.mmul(wv.transpose()).mmul(wo.transpose()));
        }
        for (int e = 0; e < cfg.mosaHeads(); e++) {
            INDArray wv = p.mosaQkv().slice(e).get(NDArrayIndex.all(), NDArrayIndex.interval(2L * hd, 3L * hd));      // [h, h′]
            INDArray y = x2.mmul(wv).mmul(p.mosaO().slice(e));                                                        // [B, h]
            if (p.router() != null) {
                INDArray r = Transforms.sigmoid(x2.mmul(p.router().getRow(e).reshape(8, 1)));                         // [B, 1]
                y.muliColumnVector(r);
            }
            expected.addi(y);
        }
        INDArray out = new HybridAttention(cfg).forward(x, p).output().reshape(2, 8);
        assertTrue(out.equalsWithEps(expected, 1e-12), name + ": " + out + " vs " + expected);
    }

    /** DL4J's finite-difference check of the layer in a graph, at lengths below ρ. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("selections")
    void gradientCheckPassesBelowTheSparsity(String name, AttentionConfig cfg) {
        AttentionConfig narrow = new AttentionConfig(4, 4, 1, 2, RHO, cfg.includeFirst(), 0.5, 10000, cfg.selection());
        for (int seqLen : new int[]{1, 2, 3}) {
            ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(11).dataType(DataType.DOUBLE)
                    .updater(new NoOp()).graphBuilder()
                    .addInputs("in")
                    .setInputTypes(InputType.recurrent(4, seqLen, RNNFormat.NWC))
                    .addLayer("attn_0", new HybridAttentionLayer(narrow, 0.5), "in")
                    .addLayer("loss", new MseLoss(), "attn_0")
                    .setOutputs("loss")
                    .build();
            ComputationGraph g = new ComputationGraph(conf);
            g.init();
            Nd4j.getRandom().setSeed(5);
            INDArray in = Nd4j.randn(DataType.DOUBLE, 2, seqLen, 4), labels = Nd4j.randn(DataType.DOUBLE, 2, seqLen, 4);
            boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g)
                    .inputs(new INDArray[]{in}).labels(new INDArray[]{labels})
                    .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9));
            assertTrue(ok, name + ", T = " + seqLen + ": gradient check failed (see log)");
        }
    }

    private static long[][] rows(INDArray selected) {
        long b = selected.size(0), heads = selected.size(1), k = selected.size(2);
        long[] flat = selected.dup('c').data().asLong();
        long[][] out = new long[(int) (b * heads)][(int) k];
        for (int r = 0; r < out.length; r++) System.arraycopy(flat, (int) (r * k), out[r], 0, (int) k);
        return out;
    }
}
