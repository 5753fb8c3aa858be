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
        private INDArray rstd;   // [N, 1]
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
            INDArray x = input.reshape('c', input.length() / h, h);                      // read only
            INDArray mean = x.mean(true, 1);                                             // [N, 1]
            INDArray centred = keep(() -> x.subColumnVector(mean));                      // becomes xHat
            INDArray var = centred.mul(centred).mean(true, 1);                           // [N, 1]
            rstd = keep(() -> Transforms.pow(var.addi(layerConf().eps), -0.5, true));
            xHat = centred.muliColumnVector(rstd);
            INDArray out = xHat.mulRowVector(params.get(WEIGHT)).addiRowVector(params.get(BIAS)).reshape(shape);
            if (!training) releaseForwardCache();
            return out;
        }

        @Override
        protected Backward backward(INDArray epsilon, Map<String, INDArray> params) {
            INDArray dy = epsilon.reshape('c', xHat.shape());                          // read only
            INDArray dW = dy.mul(xHat).sum(gradientView(WEIGHT), 0);
            INDArray dB = dy.sum(gradientView(BIAS), 0);
            INDArray g = dy.mulRowVector(params.get(WEIGHT));                   // dL/dxHat
            INDArray meanGXHat = g.mul(xHat).mean(true, 1);
            // dx = rstd · (g − mean(g) − xHat · mean(g ⊙ xHat)), all means over the h axis; xHat is ours to overwrite now
            INDArray dx = g.subiColumnVector(g.mean(true, 1))
                    .subi(xHat.muliColumnVector(meanGXHat))
                    .muliColumnVector(rstd);
            return new Backward(dx.reshape(shape), Map.of(WEIGHT, dW, BIAS, dB));
        }

        @Override
        protected void releaseForwardCache() {
            xHat = null;         // both live in the layer's step memory, reused by the next step
            rstd = null;
        }

        @Override
        protected boolean forwardInTransientMemory() {
            return true;
        }
    }
}
