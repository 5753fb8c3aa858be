package io.mosaspark.model.lm;

import io.mosaspark.model.nn.ExplicitLayer;
import io.mosaspark.model.nn.ExplicitLayerConf;
import io.mosaspark.model.nn.ParamSpec;
import io.mosaspark.model.nn.HeapRows;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** LayerNorm over the last axis of [B, T, h] with gain {@code weight} and {@code bias} [h] (biased variance, like PyTorch). */
public final class LayerNorm extends ExplicitLayerConf {

    public static final String WEIGHT = "weight";
    public static final String BIAS = "bias";

    @JsonProperty
    private int dModel;
    @JsonProperty
    private double eps;

    public LayerNorm() { // Jackson
    }

    public LayerNorm(int dModel, double eps) {
        if (!(eps > 0)) throw new IllegalArgumentException("ln_eps = " + eps + ": must be > 0");
        this.dModel = requireAtLeast("d_model", dModel, 1);
        this.eps = eps;
    }

    @Override
    public List<ParamSpec> paramSpecs() {
        return List.of(ParamSpec.gainOrBias(WEIGHT, new ParamSpec.Constant(1), dModel),
                ParamSpec.gainOrBias(BIAS, new ParamSpec.Constant(0), dModel));
    }

    @Override
    protected ExplicitLayer<?> createLayer(NeuralNetConfiguration conf, DataType dataType) {
        return new Impl(conf, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        requireFeatureSize(inputType, dModel);
        return inputType;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LayerNorm l && super.equals(o) && dModel == l.dModel && eps == l.eps;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), dModel, eps);
    }

    static final class Impl extends ExplicitLayer<LayerNorm> {
        private INDArray xHat;   // [N, h], N = B·T
        private double[] rstd;   // [N]
        private long[] shape;

        Impl(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        protected INDArray forward(INDArray input, Map<String, INDArray> params, boolean training) {
            int h = layerConf().dModel;
            Shapes.requireSequence(input, h, layerConf().getLayerName());
            releaseForwardCache();
            shape = input.shape();
            INDArray x = rowMajor(input.reshape('c', input.length() / h, h));           // read only
            xHat = keep(x::ulike);
            INDArray out = x.ulike();
            rstd = LayerNormRows.forward(x, params.get(WEIGHT), params.get(BIAS), layerConf().eps, xHat, out);
            if (!training) releaseForwardCache();
            return out.reshape(shape);
        }

        @Override
        protected Backward backward(INDArray epsilon, Map<String, INDArray> params) {
            INDArray dy = rowMajor(epsilon.reshape('c', xHat.shape()));                 // read only
            INDArray dx = dy.ulike();
            INDArray dW = gradientView(WEIGHT), dB = gradientView(BIAS);
            LayerNormRows.backward(dy, xHat, rstd, params.get(WEIGHT), dx, dW, dB);
            return new Backward(dx.reshape(shape), Map.of(WEIGHT, dW, BIAS, dB));
        }

        private static INDArray rowMajor(INDArray a) {
            return HeapRows.rowMajor(a) ? a : a.dup('c');
        }

        @Override
        protected void releaseForwardCache() {
            xHat = null;         // lives in the layer's step memory, reused by the next step
            rstd = null;
        }

        @Override
        protected boolean forwardInTransientMemory() {
            return true;
        }
    }
}
