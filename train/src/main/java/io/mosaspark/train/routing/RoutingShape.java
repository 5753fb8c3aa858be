package io.mosaspark.train.routing;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.mosaspark.model.config.ModelConfig;

import java.io.Serializable;

/**
 * The fixed dimensions of a run's routing statistics, from the model config alone: every worker's
 * {@link RoutingStats} has these, so any two merge.
 *
 * @param layers          blocks with sparse heads (all of them, or none for a dense model)
 * @param heads           sparse (MoSA) heads per layer, Hm
 * @param seqLen          T
 * @param selected        k: tokens each head selects per sequence
 * @param positionBins    bins of the position histogram over [0, T) (min(32, T))
 * @param scoreBins       bins of the router-score histograms over (0, 1) (scores are σ(logit))
 * @param tokenSketchSize map size of each head's frequent-token sketch (a power of 2)
 */
public record RoutingShape(
        @JsonProperty("layers") int layers,
        @JsonProperty("mosa_heads") int heads,
        @JsonProperty("seq_len") int seqLen,
        @JsonProperty("selected_per_head") int selected,
        @JsonProperty("position_bins") int positionBins,
        @JsonProperty("score_bins") int scoreBins,
        @JsonProperty("token_sketch_size") int tokenSketchSize) implements Serializable {

    static final int POSITION_BINS = 32;
    static final int SCORE_BINS = 20;
    /** 128 slots keep about 96 token ids per head: each count is off by at most 1/96 of the head's selections. */
    static final int TOKEN_SKETCH_SIZE = 128;

    public RoutingShape {
        if (layers < 1 || heads < 1 || seqLen < 1 || selected < 1 || selected > seqLen) {
            throw new IllegalArgumentException("routing statistics need sparse heads: layers = " + layers + ", heads = "
                    + heads + ", T = " + seqLen + ", k = " + selected);
        }
        if (positionBins < 1 || positionBins > seqLen || scoreBins < 1 || Integer.bitCount(tokenSketchSize) != 1) {
            throw new IllegalArgumentException("routing bins: positions " + positionBins + " (1..T), scores " + scoreBins
                    + ", token sketch " + tokenSketchSize + " (a power of 2)");
        }
    }

    /** The shape for {@code model}, or null when it has no sparse heads (nothing to route). */
    public static RoutingShape of(ModelConfig model) {
        var a = model.attention();
        if (a.mosaHeads() == 0) return null;
        int t = model.seqLen();
        return new RoutingShape(model.nLayers(), a.mosaHeads(), t, a.selectedTokens(t), Math.min(POSITION_BINS, t),
                SCORE_BINS, TOKEN_SKETCH_SIZE);
    }

    int layerHeads() {
        return layers * heads;
    }

    /** The bin of position {@code p} in [0, T). */
    int positionBin(long p) {
        return (int) (p * positionBins / seqLen);
    }

    /** First position of bin {@code b}. */
    public int binStart(int b) {
        return (int) (((long) b * seqLen + positionBins - 1) / positionBins);
    }

    /** The bin of a router score σ(logit) in [0, 1]. */
    int scoreBin(double score) {
        return Math.min(scoreBins - 1, Math.max(0, (int) (score * scoreBins)));
    }
}
