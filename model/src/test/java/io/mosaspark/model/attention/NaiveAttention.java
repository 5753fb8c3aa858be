package io.mosaspark.model.attention;

import io.mosaspark.model.config.AttentionConfig;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The layer written the plain way, one sequence, head, query and key at a time in Java doubles,
 * straight from docs/model.md. Slow and obviously right; the batched {@link HybridAttention} is tested
 * against it. Parameters are flat row-major arrays in canonical shapes.
 */
final class NaiveAttention {

    private final AttentionConfig cfg;

    NaiveAttention(AttentionConfig cfg) {
        this.cfg = cfg;
    }

    /** x [B][T][h] → output [B][T][h]; {@code selected} (if not null) receives [B][Hm][k] positions, ascending. */
    double[][][] forward(double[][][] x, double[] denseQkv, double[] denseO, double[] router, double[] mosaQkv,
                         double[] mosaO, long[][][] selected) {
        int batch = x.length, seqLen = x[0].length, h = cfg.dModel(), hd = cfg.headDim();
        double[][][] out = new double[batch][seqLen][h];
        for (int b = 0; b < batch; b++) {
            for (int e = 0; e < cfg.denseHeads(); e++) {
                double[][] q = new double[seqLen][], k = new double[seqLen][], v = new double[seqLen][];
                for (int t = 0; t < seqLen; t++) {
                    q[t] = rope(project(denseQkv, e * 3 * hd, x[b][t]), t);
                    k[t] = rope(project(denseQkv, e * 3 * hd + hd, x[b][t]), t);
                    v[t] = project(denseQkv, e * 3 * hd + 2 * hd, x[b][t]);
                }
                for (int i = 0; i < seqLen; i++) {
                    final int qi = i;
                    double[] a = attend(q, k, v, i, j -> j <= qi);
                    for (int o = 0; o < h; o++) {
                        for (int d = 0; d < hd; d++) out[b][i][o] += denseO[o * cfg.denseHeads() * hd + e * hd + d] * a[d];
                    }
                }
            }
            for (int e = 0; e < cfg.mosaHeads(); e++) {
                double[] logit = new double[seqLen];
                if (router != null) {
                    for (int t = 0; t < seqLen; t++) for (int c = 0; c < h; c++) logit[t] += router[e * h + c] * x[b][t][c];
                }
                int[] idx = select(logit, seqLen);
                if (selected != null) for (int i = 0; i < idx.length; i++) selected[b][e][i] = idx[i];
                int kk = idx.length;
                double[][] q = new double[kk][], k = new double[kk][], v = new double[kk][];
                for (int i = 0; i < kk; i++) {
                    double[] xs = x[b][idx[i]];
                    q[i] = rope(mosaProject(mosaQkv, e, 0, xs), idx[i]);
                    k[i] = rope(mosaProject(mosaQkv, e, hd, xs), idx[i]);
                    v[i] = mosaProject(mosaQkv, e, 2 * hd, xs);
                }
                for (int i = 0; i < kk; i++) {
                    final int qi = i;
                    double[] a = attend(q, k, v, i, j -> idx[qi] >= idx[j]);
                    double r = router == null ? 1.0 : 1.0 / (1.0 + Math.exp(-logit[idx[i]]));
                    for (int o = 0; o < h; o++) {
                        double s = 0;
                        for (int d = 0; d < hd; d++) s += a[d] * mosaO[(e * hd + d) * h + o];
                        out[b][idx[i]][o] += r * s;
                    }
                }
            }
        }
        return out;
    }

    private int[] select(double[] logit, int seqLen) {
        int k = cfg.selectedTokens(seqLen);
        int[] idx = new int[k];
        if (cfg.selection() == AttentionConfig.Selection.FIXED_STRIDE) {
            // 0, ρ, 2ρ, …; on an input no longer than ρ the stride shrinks to T − 1 (first and last token)
            int stride = k > 1 && (k - 1) * cfg.sparsity() >= seqLen ? seqLen - 1 : cfg.sparsity();
            for (int i = 0; i < k; i++) idx[i] = i * stride;
            return idx;
        }
        List<Integer> order = new ArrayList<>();
        for (int t = cfg.includeFirst() ? 1 : 0; t < seqLen; t++) order.add(t);
        order.sort(Comparator.<Integer>comparingDouble(t -> -logit[t]).thenComparingInt(t -> t));
        List<Integer> chosen = new ArrayList<>();
        if (cfg.includeFirst()) chosen.add(0);
        chosen.addAll(order.subList(0, k - chosen.size()));
        chosen.sort(Integer::compare);
        for (int i = 0; i < k; i++) idx[i] = chosen.get(i);
        return idx;
    }

    private double[] attend(double[][] q, double[][] k, double[][] v, int i, java.util.function.IntPredicate visible) {
        int n = q.length, hd = cfg.headDim();
        double[] s = new double[n];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            if (!visible.test(j)) continue;
            for (int d = 0; d < hd; d++) s[j] += q[i][d] * k[j][d];
            s[j] /= Math.sqrt(hd);
            max = Math.max(max, s[j]);
        }
        double z = 0;
        for (int j = 0; j < n; j++) {
            s[j] = visible.test(j) ? Math.exp(s[j] - max) : 0;
            z += s[j];
        }
        double[] a = new double[hd];
        for (int j = 0; j < n; j++) for (int d = 0; d < hd; d++) a[d] += s[j] / z * v[j][d];
        return a;
    }

    /** Rows [from, from + h′) of a [·, h] matrix times x. */
    private double[] project(double[] w, int from, double[] x) {
        int h = cfg.dModel(), hd = cfg.headDim();
        double[] y = new double[hd];
        for (int d = 0; d < hd; d++) for (int c = 0; c < h; c++) y[d] += w[(from + d) * h + c] * x[c];
        return y;
    }

    /** x times columns [from, from + h′) of head e's [h, 3h′] block. */
    private double[] mosaProject(double[] w, int e, int from, double[] x) {
        int h = cfg.dModel(), hd = cfg.headDim();
        double[] y = new double[hd];
        for (int d = 0; d < hd; d++) for (int c = 0; c < h; c++) y[d] += x[c] * w[(e * h + c) * 3 * hd + from + d];
        return y;
    }

    private double[] rope(double[] x, long position) {
        int n = cfg.rotatedDims(), half = n / 2;
        double[] y = x.clone();
        for (int j = 0; j < half; j++) {
            double theta = position * Math.pow(cfg.ropeBase(), -2.0 * j / n);
            double c = Math.cos(theta), s = Math.sin(theta);
            y[j] = x[j] * c - x[j + half] * s;
            y[j + half] = x[j + half] * c + x[j] * s;
        }
        return y;
    }
}
