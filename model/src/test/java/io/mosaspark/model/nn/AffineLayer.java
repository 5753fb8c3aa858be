package io.mosaspark.model.nn;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * Test-only example of a layer on the base: y = tanh(x · Wᵀ + b) per position, [B, T, in] → [B, T, out].
 * The tanh makes the gradient depend on the forward cache, which is what the base must keep right.
 */
public final class AffineLayer extends ExplicitLayerConf {

    @JsonProperty
    private int nIn;
    @JsonProperty
    private int nOut;

    public AffineLayer() { // Jackson
    }

    public AffineLayer(int nIn, int nOut) {
        this.nIn = nIn;
        this.nOut = nOut;
    }

    @Override
    public List<ParamSpec> paramSpecs() {
        return List.of(
                ParamSpec.weight("weight", new ParamSpec.Normal(0.5), nOut, nIn),
                ParamSpec.gainOrBias("bias", new ParamSpec.Normal(0.1), nOut));
    }

    @Override
    protected ExplicitLayer<?> createLayer(NeuralNetConfiguration conf, DataType dataType) {
        return new Impl(conf, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        requireFeatureSize(inputType, nIn);
        InputType.InputTypeRecurrent r = (InputType.InputTypeRecurrent) inputType;
        return InputType.recurrent(nOut, r.getTimeSeriesLength(), RNNFormat.NWC);
    }

    static final class Impl extends ExplicitLayer<AffineLayer> {
        private INDArray x2d;   // [B·T, in]
        private INDArray y2d;   // [B·T, out], after tanh
        private long b;
        private long t;

        Impl(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        protected INDArray forward(INDArray input, Map<String, INDArray> params, boolean training) {
            b = input.size(0);
            t = input.size(1);
            x2d = input.dup('c').reshape('c', b * t, input.size(2));
            y2d = Nd4j.math().tanh(x2d.mmul(params.get("weight").transpose()).addiRowVector(params.get("bias")));
            return y2d.reshape('c', b, t, y2d.size(1));
        }

        @Override
        protected Backward backward(INDArray epsilon, Map<String, INDArray> params) {
            INDArray dy = epsilon.dup('c').reshape('c', b * t, y2d.size(1));
            INDArray dz = dy.mul(y2d.mul(y2d).rsubi(1.0));               // [B·T, out]
            INDArray dW = dz.transpose().mmul(x2d);                      // [out, in]
            INDArray db = dz.sum(0);                                     // [out]
            INDArray dx = dz.mmul(params.get("weight")).reshape('c', b, t, x2d.size(1));
            return new Backward(dx, Map.of("weight", dW, "bias", db));
        }
    }
}
