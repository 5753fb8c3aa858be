package io.mosaspark.model.nn;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

/**
 * Test-only parameter-free output layer: score = mean over all B·T·h entries of (x − label)².
 * (DL4J's own RnnLossLayer mis-reshapes NWC labels in M2.1, so the base tests its output half too.)
 */
public final class MseLoss extends ExplicitLayerConf {

    public MseLoss() {
    }

    @Override
    public List<ParamSpec> paramSpecs() {
        return List.of();
    }

    @Override
    protected ExplicitLayer<?> createLayer(NeuralNetConfiguration conf, DataType dataType) {
        return new Impl(conf, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return inputType;
    }

    static final class Impl extends ExplicitOutputLayer<MseLoss> {
        private INDArray x;

        Impl(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        protected INDArray forward(INDArray input, Map<String, INDArray> params, boolean training) {
            x = input;
            return input.dup();
        }

        @Override
        protected double loss(INDArray labels) {
            return x.squaredDistance(labels.castTo(x.dataType())) / x.length();
        }

        @Override
        protected INDArray lossPerExample(INDArray labels) {
            INDArray d = x.sub(labels.castTo(x.dataType()));
            return d.muli(d).reshape(x.size(0), -1).mean(true, 1);                      // [B, 1]
        }

        @Override
        protected Backward backward(INDArray epsilon, Map<String, INDArray> params) {
            INDArray dx = x.sub(getLabels().castTo(x.dataType())).muli(2.0 * gradientScale() / x.length());
            return new Backward(dx, Map.of());
        }
    }
}
