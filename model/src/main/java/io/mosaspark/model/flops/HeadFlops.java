package io.mosaspark.model.flops;

/**
 * Forward FLOPs of one attention head on one sequence, as the MoSA paper counts them (App. A):
 * a matmul [j×i]·[i×k] costs 2·j·i·k; softmax, RoPE and masks are not counted.
 * Exact {@code long} arithmetic so that the IsoFLOP head counts derived from these numbers are exact.
 */
public final class HeadFlops {

    private HeadFlops() {
    }

    /**
     * A dense causal head: q, k, v and output projections (4 · 2·T·h·h′) plus q·kᵀ and A·v
     * (2 · 2·T·T·h′): 8·h·h′·T + 4·h′·T².
     */
    public static long dense(long dModel, long headDim, long seqLen) {
        return 8 * dModel * headDim * seqLen + 4 * headDim * seqLen * seqLen;
    }

    /**
     * A MoSA head on k selected tokens: projections of the k tokens (8·h·h′·k), attention among them
     * (4·h′·k²), the router over all T tokens (2·h·T) and scaling the k outputs by their router score (h′·k).
     */
    public static long mosa(long dModel, long headDim, long seqLen, long selected) {
        return fixedStride(dModel, headDim, selected) + 2 * dModel * seqLen + headDim * selected;
    }

    /**
     * The fixed-stride baseline head: a MoSA head without the router, i.e. without the 2·h·T
     * scoring and the h′·k scaling (its score is identically 1): 8·h·h′·k + 4·h′·k².
     */
    public static long fixedStride(long dModel, long headDim, long selected) {
        return 8 * dModel * headDim * selected + 4 * headDim * selected * selected;
    }
}
