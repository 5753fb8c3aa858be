package io.mosaspark.model.lm;

import io.mosaspark.model.nn.ExplicitLayer;
import io.mosaspark.model.nn.ExplicitLayerConf;
import io.mosaspark.model.nn.ExplicitOutputLayer;
import io.mosaspark.model.nn.Gemm;
import io.mosaspark.model.nn.ParamSpec;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scatter.ScatterAdd;
import org.nd4j.linalg.api.ops.impl.shape.Gather;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The untied LM head and its loss: logits = x · Wᵀ, W [V, h] ({@code lm_head.weight}); output [B, T, V].
 * Labels are target ids [B, T] (not one-hot: V× smaller); the score is the mean next-token
 * cross-entropy over the <em>counted</em> positions (DL4J's RnnOutputLayer would divide by B only).
 *
 * <p>A label equal to {@link #IGNORE} (−1, like PyTorch's {@code ignore_index}) marks a position that
 * contributes neither loss nor gradient; every other position is counted, so without ignore labels the
 * score is the mean over all B·T positions. With none counted (every label ignored) the loss and all
 * gradients are 0, not NaN.
 */
public final class LmHeadLoss extends ExplicitLayerConf {

    public static final String WEIGHT = "weight";
    /** Target id of a position that is not trained on (neither loss nor gradient). */
    public static final int IGNORE = -1;

    @JsonProperty
    private int dModel;
    @JsonProperty
    private int vocabSize;

    public LmHeadLoss() { // Jackson
    }

    public LmHeadLoss(int dModel, int vocabSize) {
        this.dModel = requireAtLeast("d_model", dModel, 1);
        this.vocabSize = requireAtLeast("vocab_size", vocabSize, 2);
    }

    @Override
    public List<ParamSpec> paramSpecs() {
        return List.of(ParamSpec.weight(WEIGHT, new ParamSpec.Normal(0.02), vocabSize, dModel));
    }

    @Override
    protected ExplicitLayer<?> createLayer(NeuralNetConfiguration conf, DataType dataType) {
        return new Impl(conf, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        requireFeatureSize(inputType, dModel);
        return InputType.recurrent(vocabSize, ((InputType.InputTypeRecurrent) inputType).getTimeSeriesLength(), RNNFormat.NWC);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LmHeadLoss l && super.equals(o) && dModel == l.dModel && vocabSize == l.vocabSize;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), dModel, vocabSize);
    }

    static final class Impl extends ExplicitOutputLayer<LmHeadLoss> {
        // Only one [N, V] array is kept (the logits); log-probabilities are logits − logSumExp.
        private INDArray x;          // [N, h], N = B·T
        private INDArray logits;     // [N, V]
        private INDArray logSumExp;  // [N, 1]
        private long batch;
        private long seqLen;

        Impl(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        protected INDArray forward(INDArray input, Map<String, INDArray> params, boolean training) {
            LmHeadLoss c = layerConf();
            Shapes.requireSequence(input, c.dModel, c.getLayerName());
            releaseForwardCache();
            batch = input.size(0);
            seqLen = input.size(1);
            x = input.reshape('c', batch * seqLen, c.dModel);                                   // read only
            logits = Gemm.product(x, false, params.get(WEIGHT), true);                          // [N, V]
            INDArray max = logits.max(true, 1);                                                 // [N, 1]
            INDArray shifted = logits.subColumnVector(max);
            INDArray sumExp = Transforms.exp(shifted, false).sum(true, 1);
            shifted.close();
            logSumExp = Transforms.log(sumExp, false).addi(max);
            return logits.reshape(batch, seqLen, c.vocabSize);
        }

        /**
         * The labels' counted positions and the flat positions n·V + y_n of their targets in the [N, V]
         * logits. Gathering and scattering at them avoids an [N, V] one-hot array next to the logits.
         */
        private Targets targets(INDArray labels) {
            LmHeadLoss c = layerConf();
            String layer = "layer '" + c.getLayerName() + "'";
            if (labels.rank() != 2 || labels.size(0) != batch || labels.size(1) != seqLen) {
                throw new IllegalArgumentException(layer + ": labels must be target ids [batch, seq_len] = ["
                        + batch + ", " + seqLen + "], got shape " + Arrays.toString(labels.shape()));
            }
            INDArray flat = labels.dup('c').reshape(labels.length()).castTo(DataType.DOUBLE);   // [N]
            if (flat.minNumber().doubleValue() < IGNORE) {
                long at = flat.neg().argMax().getLong(0);
                throw new IllegalArgumentException(layer + ": target ids must be in [0, vocab_size = " + c.vocabSize + ") or "
                        + IGNORE + " (position not trained on); found " + flat.getDouble(at) + " at [" + at / seqLen + ", "
                        + at % seqLen + "]");
            }
            INDArray ignored = flat.eq(IGNORE).castTo(DataType.DOUBLE);                         // [N] 1 where ignored
            // an ignored position points at id 0 of its row; its mask entry zeroes whatever it picks up there
            INDArray ids = TokenIds.toIndices(flat.add(ignored).reshape(batch, seqLen), c.vocabSize, "target ids", layer);
            INDArray rowStart = Nd4j.arange(0, batch * seqLen).castTo(DataType.LONG).muli(c.vocabSize);
            INDArray counted = ignored.rsubi(1.0).castTo(logits.dataType());                    // [N] 1 where counted
            return new Targets(rowStart.addi(ids.castTo(DataType.LONG)), counted, counted.sumNumber().longValue());
        }

        /**
         * @param at      flat target positions n·V + y_n, [N] LONG (id 0 of the row where ignored; counted masks it out)
         * @param counted [N] 1 where the position counts, 0 where its label is {@link #IGNORE}
         * @param count   number of counted positions
         */
        private record Targets(INDArray at, INDArray counted, long count) {
        }

        /** −log p(target) per position, 0 where ignored, [B, T]. */
        private INDArray nll(Targets t) {
            INDArray target = Nd4j.exec(new Gather(logits.reshape(logits.length()), t.at(), 0))[0];
            return logSumExp.reshape(target.length()).sub(target).muli(t.counted()).reshape(batch, seqLen);
        }

        @Override
        protected double loss(INDArray labels) {
            Targets t = targets(labels);
            return t.count() == 0 ? 0.0 : nll(t).sumNumber().doubleValue() / t.count();
        }

        /** Per example, the mean over its own counted positions (0 if none). */
        @Override
        protected INDArray lossPerExample(INDArray labels) {
            Targets t = targets(labels);
            INDArray perExample = t.counted().reshape(batch, seqLen).sum(true, 1);                // [B, 1]
            INDArray divisor = Transforms.max(perExample, 1.0, true);
            return nll(t).sum(true, 1).divi(divisor);                                            // [B, 1]
        }

        @Override
        protected Backward backward(INDArray epsilon, Map<String, INDArray> params) {
            // d(mean CE)/d logits = (softmax − onehot) / count at counted rows, 0 at ignored ones, times
            // DL4J's minibatch factor; built in the logits' buffer (the forward pass is released after
            // backward anyway).
            Targets t = targets(getLabels());
            INDArray rowScale = t.counted().mul(t.count() == 0 ? 0.0 : gradientScale() / t.count())
                    .reshape(batch * seqLen, 1);                                                // [N, 1]
            INDArray shifted = outputEscaped() ? logits.subColumnVector(logSumExp) : logits.subiColumnVector(logSumExp);
            INDArray probs = Transforms.exp(shifted, false);                                    // [N, V] softmax
            INDArray minusOne = Nd4j.valueArrayOf(t.at().shape(), -1.0, probs.dataType());
            INDArray dLogits = Nd4j.exec(new ScatterAdd(probs.reshape(probs.length()), t.at(), minusOne))[0]
                    .reshape(probs.shape()).muliColumnVector(rowScale);                         // softmax − onehot, scaled
            INDArray dW = Gemm.into(dLogits, true, x, false, gradientView(WEIGHT));             // [V, h]
            INDArray dx = Gemm.product(dLogits, false, params.get(WEIGHT), false);              // [N, h]
            if (probs != logits) probs.close();
            return new Backward(dx.reshape(batch, seqLen, layerConf().dModel), Map.of(WEIGHT, dW));
        }

        @Override
        protected void releaseForwardCache() {
            if (logits != null && !outputEscaped() && logits.closeable()) logits.close();
            logits = null;
            logSumExp = null;
            x = null;
        }
    }
}
