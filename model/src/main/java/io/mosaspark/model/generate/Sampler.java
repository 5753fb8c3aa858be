package io.mosaspark.model.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Draws token ids as a {@link Sampling} says; one instance per generation (it holds the random stream). */
public final class Sampler {
    private final Sampling sampling;
    private final SplittableRandom random;

    public Sampler(Sampling sampling) {
        this.sampling = sampling;
        this.random = new SplittableRandom(sampling.seed());
    }

    /** The next token given the logits over the vocabulary at the last position. */
    public int next(float[] logits) {
        if (sampling.isGreedy()) return argmax(logits);
        int v = logits.length;
        // candidates by descending logit, ties to the lower id, so the cut-offs are deterministic
        Integer[] order = new Integer[v];
        for (int i = 0; i < v; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> logits[a] != logits[b] ? Float.compare(logits[b], logits[a]) : Integer.compare(a, b));
        int kept = sampling.topK() > 0 ? Math.min(sampling.topK(), v) : v;
        double max = logits[order[0]];
        double[] p = new double[kept];
        double total = 0;
        for (int i = 0; i < kept; i++) {
            p[i] = Math.exp((logits[order[i]] - max) / sampling.temperature());
            total += p[i];
        }
        if (sampling.topP() < 1) {
            double cumulative = 0;
            int nucleus = 0;
            while (nucleus < kept) {
                cumulative += p[nucleus++] / total;
                if (cumulative >= sampling.topP()) break;
            }
            kept = nucleus;
            total = 0;
            for (int i = 0; i < kept; i++) total += p[i];
        }
        double u = random.nextDouble() * total;
        for (int i = 0; i < kept; i++) {
            u -= p[i];
            if (u < 0) return order[i];
        }
        return order[kept - 1]; // u landed on the rounding error of the sum
    }

    static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }
}
