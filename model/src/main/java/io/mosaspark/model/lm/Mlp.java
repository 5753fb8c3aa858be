package io.mosaspark.model.lm;

import io.mosaspark.model.nn.ExplicitLayer;
import io.mosaspark.model.nn.ExplicitLayerConf;
import io.mosaspark.model.nn.Gemm;
import io.mosaspark.model.nn.ParamSpec;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The block's feed-forward part: y = W2 · gelu_tanh(W1 · x), no biases; W1 [d_ff, h], W2 [h, d_ff]. */
public final class Mlp extends ExplicitLayerConf {

    public static final String FC1 = "fc1.weight";
    public static final String FC2 = "fc2.weight";

    @JsonProperty
    private int dModel;
    @JsonProperty
    private int dFf;

    public Mlp() { // Jackson
    }

    public Mlp(int dModel, int dFf) {
        this.dModel = requireAtLeast("d_model", dModel, 1);
        this.dFf = requireAtLeast("d_ff", dFf, 1);
    }

    @Override
    public List<ParamSpec> paramSpecs() {
        return List.of(ParamSpec.weight(FC1, new ParamSpec.Normal(0.02), dFf, dModel),
                ParamSpec.weight(FC2, new ParamSpec.Normal(0.02), dModel, dFf));
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
        return o instanceof Mlp l && super.equals(o) && dModel == l.dModel && dFf == l.dFf;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), dModel, dFf);
    }

    static final class Impl extends ExplicitLayer<Mlp> {
        private INDArray x;          // [N, h], N = B·T; a view of the input (read only, not ours to close)
        private INDArray a;          // [N, d_ff] pre-activation
        private INDArray s;          // [N, d_ff] σ(2u) = (1 + tanh u)/2, u = √(2/π)(a + 0.044715a³)
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
            x = keep(() -> input.reshape('c', input.length() / h, h));   // a view (a kept copy if not row-major)
            a = keep(() -> Gemm.product(x, false, params.get(FC1), true));
            s = keep(() -> a.ulike());                                   // σ(2u), for backward
            // g = gelu(a) is not kept: backward recomputes it (one pass) rather than hold [N, d_ff] per layer
            INDArray g = a.ulike();
            GeluTanh.forward(a, s, g);
            INDArray out = Gemm.product(g, false, params.get(FC2), true);
            if (!training) releaseForwardCache();
            return out.reshape(shape);
        }

        @Override
        protected Backward backward(INDArray epsilon, Map<String, INDArray> params) {
            INDArray dy = epsilon.reshape('c', x.size(0), layerConf().dModel);                  // [N, h], read only
            INDArray g = a.ulike();
            GeluTanh.recompute(a, s, g);                                                        // [N, d_ff] gelu(a)
            INDArray dW2 = Gemm.into(dy, true, g, false, gradientView(FC2));                    // [h, d_ff]
            INDArray da = Gemm.product(dy, false, params.get(FC2), false);                      // [N, d_ff] dg
            GeluTanh.backwardInPlace(da, a, s);                                                 // [N, d_ff]
            INDArray dW1 = Gemm.into(da, true, x, false, gradientView(FC1));                    // [d_ff, h]
            INDArray dx = Gemm.product(da, false, params.get(FC1), false);                      // [N, h]
            return new Backward(dx.reshape(shape), Map.of(FC1, dW1, FC2, dW2));
        }

        @Override
        protected void releaseForwardCache() {
            x = a = s = null;    // they live in the layer's step memory, reused by the next step
        }

        @Override
        protected boolean forwardInTransientMemory() {
            return true;
        }
    }
}
