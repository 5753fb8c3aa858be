package io.mosaspark.model.lm;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.learning.config.Sgd;

import static org.junit.jupiter.api.Assertions.*;

class GlobalNormClippingTest {

    /** With plain SGD at lr 1 a step moves the parameters by exactly minus the (clipped) gradient. */
    private static ComputationGraph sgd() {
        ComputationGraphConfiguration conf = MosaLanguageModel.configuration(LmTestModels.tinyDense(), LmTestModels.UNCLIPPED, DataType.DOUBLE);
        conf.getVertices().values().forEach(v -> {
            if (v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BaseLayer bl) bl.setIUpdater(new Sgd(1.0));
        });
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    private static MultiDataSet batch() {
        return new MultiDataSet(LmTestModels.tokens(1, 2, 8, 10, DataType.DOUBLE), LmTestModels.tokens(2, 2, 8, 10, DataType.DOUBLE));
    }

    @Test
    void clipsTheWholeGradientToTheThresholdBeforeTheUpdate() {
        ComputationGraph g = sgd();
        MultiDataSet d = batch();
        g.setInput(0, d.getFeatures(0));
        g.setLabel(0, d.getLabels(0));
        g.computeGradientAndScore();
        INDArray raw = g.gradient().gradient().dup();
        double norm = raw.norm2Number().doubleValue();
        double threshold = norm / 3;

        GlobalNormClipping clip = new GlobalNormClipping(threshold);
        g.setListeners(clip);
        INDArray before = g.params().dup();
        g.fit(d);
        INDArray step = before.sub(g.params());
        assertEquals(norm, clip.lastNorm(), 1e-12);
        assertEquals(threshold, step.norm2Number().doubleValue(), 1e-12);
        assertTrue(step.equalsWithEps(raw.mul(threshold / norm), 1e-12), "direction preserved");
    }

    @Test
    void leavesSmallGradientsAlone() {
        ComputationGraph g = sgd();
        g.setListeners(new GlobalNormClipping(1e6));
        INDArray before = g.params().dup();
        MultiDataSet d = batch();
        g.setInput(0, d.getFeatures(0));
        g.setLabel(0, d.getLabels(0));
        g.computeGradientAndScore();
        INDArray raw = g.gradient().gradient().dup();
        g.fit(d);
        assertTrue(before.sub(g.params()).equalsWithEps(raw, 1e-12));
        assertThrows(IllegalArgumentException.class, () -> new GlobalNormClipping(0));
    }
}
