package io.mosaspark.model.nn;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Why this project writes its layers by hand ({@link ExplicitLayer}) instead of as DL4J SameDiff
 * layers: in DL4J 1.0.0-M2.1 the gradient a SameDiff layer passes to the layer before it is exactly
 * twice the true one. Here a SameDiff layer that multiplies by a weight of ones (the identity) sits
 * between a dense layer and the loss; the dense layer's gradient should not change, and doubles. If
 * this test fails after a DL4J upgrade, the defect may have been fixed (docs/dl4j.md).
 */
class SameDiffLayerDefectTest {

    /** y = x ⊙ w with w [1, n] initialised to ones. */
    public static final class TimesWeight extends SameDiffLayer {
        private int n;

        public TimesWeight() { // Jackson
        }

        TimesWeight(int n) {
            this.n = n;
        }

        public int getN() {
            return n;
        }

        public void setN(int n) {
            this.n = n;
        }

        @Override
        public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
            return input.mul(params.get("w"));
        }

        @Override
        public void defineParameters(SDLayerParams params) {
            params.addWeightParam("w", 1, n);
        }

        @Override
        public void initializeParameters(Map<String, INDArray> params) {
            params.get("w").assign(1.0);
        }

        @Override
        public InputType getOutputType(int layerIndex, InputType inputType) {
            return inputType;
        }
    }

    private static ComputationGraph graph(boolean withSameDiff) {
        var b = new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.DOUBLE).updater(new NoOp()).graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.feedForward(3))
                .addLayer("dense", new DenseLayer.Builder().nIn(3).nOut(4).activation(Activation.IDENTITY).build(), "in");
        String last = "dense";
        if (withSameDiff) {
            b.addLayer("samediff", new TimesWeight(4), "dense");
            last = "samediff";
        }
        ComputationGraph g = new ComputationGraph(b.addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nIn(4).nOut(2).activation(Activation.IDENTITY).build(), last)
                .setOutputs("out").build());
        g.init();
        return g;
    }

    private static INDArray denseWeightGradient(ComputationGraph g, ComputationGraph paramsFrom) {
        g.getLayer("dense").setParams(paramsFrom.getLayer("dense").params());
        g.getLayer("out").setParams(paramsFrom.getLayer("out").params());
        Nd4j.getRandom().setSeed(3);
        g.setInputs(Nd4j.randn(DataType.DOUBLE, 5, 3));
        g.setLabels(Nd4j.randn(DataType.DOUBLE, 5, 2));
        g.computeGradientAndScore();
        return g.gradient().getGradientFor("dense_W").dup();
    }

    @Test
    void aSameDiffLayerDoublesTheGradientOfTheLayerBeforeIt() {
        ComputationGraph plain = graph(false);
        INDArray truth = denseWeightGradient(plain, plain);
        INDArray throughSameDiff = denseWeightGradient(graph(true), plain);
        assertTrue(truth.norm2Number().doubleValue() > 0);
        assertTrue(throughSameDiff.equalsWithEps(truth.mul(2), 1e-10),
                "SameDiff layers no longer double upstream gradients: " + throughSameDiff + " vs 2 × " + truth);
    }
}
