package io.mosaspark.model.attention;

import io.mosaspark.model.config.AttentionConfig;
import io.mosaspark.model.nn.ExplicitLayer;
import io.mosaspark.model.nn.ExplicitLayerConf;
import io.mosaspark.model.nn.ParamSpec;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Objects;

/**
 * DL4J configuration of one hybrid MoSA attention layer, [B, T, h] → [B, T, h]
 * ({@code InputType.recurrent(h, T, RNNFormat.NWC)}). Parameter keys are the canonical tensor names
 * of docs/model.md without the {@code blocks.{i}.attn.} prefix ({@link AttentionParams#DENSE_QKV} …),
 * each a view in its canonical shape; DL4J cannot route keys containing '_'.
 *
 * <p>The fields mirror {@link AttentionConfig} one to one because DL4J serialises layer
 * configurations with its own (shaded) Jackson, which does not see the config record's annotations.
 */
public final class HybridAttentionLayer extends ExplicitLayerConf {

    /** GPT-2's initialisation scale for linear maps. */
    public static final double DEFAULT_INIT_STD = 0.02;

    @JsonProperty private int dModel;
    @JsonProperty private int headDim;
    @JsonProperty private int denseHeads;
    @JsonProperty private int mosaHeads;
    @JsonProperty private int sparsity;
    @JsonProperty private boolean includeFirst;
    @JsonProperty private double rotateFraction;
    @JsonProperty private double ropeBase;
    @JsonProperty private AttentionConfig.Selection selection;
    @JsonProperty private double initStd;

    public HybridAttentionLayer() { // Jackson
    }

    public HybridAttentionLayer(AttentionConfig cfg) {
        this(cfg, DEFAULT_INIT_STD);
    }

    public HybridAttentionLayer(AttentionConfig cfg, double initStd) {
        if (cfg == null) throw new IllegalArgumentException("attention config is missing");
        if (!(initStd > 0)) throw new IllegalArgumentException("init_std = " + initStd + ": must be > 0");
        this.dModel = cfg.dModel();
        this.headDim = cfg.headDim();
        this.denseHeads = cfg.denseHeads();
        this.mosaHeads = cfg.mosaHeads();
        this.sparsity = cfg.sparsity();
        this.includeFirst = cfg.includeFirst();
        this.rotateFraction = cfg.rotateFraction();
        this.ropeBase = cfg.ropeBase();
        this.selection = cfg.selection();
        this.initStd = initStd;
    }

    /** The layer's attention config (validated again on every call: the fields came from JSON). */
    public AttentionConfig attentionConfig() {
        return new AttentionConfig(dModel, headDim, denseHeads, mosaHeads, sparsity, includeFirst, rotateFraction,
                ropeBase, selection);
    }

    @Override
    public List<ParamSpec> paramSpecs() {
        ParamSpec.Init init = new ParamSpec.Normal(initStd);
        return AttentionParams.shapes(attentionConfig()).entrySet().stream()
                .map(e -> ParamSpec.weight(e.getKey(), init, e.getValue()))
                .toList();
    }

    @Override
    protected ExplicitLayer<?> createLayer(NeuralNetConfiguration conf, DataType dataType) {
        return new HybridAttentionLayerImpl(conf, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        requireFeatureSize(inputType, dModel);
        if (inputType instanceof InputType.InputTypeRecurrent r) {
            return InputType.recurrent(dModel, r.getTimeSeriesLength(), RNNFormat.NWC);
        }
        throw new IllegalArgumentException("layer '" + layerName + "' (HybridAttentionLayer): input must be a "
                + "sequence, InputType.recurrent(" + dModel + ", T, RNNFormat.NWC); got " + inputType);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HybridAttentionLayer l) || !super.equals(o)) return false;
        return dModel == l.dModel && headDim == l.headDim && denseHeads == l.denseHeads && mosaHeads == l.mosaHeads
                && sparsity == l.sparsity && includeFirst == l.includeFirst && rotateFraction == l.rotateFraction
                && ropeBase == l.ropeBase && selection == l.selection && initStd == l.initStd;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), dModel, headDim, denseHeads, mosaHeads, sparsity, includeFirst,
                rotateFraction, ropeBase, selection, initStd);
    }
}
