package io.mosaspark.model.lm;

import io.mosaspark.model.attention.RowGather;
import io.mosaspark.model.attention.RowScatter;
import io.mosaspark.model.nn.ExplicitLayer;
import io.mosaspark.model.nn.ExplicitLayerConf;
import io.mosaspark.model.nn.ParamSpec;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Token ids [B, T] → rows of {@code weight} [V, h] → [B, T, h]. Canonical name {@code tok_emb.weight}. */
public final class TokenEmbedding extends ExplicitLayerConf {

    public static final String WEIGHT = "weight";

    @JsonProperty
    private int vocabSize;
    @JsonProperty
    private int dModel;

    public TokenEmbedding() { // Jackson
    }

    public TokenEmbedding(int vocabSize, int dModel) {
        this.vocabSize = requireAtLeast("vocab_size", vocabSize, 2);
        this.dModel = requireAtLeast("d_model", dModel, 1);
    }

    @Override
    public List<ParamSpec> paramSpecs() {
        return List.of(ParamSpec.weight(WEIGHT, new ParamSpec.Normal(0.02), vocabSize, dModel));
    }

    @Override
    protected ExplicitLayer<?> createLayer(NeuralNetConfiguration conf, DataType dataType) {
        return new Impl(conf, dataType);
    }

    /** Input: token ids as {@code InputType.feedForward(T)}; output [B, T, h]. */
    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeFeedForward ff)) {
            throw new IllegalArgumentException("layer '" + layerName + "': token ids come as InputType.feedForward(seq_len) "
                    + "(a [batch, seq_len] array), got " + inputType);
        }
        return InputType.recurrent(dModel, ff.getSize(), RNNFormat.NWC);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenEmbedding l && super.equals(o) && vocabSize == l.vocabSize && dModel == l.dModel;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), vocabSize, dModel);
    }

    static final class Impl extends ExplicitLayer<TokenEmbedding> {
        private INDArray ids;    // [B·T] INT
        private long batch;
        private long seqLen;

        Impl(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        protected INDArray forward(INDArray input, Map<String, INDArray> params, boolean training) {
            TokenEmbedding c = layerConf();
            ids = TokenIds.toIndices(input, c.vocabSize, "token ids", "layer '" + c.getLayerName() + "'");
            batch = input.size(0);
            seqLen = input.size(1);
            INDArray rows = RowGather.rows(params.get(WEIGHT), ids);                    // [B·T, h]
            return rows.reshape('c', batch, seqLen, c.dModel);
        }

        @Override
        protected Backward backward(INDArray epsilon, Map<String, INDArray> params) {
            TokenEmbedding c = layerConf();
            INDArray eps = epsilon.reshape('c', batch * seqLen, c.dModel);              // [B·T, h], read only
            // Rows of repeated token ids accumulate. Written straight into the gradient view: libnd4j's
            // unsorted_segment_sum took 5 ms here for [2048, 64] rows (a tenth of a cpu-demo step).
            INDArray dW = RowScatter.addRows(eps, ids, gradientView(WEIGHT).assign(0));  // [V, h]
            return new Backward(null, Map.of(WEIGHT, dW));
        }
    }
}
