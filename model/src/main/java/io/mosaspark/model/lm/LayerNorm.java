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
        if (dModel < 1) throw new IllegalArgumentException("d_model = " + dModel + ": must be >= 1");
        if (!(eps > 0)) throw new IllegalArgumentException("ln_eps = " + eps + ": must be > 0");
        this.dModel = dModel;
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
        private INDArray rstd;   // [N, 1]
        private long[] shape;

        Impl(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        protected INDArray forward(INDArray input, Map<String, INDArray> params, boolean training) {
            int h = layerConf().dModel;
            Shapes.requireSequence(input, h, layerConf().getLayerName());
            shape = input.shape();
            INDArray x = input.dup('c').reshape(input.length() / h, h);
            INDArray centred = x.subColumnVector(x.mean(true, 1));
            INDArray var = centred.mul(centred).mean(true, 1);
            rstd = Transforms.pow(var.addi(layerConf().eps), -0.5, false);
            xHat = centred.muliColumnVector(rstd);
            return xHat.mulRowVector(params.get(WEIGHT)).addiRowVector(params.get(BIAS)).reshape(shape);
        }

        @Override
        protected Backward backward(INDArray epsilon, Map<String, INDArray> params) {
            int h = layerConf().dModel;
            INDArray dy = epsilon.dup('c').reshape(xHat.shape());
            INDArray dW = dy.mul(xHat).sum(0);
            INDArray dB = dy.sum(0);
            INDArray g = dy.mulRowVector(params.get(WEIGHT));                   // dL/dxHat
            // dx = rstd · (g − mean(g) − xHat · mean(g ⊙ xHat)), all means over the h axis
            INDArray dx = g.subColumnVector(g.mean(true, 1))
                    .subi(xHat.mulColumnVector(g.mul(xHat).mean(true, 1)))
                    .muliColumnVector(rstd);
            return new Backward(dx.reshape(shape), Map.of(WEIGHT, dW, BIAS, dB));
        }
    }
}
