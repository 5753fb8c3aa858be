package io.mosaspark.model.attention;

import io.mosaspark.model.nn.ExplicitLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * One network instance's {@link HybridAttentionLayer}: runs {@link HybridAttention} on the
 * parameter views and keeps the forward cache for backward. Listeners can read what the sparse heads
 * chose in the last forward pass with {@link #lastSelectedIndices()}, and, after asking for them with
 * {@link #keepRouterLogits}, the router logits of every token ({@link #lastRouterLogits()}).
 */
public final class HybridAttentionLayerImpl extends ExplicitLayer<HybridAttentionLayer> {

    private final HybridAttention attention;
    private final ScratchBuffers scratch = new ScratchBuffers();   // dense heads' [B·Hd, T, T], reused per step
    private HybridAttention.Cache cache;          // of the last training forward pass
    private INDArray lastSelected;                // [B, Hm, k] LONG
    private boolean keepRouterLogits;
    private INDArray lastRouterLogits;            // [B·T, Hm], only while keepRouterLogits

    HybridAttentionLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        this.attention = new HybridAttention(((HybridAttentionLayer) conf.getLayer()).attentionConfig());
    }

    /** [B, Hm, k] (LONG): each sparse head's positions in the last forward pass, ascending; null before any or without sparse heads. */
    public INDArray lastSelectedIndices() {
        return lastSelected;
    }

    /**
     * Whether the next forward passes keep a copy of every token's router logits (off by default: the copy
     * is B·T·Hm values per pass, which only routing statistics need). Changes nothing the layer computes.
     */
    public void keepRouterLogits(boolean keep) {
        this.keepRouterLogits = keep;
        if (!keep) lastRouterLogits = null;
    }

    /**
     * [B·T, Hm] (the input's floating type): every token's router logit in the last forward pass, row
     * b·T + t; null unless {@link #keepRouterLogits} was on for it, or with fixed-stride selection.
     */
    public INDArray lastRouterLogits() {
        return lastRouterLogits;
    }

    @Override
    protected INDArray forward(INDArray input, Map<String, INDArray> params, boolean training) {
        if (cache != null) cache.close();   // a pass without backward; its arrays are in the reused step memory
        HybridAttention.Forward f = attention.forward(input, AttentionParams.fromMap(params), scratch);
        cache = training ? f.cache() : null;
        INDArray selected = f.cache().selectedIndices();
        lastSelected = selected == null ? null : selected.detach();   // outlives the step's memory
        INDArray logits = keepRouterLogits ? f.cache().routerLogits() : null;
        lastRouterLogits = logits == null ? null : logits.detach();
        return f.output();
    }

    @Override
    protected Backward backward(INDArray epsilon, Map<String, INDArray> params) {
        if (cache == null) {
            throw new IllegalStateException(layerId() + ": backward without a training forward pass "
                    + "(DL4J must call activate(training = true) first)");
        }
        HybridAttention.Gradients g = attention.backward(cache, epsilon, AttentionParams.fromMap(params));
        return new Backward(g.inputGrad(), g.paramGrads().toMap());
    }

    /** The forward cache is dead after backward: free it now rather than keep it until the next step. */
    @Override
    protected void releaseForwardCache() {
        if (cache != null) cache.close();
        cache = null;
    }
}
