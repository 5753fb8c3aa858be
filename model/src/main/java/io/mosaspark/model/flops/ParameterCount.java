package io.mosaspark.model.flops;

import io.mosaspark.model.config.AttentionConfig;
import io.mosaspark.model.config.ModelConfig;

/**
 * Exact parameter count of the language model of docs/model.md, by part. The paper's table (28M, 113M,
 * 210M, 516M) is {@link #total()} rounded to millions: it counts everything, including the token
 * embedding and the untied LM head.
 *
 * @param embedding  tok_emb [V, h]
 * @param attention  all layers' attention weights (dense qkv + o; MoSA router + qkv + o; no biases)
 * @param mlp        all layers' fc1 [d_ff, h] + fc2 [h, d_ff]
 * @param layerNorms all layers' ln1 and ln2 plus ln_f, weight and bias each
 * @param lmHead     lm_head [V, h]
 */
public record ParameterCount(long embedding, long attention, long mlp, long layerNorms, long lmHead) {

    public static ParameterCount of(ModelConfig c) {
        long h = c.dModel();
        long layers = c.nLayers();
        return new ParameterCount(
                c.vocabSize() * h,
                layers * attentionLayer(c.attention()),
                layers * 2 * h * c.dFf(),
                (layers * 2 + 1) * 2 * h,
                c.vocabSize() * h);
    }

    /**
     * One attention layer: dense W_qkv [3h′Hd, h] and W_o [h, h′Hd]; per sparse head W_qkv [h, 3h′],
     * W_o [h′, h] and, for MoSA (not the fixed-stride baseline), a router row [h].
     */
    public static long attentionLayer(AttentionConfig a) {
        long h = a.dModel();
        long hp = a.headDim();
        long dense = 4 * h * hp * a.denseHeads();
        long router = a.selection() == AttentionConfig.Selection.FIXED_STRIDE ? 0 : h;
        long sparse = a.mosaHeads() * (4 * h * hp + router);
        return dense + sparse;
    }

    public long total() {
        return embedding + attention + mlp + layerNorms + lmHead;
    }

    /** Without the embedding and LM head, the convention of many scaling-law papers. */
    public long nonEmbedding() {
        return attention + mlp + layerNorms;
    }

    /** Total in millions rounded to the nearest million, the convention of the paper's table. */
    public long millions() {
        return Math.round(total() / 1e6);
    }
}
