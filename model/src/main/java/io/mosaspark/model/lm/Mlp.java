package io.mosaspark.model.lm;

import io.mosaspark.model.nn.ExplicitLayer;
import io.mosaspark.model.nn.ExplicitLayerConf;
import io.mosaspark.model.nn.ParamSpec;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The block's feed-forward part: y = W2 · gelu_tanh(W1 · x), no biases; W1 [d_ff, h], W2 [h, d_ff]. */
public final class Mlp extends ExplicitLayerConf {

    public static final String FC1 = "fc1.weight";
    public static final String FC2 = "fc2.weight";
    private static final double GELU_C = Math.sqrt(2 / Math.PI);
    private static final double GELU_A = 0.044715;

    @JsonProperty
    private int dModel;
    @JsonProperty
    private int dFf;

    public Mlp() { // Jackson
    }

    public Mlp(int dModel, int dFf) {
        if (dModel < 1) throw new IllegalArgumentException("d_model = " + dModel + ": must be >= 1");
        if (dFf < 1) throw new IllegalArgumentException("d_ff = " + dFf + ": must be >= 1");
        this.dModel = dModel;
        this.dFf = dFf;
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
        private INDArray x;      // [N, h], N = B·T
        private INDArray a;      // [N, d_ff] pre-activation
        private INDArray tanhU;  // [N, d_ff] tanh(√(2/π)(a + 0.044715a³))
        private INDArray g;      // [N, d_ff] gelu_tanh(a)
        private long[] shape;

        Impl(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        protected INDArray forward(INDArray input, Map<String, INDArray> params, boolean training) {
            int h = layerConf().dModel;
            Shapes.requireSequence(input, h, layerConf().getLayerName());
            shape = input.shape();
            x = input.dup('c').reshape(input.length() / h, h);
            a = x.mmul(params.get(FC1).transpose());
            tanhU = Transforms.tanh(a.mul(a).muli(GELU_A).addi(1).muli(a).muli(GELU_C), false);
            g = tanhU.add(1).muli(a).muli(0.5);
            return g.mmul(params.get(FC2).transpose()).reshape(shape);
        }

        @Override
        protected Backward backward(INDArray epsilon, Map<String, INDArray> params) {
            INDArray dy = epsilon.dup('c').reshape(x.size(0), layerConf().dModel);     // [N, h]
            INDArray dW2 = dy.transpose().mmul(g);                                     // [h, d_ff]
            INDArray dg = dy.mmul(params.get(FC2));                                    // [N, d_ff]
            // gelu_tanh'(a) = 0.5(1 + t) + 0.5·a·(1 − t²)·√(2/π)·(1 + 3·0.044715·a²)
            INDArray inner = a.mul(a).muli(3 * GELU_A).addi(1).muli(GELU_C);
            INDArray dGelu = tanhU.mul(tanhU).rsubi(1).muli(a).muli(inner).addi(tanhU).addi(1).muli(0.5);
            INDArray da = dg.muli(dGelu);                                              // [N, d_ff]
            INDArray dW1 = da.transpose().mmul(x);                                     // [d_ff, h]
            INDArray dx = da.mmul(params.get(FC1));                                    // [N, h]
            return new Backward(dx.reshape(shape), Map.of(FC1, dW1, FC2, dW2));
        }
    }
}
