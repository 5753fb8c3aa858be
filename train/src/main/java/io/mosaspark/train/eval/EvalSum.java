package io.mosaspark.train.eval;

import java.io.Serializable;

/**
 * Σ over validation windows of (mean next-token loss of the window's T positions) × T, and the token
 * count: merged up the aggregation tree like a round's sums.
 */
public record EvalSum(double lossTimesTokens, long tokens, long windows) implements Serializable {

    public static EvalSum merge(EvalSum a, EvalSum b) {
        return new EvalSum(a.lossTimesTokens + b.lossTimesTokens, a.tokens + b.tokens, a.windows + b.windows);
    }

    public double loss() {
        return tokens == 0 ? Double.NaN : lossTimesTokens / tokens;
    }

    public double perplexity() {
        return Math.exp(loss());
    }
}
