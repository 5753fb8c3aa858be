package io.mosaspark.model.attention;

import io.mosaspark.model.config.AttentionConfig;
import io.mosaspark.model.config.AttentionConfig.Selection;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The batched layer against {@link NaiveAttention}: outputs and selections equal, and every
 * gradient equal to central finite differences of the naive layer. Covers what the parity files do
 * not: fixed-stride selection, odd rotate width, several heads choosing one token (scatter-add
 * must accumulate), and inputs shorter than the sparsity (T = 1, 2, 3 with ρ = 8).
 */
class NaiveReferenceTest {

    static Stream<Arguments> configs() {
        return Stream.of(
                // hybrid, include_first, h′ = 6 so n_rot = floor(3) − 1 = 2
                Arguments.of("hybrid+include_first", new AttentionConfig(8, 6, 2, 3, 4, true, 0.5, 10000, Selection.EXPERT_CHOICE), 16),
                Arguments.of("fixed stride", new AttentionConfig(8, 6, 2, 3, 4, false, 0.5, 10000, Selection.FIXED_STRIDE), 16),
                // 6 heads each taking half of 12 tokens: many tokens are chosen by several heads
                Arguments.of("pure MoSA, overlapping", new AttentionConfig(8, 4, 0, 6, 2, false, 1.0, 500, Selection.EXPERT_CHOICE), 12),
                // inputs shorter than ρ = 8 (a short prompt): k = min(2, T)
                Arguments.of("hybrid, T = 3 < ρ", new AttentionConfig(8, 6, 2, 3, 8, false, 0.5, 10000, Selection.EXPERT_CHOICE), 3),
                Arguments.of("include_first, T = 3 < ρ", new AttentionConfig(8, 6, 1, 3, 8, true, 0.5, 10000, Selection.EXPERT_CHOICE), 3),
                Arguments.of("fixed stride, T = 3 < ρ", new AttentionConfig(8, 6, 1, 3, 8, false, 0.5, 10000, Selection.FIXED_STRIDE), 3),
                Arguments.of("hybrid, T = 2", new AttentionConfig(8, 6, 2, 3, 8, false, 0.5, 10000, Selection.EXPERT_CHOICE), 2),
                Arguments.of("include_first, T = 2", new AttentionConfig(8, 6, 1, 3, 8, true, 0.5, 10000, Selection.EXPERT_CHOICE), 2),
                Arguments.of("hybrid, T = 1", new AttentionConfig(8, 6, 2, 3, 8, false, 0.5, 10000, Selection.EXPERT_CHOICE), 1),
                Arguments.of("include_first, T = 1", new AttentionConfig(8, 6, 1, 3, 8, true, 0.5, 10000, Selection.EXPERT_CHOICE), 1),
                Arguments.of("fixed stride, T = 1", new AttentionConfig(8, 6, 1, 3, 8, false, 0.5, 10000, Selection.FIXED_STRIDE), 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void batchedEqualsNaiveIncludingGradients(String name, AttentionConfig cfg, int seqLen) {
        int batch = 2;
        Nd4j.getRandom().setSeed(42);
        Map<String, INDArray> params = new LinkedHashMap<>();
        AttentionParams.shapes(cfg).forEach((n, s) -> params.put(n, Nd4j.randn(DataType.DOUBLE, s).muli(0.5)));
        AttentionParams p = AttentionParams.fromMap(params);
        INDArray x = Nd4j.randn(DataType.DOUBLE, batch, seqLen, cfg.dModel());
        INDArray g = Nd4j.randn(DataType.DOUBLE, batch, seqLen, cfg.dModel());

        HybridAttention layer = new HybridAttention(cfg);
        HybridAttention.Forward fwd = layer.forward(x, p);
        HybridAttention.Gradients grads = layer.backward(fwd.cache(), g, p);

        NaiveAttention naive = new NaiveAttention(cfg);
        int k = cfg.selectedTokens(seqLen);
        long[][][] naiveSel = new long[batch][cfg.mosaHeads()][k];
        double[][][] expected = naive.forward(to3d(x), flat(p.denseQkv()), flat(p.denseO()), flat(p.router()),
                flat(p.mosaQkv()), flat(p.mosaO()), naiveSel);
        assertTrue(maxAbs(fwd.output(), expected) < 1e-12, name + ": output differs by " + maxAbs(fwd.output(), expected));
        long[] batchedSel = fwd.cache().selectedIndices().data().asLong();
        assertArrayEquals(Arrays.stream(naiveSel).flatMap(Arrays::stream).flatMapToLong(Arrays::stream).toArray(),
                batchedSel, name + ": selected indices");
        if (name.contains("overlapping")) assertTrue(sharedTokens(naiveSel) > 0, "the config must make heads share tokens");

        // d/dθ sum(naive(x, θ) ⊙ G) by central differences, for the input and every parameter
        Map<String, INDArray> analytic = new LinkedHashMap<>(grads.paramGrads().toMap());
        analytic.put("input", grads.inputGrad());
        Map<String, double[]> all = new LinkedHashMap<>();
        params.forEach((n, a) -> all.put(n, flat(a)));
        all.put("input", flat(x));
        double[][][] gArr = to3d(g);
        for (Map.Entry<String, double[]> e : all.entrySet()) {
            double[] values = e.getValue();
            double[] got = flat(analytic.get(e.getKey()));
            for (int i = 0; i < values.length; i++) {
                double keep = values[i];
                values[i] = keep + 1e-5;
                double up = objective(naive, all, x.shape(), gArr);
                values[i] = keep - 1e-5;
                double down = objective(naive, all, x.shape(), gArr);
                values[i] = keep;
                double numeric = (up - down) / 2e-5;
                assertEquals(numeric, got[i], 1e-7 + 1e-6 * Math.abs(numeric),
                        name + ": d/d" + e.getKey() + "[" + i + "]");
            }
        }
    }

    private static double objective(NaiveAttention naive, Map<String, double[]> v, long[] xs, double[][][] g) {
        double[][][] x = new double[(int) xs[0]][(int) xs[1]][(int) xs[2]];
        double[] xf = v.get("input");
        for (int b = 0, i = 0; b < xs[0]; b++) for (int t = 0; t < xs[1]; t++) for (int c = 0; c < xs[2]; c++) x[b][t][c] = xf[i++];
        double[][][] out = naive.forward(x, v.get(AttentionParams.DENSE_QKV), v.get(AttentionParams.DENSE_O),
                v.get(AttentionParams.ROUTER), v.get(AttentionParams.MOSA_QKV), v.get(AttentionParams.MOSA_O), null);
        double s = 0;
        for (int b = 0; b < out.length; b++) for (int t = 0; t < out[b].length; t++) for (int c = 0; c < out[b][t].length; c++) s += out[b][t][c] * g[b][t][c];
        return s;
    }

    private static int sharedTokens(long[][][] sel) {
        int shared = 0;
        for (long[][] seq : sel) {
            Set<Long> seen = new HashSet<>();
            for (long[] head : seq) for (long t : head) if (!seen.add(t)) shared++;
        }
        return shared;
    }

    static double[] flat(INDArray a) {
        return a == null ? null : a.dup('c').data().asDouble();
    }

    static double[][][] to3d(INDArray a) {
        long[] s = a.shape();
        double[] f = flat(a);
        double[][][] out = new double[(int) s[0]][(int) s[1]][(int) s[2]];
        for (int b = 0, i = 0; b < s[0]; b++) for (int t = 0; t < s[1]; t++) for (int c = 0; c < s[2]; c++) out[b][t][c] = f[i++];
        return out;
    }

    private static double maxAbs(INDArray actual, double[][][] expected) {
        double[] a = flat(actual);
        double worst = 0;
        int i = 0;
        for (double[][] m : expected) for (double[] r : m) for (double v : r) worst = Math.max(worst, Math.abs(a[i++] - v));
        return worst;
    }
}
