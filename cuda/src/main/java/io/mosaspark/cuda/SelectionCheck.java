package io.mosaspark.cuda;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Holds the GPU's token selection ({@code topk_select}) to its definition on a GPU host: position t is
 * kept iff fewer than k positions (k − 1 with the first position always kept) have a larger router
 * logit or an equal one at a lower position; kept positions ascend. Logits are drawn from a handful of
 * values so that ties are common, since the tie rule is where a sort and a ranking could part.
 */
final class SelectionCheck {

    private SelectionCheck() {
    }

    /** One case: B sequences of T positions, Hm heads, k kept. */
    record Case(int b, int t, int hm, int k, boolean includeFirst) {
    }

    static Map<String, Object> run(Gpu gpu, List<Case> cases, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Map<String, Object>> results = new ArrayList<>();
        boolean passed = true;
        for (Case c : cases) {
            double[] logits = new double[c.b * c.t * c.hm];
            for (int i = 0; i < logits.length; i++) logits[i] = rnd.nextInt(7) * 0.25 - 0.75 + (rnd.nextInt(4) == 0 ? rnd.nextDouble() : 0);
            DeviceArray dl = gpu.alloc(logits.length), idx = gpu.allocInts((long) c.b * c.hm * c.k), r = gpu.alloc((long) c.hm * c.b * c.k);
            DeviceArray nan = gpu.allocInts(1);
            try {
                dl.upload(logits);
                nan.zero();
                gpu.launch("topk_select", c.b * c.hm, Gpu.BLOCK, HybridAttentionGpu.selectionSharedBytes(c.t, gpu.precision()), dl, idx,
                        r, nan, c.b, c.t, c.hm, c.k, c.includeFirst ? 1 : 0);
                int[] got = idx.downloadInts();
                double[] scores = r.download();
                double[] stored = dl.download();   // the logits as the GPU holds them (rounded to float32 there)
                int wrong = 0;
                double worstScore = 0;
                for (int s = 0; s < c.b; s++) {
                    for (int m = 0; m < c.hm; m++) {
                        int[] want = expected(stored, s, m, c);
                        for (int i = 0; i < c.k; i++) {
                            int g = got[(s * c.hm + m) * c.k + i];
                            if (g != want[i]) wrong++;
                            double logit = stored[(s * c.t + want[i]) * c.hm + m];
                            double score = scores[(m * c.b + s) * c.k + i];
                            worstScore = Math.max(worstScore, Math.abs(score - 1 / (1 + Math.exp(-logit))));
                        }
                    }
                }
                boolean ok = wrong == 0 && worstScore < (gpu.precision().isDouble() ? 1e-12 : 1e-6);
                passed &= ok;
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("case", c.b + "x" + c.t + "x" + c.hm + " k=" + c.k + (c.includeFirst ? " +first" : ""));
                row.put("wrong_positions", wrong);
                row.put("worst_score_error", worstScore);
                row.put("passed", ok);
                results.add(row);
            } finally {
                for (DeviceArray a : new DeviceArray[]{dl, idx, r, nan}) a.free();
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("precision", gpu.precision().name().toLowerCase(java.util.Locale.ROOT));
        out.put("cases", results);
        out.put("passed", passed);
        return out;
    }

    /** The definition, by ranking: kept positions of sequence s, head m, ascending. */
    static int[] expected(double[] logits, int s, int m, Case c) {
        int first = c.includeFirst ? 1 : 0, want = c.k - first;
        int[] kept = new int[c.k];
        int n = 0;
        for (int t = 0; t < c.t && n < c.k; t++) {
            if (t < first) {
                kept[n++] = t;
                continue;
            }
            double v = logits[(s * c.t + t) * c.hm + m];
            int rank = 0;
            for (int j = first; j < c.t; j++) {
                double u = logits[(s * c.t + j) * c.hm + m];
                if (u > v || (u == v && j < t)) rank++;
            }
            if (rank < want) kept[n++] = t;
        }
        return kept;
    }
}
