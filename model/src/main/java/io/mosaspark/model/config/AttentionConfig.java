package io.mosaspark.model.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One hybrid attention layer: {@code denseHeads} ordinary causal heads plus {@code mosaHeads} sparse
 * heads that each pick k = clamp(floor(T / sparsity), 2, T) tokens of an input of length T
 * (docs/model.md, "The rule for k"). Names follow the paper and the parity files' config keys.
 *
 * @param dModel         h, the residual width
 * @param headDim        h′, the width of every head
 * @param denseHeads     Hd
 * @param mosaHeads      Hm
 * @param sparsity       ρ ≥ 1, any size: an input shorter than ρ still gives each sparse head
 *                       min(2, T) tokens; with {@link Selection#FIXED_STRIDE} also the stride
 * @param includeFirst   position 0 is always selected by every sparse head
 * @param rotateFraction share of h′ that RoPE rotates (rounded down to even)
 * @param ropeBase       RoPE frequency base
 * @param selection      how sparse heads choose tokens: the router (MoSA) or the fixed-stride baseline
 */
public record AttentionConfig(
        @JsonProperty("d_model") int dModel,
        @JsonProperty("head_dim") int headDim,
        @JsonProperty("dense_heads") int denseHeads,
        @JsonProperty("mosa_heads") int mosaHeads,
        @JsonProperty("sparsity") int sparsity,
        @JsonProperty("include_first") boolean includeFirst,
        @JsonProperty("rotate_fraction") double rotateFraction,
        @JsonProperty("rope_base") double ropeBase,
        @JsonProperty("selection") Selection selection) {

    public enum Selection {
        /** MoSA: each head's router picks its top-k tokens per sequence. */
        EXPERT_CHOICE,
        /** The paper's fixed baseline: positions 0, ρ, 2ρ, … with router score ≡ 1. */
        FIXED_STRIDE
    }

    public static final double DEFAULT_ROTATE_FRACTION = 0.5;
    public static final double DEFAULT_ROPE_BASE = 10000.0;

    public AttentionConfig {
        if (selection == null) selection = Selection.EXPERT_CHOICE;
        require(dModel > 0, "d_model", dModel, "must be > 0");
        require(headDim > 0, "head_dim", headDim, "must be > 0");
        require(denseHeads >= 0, "dense_heads", denseHeads, "must be >= 0");
        require(mosaHeads >= 0, "mosa_heads", mosaHeads, "must be >= 0");
        if (denseHeads == 0 && mosaHeads == 0) {
            throw new IllegalArgumentException(
                    "dense_heads = mosa_heads = 0: an attention layer needs at least one head");
        }
        require(sparsity >= 1, "sparsity", sparsity, "must be >= 1");
        require(rotateFraction >= 0 && rotateFraction <= 1, "rotate_fraction", rotateFraction, "must be in [0, 1]");
        require(ropeBase > 1, "rope_base", ropeBase, "must be > 1");
    }

    /** A MoSA hybrid with the defaults of the paper (include_first off, half of h′ rotated). */
    public static AttentionConfig hybrid(int dModel, int headDim, int denseHeads, int mosaHeads, int sparsity) {
        return new AttentionConfig(dModel, headDim, denseHeads, mosaHeads, sparsity, false,
                DEFAULT_ROTATE_FRACTION, DEFAULT_ROPE_BASE, Selection.EXPERT_CHOICE);
    }

    /** The dense baseline: H ordinary heads and no sparse ones. */
    public static AttentionConfig dense(int dModel, int headDim, int heads) {
        return hybrid(dModel, headDim, heads, 0, 1);
    }

    /**
     * k for an input of length T: clamp(floor(T / ρ), 2, T), from the T actually given, never the
     * training length. ρ > T is valid (a short prompt during generation): every sparse head then keeps
     * 2 tokens, or the one token of a T = 1 input.
     */
    public int selectedTokens(long seqLen) {
        if (seqLen < 1) throw new IllegalArgumentException("sequence length T = " + seqLen + ": must be >= 1");
        return (int) Math.min(Math.max(seqLen / sparsity, 2), seqLen);
    }

    /** Number of leading dims of each q/k that RoPE rotates: floor(fraction · h′), made even. */
    public int rotatedDims() {
        int n = (int) Math.floor(rotateFraction * headDim);
        return n % 2 == 1 ? n - 1 : n;
    }

    public AttentionConfig withHeads(int dense, int mosa, int rho) {
        return new AttentionConfig(dModel, headDim, dense, mosa, rho, includeFirst, rotateFraction, ropeBase, selection);
    }

    public AttentionConfig withSelection(Selection s) {
        return new AttentionConfig(dModel, headDim, denseHeads, mosaHeads, sparsity, includeFirst, rotateFraction, ropeBase, s);
    }

    public AttentionConfig withIncludeFirst(boolean include) {
        return new AttentionConfig(dModel, headDim, denseHeads, mosaHeads, sparsity, include, rotateFraction, ropeBase, selection);
    }

    static void require(boolean ok, String key, Object value, String rule) {
        if (!ok) throw new IllegalArgumentException(key + " = " + value + ": " + rule);
    }
}
