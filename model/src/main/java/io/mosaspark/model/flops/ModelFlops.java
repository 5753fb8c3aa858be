package io.mosaspark.model.flops;

import io.mosaspark.model.config.AttentionConfig;
import io.mosaspark.model.config.ModelConfig;

/**
 * Forward FLOPs of the whole language model for one sequence of the config's length T, the
 * IsoFLOP head-count rule and the KV-cache size, as in the MoSA paper (App. A).
 *
 * <p>The paper's model total is l·Hd·dense + l·Hm·mosa + 16·l·h²·T, where 16·h²·T is the MLP with
 * inner width 4h. We count the MLP as 4·h·d_ff·T (two matmuls of 2·T·h·d_ff), which is the same number
 * whenever d_ff = 4h (every paper preset) and stays right for the small demo presets where it is not.
 * LayerNorms, embedding lookup and the LM head are omitted, as in the paper.
 */
public final class ModelFlops {

    /** Dense heads every IsoFLOP hybrid keeps (the paper: fewer hurts, none is unstable). */
    public static final int KEPT_DENSE_HEADS = 4;

    private ModelFlops() {
    }

    /** Forward FLOPs of one sequence of length {@code config.seqLen()}. */
    public static long forward(ModelConfig config) {
        return forward(config, config.seqLen());
    }

    /** Forward FLOPs of one sequence of length {@code seqLen}. */
    public static long forward(ModelConfig config, long seqLen) {
        long perLayer = attentionLayer(config.attention(), seqLen) + mlpLayer(config.dModel(), config.dFf(), seqLen);
        return config.nLayers() * perLayer;
    }

    /** One attention layer: Hd dense heads plus Hm sparse heads (MoSA or fixed-stride). */
    public static long attentionLayer(AttentionConfig a, long seqLen) {
        long dense = a.denseHeads() * HeadFlops.dense(a.dModel(), a.headDim(), seqLen);
        if (a.mosaHeads() == 0) return dense;
        return dense + a.mosaHeads() * sparseHead(a, seqLen);
    }

    /** One sparse head of {@code a} (MoSA or fixed-stride, by its selection) at length T. */
    public static long sparseHead(AttentionConfig a, long seqLen) {
        long k = a.selectedTokens(seqLen);
        return a.selection() == AttentionConfig.Selection.FIXED_STRIDE
                ? HeadFlops.fixedStride(a.dModel(), a.headDim(), k)
                : HeadFlops.mosa(a.dModel(), a.headDim(), seqLen, k);
    }

    /** The MLP of one block: 4·h·d_ff·T (= 16·h²·T for d_ff = 4h). */
    public static long mlpLayer(long dModel, long dFf, long seqLen) {
        return 4 * dModel * dFf * seqLen;
    }

    /**
     * The IsoFLOP rule: of the dense baseline's H heads keep {@value #KEPT_DENSE_HEADS} and spend the
     * other heads' FLOPs on sparse heads: Hm = ⌊(H − 4) · dense_head / sparse_head⌋, with the sparse head
     * priced by {@code selection} (the fixed-stride baseline has no router, so it gets at least as many heads).
     *
     * @param denseBaseline a config with only dense heads (H = its dense_heads)
     */
    public static int isoFlopSparseHeads(ModelConfig denseBaseline, int sparsity, AttentionConfig.Selection selection) {
        AttentionConfig a = denseBaseline.attention();
        if (a.mosaHeads() != 0) {
            throw new IllegalArgumentException("IsoFLOP head count needs the dense baseline, got a hybrid with mosa_heads = "
                    + a.mosaHeads());
        }
        if (a.denseHeads() <= KEPT_DENSE_HEADS) {
            throw new IllegalArgumentException("dense_heads = " + a.denseHeads() + ": the IsoFLOP rule keeps "
                    + KEPT_DENSE_HEADS + " dense heads, so the dense baseline needs more than " + KEPT_DENSE_HEADS);
        }
        AttentionConfig sparse = a.withHeads(KEPT_DENSE_HEADS, 1, sparsity).withSelection(selection);
        long t = denseBaseline.seqLen();
        long freed = (a.denseHeads() - KEPT_DENSE_HEADS) * HeadFlops.dense(a.dModel(), a.headDim(), t);
        return Math.toIntExact(freed / sparseHead(sparse, t));
    }

    /** The IsoFLOP MoSA hybrid of a dense baseline at sparsity ρ: 4 dense heads + Hm MoSA heads. */
    public static ModelConfig isoFlopHybrid(ModelConfig denseBaseline, int sparsity, AttentionConfig.Selection selection) {
        int heads = isoFlopSparseHeads(denseBaseline, sparsity, selection);
        return denseBaseline.withAttention(denseBaseline.attention()
                .withHeads(KEPT_DENSE_HEADS, heads, sparsity).withSelection(selection));
    }

    /** KV-cache entries of one layer (the paper's count): T·Hd + k·Hm. */
    public static long kvEntriesPerLayer(ModelConfig config) {
        AttentionConfig a = config.attention();
        long t = config.seqLen();
        long sparse = a.mosaHeads() == 0 ? 0 : (long) a.selectedTokens(t) * a.mosaHeads();
        return t * a.denseHeads() + sparse;
    }
}
