package io.mosaspark.model.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The whole language model: embedding, {@code nLayers} pre-LN blocks, final LN, untied LM head.
 * Serialised with Jackson under the parity files' key names so that a config written next to a
 * checkpoint is the same JSON a PyTorch user sees.
 *
 * @param vocabSize V
 * @param nLayers   number of transformer blocks
 * @param dFf       inner width of the MLP
 * @param seqLen    T the model is trained at (the model itself accepts any T ≥ 1; k follows the T it is given)
 * @param lnEps     LayerNorm epsilon
 * @param attention every block's attention layer
 */
public record ModelConfig(
        @JsonProperty("vocab_size") int vocabSize,
        @JsonProperty("n_layers") int nLayers,
        @JsonProperty("d_ff") int dFf,
        @JsonProperty("seq_len") int seqLen,
        @JsonProperty("ln_eps") double lnEps,
        @JsonProperty("attention") AttentionConfig attention) {

    public static final double DEFAULT_LN_EPS = 1e-5;

    public ModelConfig {
        AttentionConfig.require(vocabSize > 1, "vocab_size", vocabSize, "must be > 1");
        AttentionConfig.require(nLayers > 0, "n_layers", nLayers, "must be > 0");
        AttentionConfig.require(dFf > 0, "d_ff", dFf, "must be > 0");
        AttentionConfig.require(seqLen > 0, "seq_len", seqLen, "must be > 0");
        AttentionConfig.require(lnEps > 0, "ln_eps", lnEps, "must be > 0");
        if (attention == null) throw new IllegalArgumentException("attention: missing");
    }

    public int dModel() {
        return attention.dModel();
    }

    public ModelConfig withAttention(AttentionConfig a) {
        return new ModelConfig(vocabSize, nLayers, dFf, seqLen, lnEps, a);
    }

    public ModelConfig withSeqLen(int t) {
        return new ModelConfig(vocabSize, nLayers, dFf, t, lnEps, attention);
    }

    public ModelConfig withVocabSize(int v) {
        return new ModelConfig(v, nLayers, dFf, seqLen, lnEps, attention);
    }
}
