package io.mosaspark.train.routing;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.LongsSketch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The routing statistics of one interval of rounds, in the form written to {@code routing/routing.json}
 * (and flattened into the CSV files): per layer the coverage and head overlap, per head the position
 * histogram, position-0 share, load entropy, score quantiles and most-selected tokens.
 *
 * @param fromRound first round of the interval (1-based)
 * @param toRound   last round of the interval
 * @param steps     worker-steps observed (all workers)
 * @param sequences sequences observed
 * @param layers    one entry per sparse layer
 */
public record IntervalSummary(
        @JsonProperty("from_round") int fromRound,
        @JsonProperty("to_round") int toRound,
        @JsonProperty("steps_observed") long steps,
        @JsonProperty("sequences_observed") long sequences,
        @JsonProperty("layers") List<Layer> layers) {

    /** Quantiles reported of each score histogram. */
    static final double[] QUANTILES = {0.1, 0.25, 0.5, 0.75, 0.9};
    /** Token ids reported per head (the sketch keeps more, with wider error). */
    static final int TOP_TOKENS = 12;

    /**
     * @param uncoveredShare    share of token positions no head of the layer selected
     * @param headsPerToken     tokens by how many heads selected them (index 0 … Hm)
     * @param headOverlap       mean Jaccard of two heads' selections in the same sequence, over pairs and sequences
     */
    public record Layer(
            @JsonProperty("layer") int layer,
            @JsonProperty("uncovered_share") double uncoveredShare,
            @JsonProperty("heads_per_token") long[] headsPerToken,
            @JsonProperty("head_overlap_jaccard") double headOverlap,
            @JsonProperty("heads") List<Head> heads) {
    }

    /**
     * @param positionHistogram selections per position bin (bin i starts at position {@code bin_starts[i]})
     * @param firstPositionShare share of the head's selections that are position 0
     * @param loadEntropy       entropy of the selections over the position bins / log(bins): 1 = spread evenly over
     *                          the sequence, 0 = always the same bin
     * @param scoreSelected     router score σ(logit) of the selected tokens (null: fixed stride, no router)
     * @param scoreAll          router score of every token
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Head(
            @JsonProperty("head") int head,
            @JsonProperty("selections") long selections,
            @JsonProperty("position_histogram") long[] positionHistogram,
            @JsonProperty("first_position_share") double firstPositionShare,
            @JsonProperty("load_entropy") double loadEntropy,
            @JsonProperty("score_selected") Scores scoreSelected,
            @JsonProperty("score_all") Scores scoreAll,
            @JsonProperty("top_tokens") List<TokenCount> topTokens) {
    }

    /** A fixed-bin histogram of scores over [0, 1] and quantiles read from it (linear within a bin). */
    public record Scores(@JsonProperty("histogram") long[] histogram,
                         @JsonProperty("quantiles") Map<String, Double> quantiles) {
    }

    /** A frequent token: the sketch's estimate of its selections and the bounds it guarantees. */
    public record TokenCount(@JsonProperty("token") long token, @JsonProperty("count") long count,
                             @JsonProperty("lower") long lower, @JsonProperty("upper") long upper) {
    }

    public static IntervalSummary of(RoutingStats s, int fromRound, int toRound) {
        RoutingShape sh = s.shape();
        int hm = sh.heads(), pb = sh.positionBins(), sb = sh.scoreBins();
        List<Layer> layers = new ArrayList<>();
        for (int l = 0; l < sh.layers(); l++) {
            List<Head> heads = new ArrayList<>();
            for (int e = 0; e < hm; e++) {
                int lh = l * hm + e;
                long[] pos = Arrays.copyOfRange(s.positions, lh * pb, (lh + 1) * pb);
                long n = Arrays.stream(pos).sum();
                long[] sel = Arrays.copyOfRange(s.scoreSelected, lh * sb, (lh + 1) * sb);
                long[] all = Arrays.copyOfRange(s.scoreAll, lh * sb, (lh + 1) * sb);
                boolean router = Arrays.stream(all).sum() > 0;
                heads.add(new Head(e, n, pos, n == 0 ? 0 : (double) s.first[lh] / n, entropy(pos),
                        router ? scores(sel) : null, router ? scores(all) : null, top(s.tokens(l, e))));
            }
            long[] cov = Arrays.copyOfRange(s.coverage, l * (hm + 1), (l + 1) * (hm + 1));
            long tokens = Arrays.stream(cov).sum();
            layers.add(new Layer(l, tokens == 0 ? 0 : (double) cov[0] / tokens, cov,
                    s.overlapPairs[l] == 0 ? 0 : s.overlapSum[l] / s.overlapPairs[l], heads));
        }
        return new IntervalSummary(fromRound, toRound, s.steps(), s.sequences(), layers);
    }

    /** Normalised Shannon entropy of a histogram (0 for an empty or one-bin one). */
    static double entropy(long[] counts) {
        long n = Arrays.stream(counts).sum();
        if (n == 0 || counts.length < 2) return 0;
        double h = 0;
        for (long c : counts) {
            if (c > 0) {
                double q = (double) c / n;
                h -= q * Math.log(q);
            }
        }
        return h / Math.log(counts.length);
    }

    static Scores scores(long[] histogram) {
        Map<String, Double> q = new LinkedHashMap<>();
        for (double p : QUANTILES) q.put("p" + Math.round(p * 100), quantile(histogram, p));
        return new Scores(histogram, q);
    }

    /** The p-quantile of values histogrammed in equal bins over [0, 1], linear within its bin; NaN when empty. */
    static double quantile(long[] histogram, double p) {
        long n = Arrays.stream(histogram).sum();
        if (n == 0) return Double.NaN;
        double target = p * n, seen = 0, width = 1.0 / histogram.length;
        for (int i = 0; i < histogram.length; i++) {
            if (histogram[i] > 0 && seen + histogram[i] >= target) {
                return (i + (target - seen) / histogram[i]) * width;
            }
            seen += histogram[i];
        }
        return 1.0;
    }

    static List<TokenCount> top(LongsSketch sketch) {
        List<TokenCount> out = new ArrayList<>();
        for (LongsSketch.Row r : sketch.getFrequentItems(ErrorType.NO_FALSE_NEGATIVES)) {
            if (out.size() == TOP_TOKENS) break;
            out.add(new TokenCount(r.getItem(), r.getEstimate(), r.getLowerBound(), r.getUpperBound()));
        }
        return out;
    }
}
