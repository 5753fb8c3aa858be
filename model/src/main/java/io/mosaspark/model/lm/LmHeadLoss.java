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
import org.nd4j.linalg.factory.Nd4j;
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
        private double[] logSumExp;  // [N]
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
            logSumExp = SoftmaxCrossEntropy.logSumExp(logits);
            return logits.reshape(batch, seqLen, c.vocabSize);
        }

        /**
         * The labels as target ids [N], {@link #IGNORE} kept where a position is not trained on, and
         * the number of counted positions.
         */
        private Targets targets(INDArray labels) {
            LmHeadLoss c = layerConf();
            String layer = "layer '" + c.getLayerName() + "'";
            if (labels.rank() != 2 || labels.size(0) != batch || labels.size(1) != seqLen) {
                throw new IllegalArgumentException(layer + ": labels must be target ids [batch, seq_len] = ["
                        + batch + ", " + seqLen + "], got shape " + Arrays.toString(labels.shape()));
            }
            double[] raw = labels.dup('c').reshape(labels.length()).toDoubleVector();
            int[] ids = new int[raw.length];
            long count = 0;
            for (int n = 0; n < raw.length; n++) {
                double id = raw[n];
                if (id == IGNORE) {
                    ids[n] = IGNORE;
                    continue;
                }
                if (id != Math.floor(id) || id < 0 || id >= c.vocabSize) {
                    throw new IllegalArgumentException(layer + ": target ids must be whole numbers in [0, vocab_size = "
                            + c.vocabSize + ") or " + IGNORE + " (position not trained on); found " + id + " at ["
                            + n / seqLen + ", " + n % seqLen + "]" + (id >= c.vocabSize && id == Math.floor(id)
                            ? ": the data was tokenised with a different vocabulary than the model's" : ""));
                }
                ids[n] = (int) id;
                count++;
            }
            return new Targets(ids, count);
        }

        /**
         * @param ids   target id per position [N], {@link #IGNORE} where the position is not counted
         * @param count number of counted positions
         */
        private record Targets(int[] ids, long count) {
        }

        /** −log p(target) per position, 0 where ignored, [N]. */
        private double[] nll(Targets t) {
            return SoftmaxCrossEntropy.negativeLogLikelihood(logits, logSumExp, t.ids());
        }

        @Override
        protected double loss(INDArray labels) {
            Targets t = targets(labels);
            return t.count() == 0 ? 0.0 : Arrays.stream(nll(t)).sum() / t.count();
        }

        /** Per example, the mean over its own counted positions (0 if none). */
        @Override
        protected INDArray lossPerExample(INDArray labels) {
            Targets t = targets(labels);
            double[] nll = nll(t);
            double[] perExample = new double[(int) batch];
            for (int b = 0; b < batch; b++) {
                double sum = 0;
                long counted = 0;
                for (int i = (int) (b * seqLen); i < (b + 1) * seqLen; i++) {
                    if (t.ids()[i] == IGNORE) continue;
                    sum += nll[i];
                    counted++;
                }
                perExample[b] = counted == 0 ? 0.0 : sum / counted;
            }
            return Nd4j.createFromArray(perExample).castTo(logits.dataType()).reshape(batch, 1);   // [B, 1]
        }

        @Override
        protected Backward backward(INDArray epsilon, Map<String, INDArray> params) {
            // d(mean CE)/d logits = (softmax − onehot) / count at counted rows, 0 at ignored ones, times
            // DL4J's minibatch factor; built in the logits' buffer (the forward pass is released after
            // backward anyway) unless a caller holds the logits as the output.
            Targets t = targets(getLabels());
            double scale = t.count() == 0 ? 0.0 : gradientScale() / t.count();
            INDArray dLogits = outputEscaped() ? logits.ulike() : logits;
            SoftmaxCrossEntropy.gradient(logits, logSumExp, t.ids(), scale, dLogits);
            INDArray dW = Gemm.into(dLogits, true, x, false, gradientView(WEIGHT));             // [V, h]
            INDArray dx = Gemm.product(dLogits, false, params.get(WEIGHT), false);              // [N, h]
            if (dLogits != logits && dLogits.closeable()) dLogits.close();
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
