package io.mosaspark.model.nn;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.listeners.CollectScoresListener;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;

import java.io.File;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ExplicitLayerTest {

    private static DataType savedDefault;
    private static DataType savedFloat;

    @BeforeAll
    static void doublePrecisionContext() {
        // GradientCheckUtil insists on a double context; restored afterwards for the other tests in the JVM.
        savedDefault = Nd4j.dataType();
        savedFloat = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restoreContext() {
        Nd4j.setDefaultDataTypes(savedDefault, savedFloat);
    }

    /** in [B,T,3] → affine(3→5) → affine(5→2) → MSE; miniBatch left at DL4J's default (true). */
    static ComputationGraph net(DataType dt, IUpdater updater, WorkspaceMode ws, GradientNormalization gn) {
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder()
                .seed(7).dataType(dt).updater(updater)
                .trainingWorkspaceMode(ws).inferenceWorkspaceMode(ws);
        if (gn != null) b.gradientNormalization(gn).gradientNormalizationThreshold(0.5);
        ComputationGraphConfiguration conf = b.graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.recurrent(3, 4, RNNFormat.NWC))
                .addLayer("a_0", new AffineLayer(3, 5), "in")
                .addLayer("a_1", new AffineLayer(5, 2), "a_0")
                .addLayer("loss", new MseLoss(), "a_1")
                .setOutputs("loss")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    static MultiDataSet data(DataType dt, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return new MultiDataSet(Nd4j.randn(dt, 2, 4, 3), Nd4j.randn(dt, 2, 4, 2));
    }

    @Test
    void gradientsMatchFiniteDifferencesInDouble() {
        ComputationGraph g = net(DataType.DOUBLE, new NoOp(), WorkspaceMode.ENABLED, null);
        MultiDataSet d = data(DataType.DOUBLE, 1);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g)
                .inputs(d.getFeatures()).labels(d.getLabels())
                .epsilon(1e-6).maxRelError(1e-6).minAbsoluteError(1e-10));
        assertTrue(ok, "gradient check failed (see log)");
    }

    @Test
    void parametersAreCanonicallyShapedViewsOfTheFlatVector() {
        ComputationGraph g = net(DataType.DOUBLE, new NoOp(), WorkspaceMode.NONE, null);
        INDArray w = g.getLayer("a_0").getParam("weight");
        assertArrayEquals(new long[]{5, 3}, w.shape());
        assertEquals(3 * 5 + 5 + 5 * 2 + 2, g.numParams());
        w.putScalar(1, 2, 42.0); // row 1, column 2 of [out, in], row-major
        assertEquals(42.0, g.params().getDouble(1 * 3 + 2));
        assertEquals(42.0, g.paramTable().get("a_0_weight").getDouble(1, 2));
    }

    @Test
    void layerSetParamsReadsTheFlatVectorRowMajor() {
        ComputationGraph g = net(DataType.DOUBLE, new NoOp(), WorkspaceMode.NONE, null);
        org.deeplearning4j.nn.api.Layer l = g.getLayer("a_1");
        INDArray flat = Nd4j.linspace(DataType.DOUBLE, 1, 12, 1).reshape(1, 12);      // weight [2, 5], bias [2]
        l.setParams(flat);
        assertEquals(Nd4j.linspace(DataType.DOUBLE, 1, 10, 1).reshape('c', 2, 5), l.getParam("weight"));
        assertEquals(Nd4j.createFromArray(11.0, 12.0), l.getParam("bias"));
        assertEquals(List.of("weight", "bias"), l.conf().variables());
        assertTrue(g.summary().contains("a_1"));
    }

    @Test
    void workspaceModesGiveIdenticalTraining() {
        ComputationGraph a = net(DataType.FLOAT, new Adam(1e-2), WorkspaceMode.ENABLED, GradientNormalization.ClipL2PerLayer);
        ComputationGraph b = net(DataType.FLOAT, new Adam(1e-2), WorkspaceMode.NONE, GradientNormalization.ClipL2PerLayer);
        assertEquals(a.params(), b.params());
        for (int i = 0; i < 3; i++) {
            MultiDataSet d = data(DataType.FLOAT, 10 + i);
            a.fit(d);
            b.fit(d);
        }
        assertEquals(a.params(), b.params());
        INDArray x = data(DataType.FLOAT, 99).getFeatures(0);
        assertEquals(a.outputSingle(x), b.outputSingle(x));
    }

    @Test
    void trainsWithAdamClippingAndListenersInFloat() {
        ComputationGraph g = net(DataType.FLOAT, new Adam(5e-2), WorkspaceMode.ENABLED, GradientNormalization.ClipL2PerLayer);
        CollectScoresListener scores = new CollectScoresListener(1);
        g.setListeners(scores);
        MultiDataSet d = data(DataType.FLOAT, 3);
        for (int i = 0; i < 60; i++) g.fit(d);
        assertEquals(DataType.FLOAT, g.params().dataType());
        double first = scores.getListScore().getDouble(0);
        double last = scores.getListScore().getDouble(scores.getListScore().size() - 1);
        assertTrue(last < 0.5 * first, "loss did not fall: " + first + " -> " + last);
    }

    @Test
    void modelSerializerRoundTripKeepsParamsAndUpdaterState(@TempDir Path dir) throws Exception {
        ComputationGraph g = net(DataType.FLOAT, new Adam(1e-2), WorkspaceMode.ENABLED, GradientNormalization.ClipL2PerLayer);
        for (int i = 0; i < 3; i++) g.fit(data(DataType.FLOAT, 20 + i));
        File f = dir.resolve("net.zip").toFile();
        ModelSerializer.writeModel(g, f, true);
        ComputationGraph r = ModelSerializer.restoreComputationGraph(f, true);

        assertEquals(g.getConfiguration(), r.getConfiguration());
        assertEquals(g.params(), r.params());
        assertEquals(g.getUpdater().getStateViewArray(), r.getUpdater().getStateViewArray());
        MultiDataSet next = data(DataType.FLOAT, 30);
        g.fit(next);
        r.fit(next); // identical only if Adam's moments came back too
        assertEquals(g.params(), r.params());
    }

    @Test
    void configurationJsonRoundTrips() {
        ComputationGraphConfiguration c = net(DataType.FLOAT, new Adam(1e-3), WorkspaceMode.NONE, GradientNormalization.ClipL2PerLayer).getConfiguration();
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(c.toJson());
        assertEquals(c, back);
        AffineLayer l = (AffineLayer) ((org.deeplearning4j.nn.conf.graph.LayerVertex) back.getVertices().get("a_1")).getLayerConf().getLayer();
        assertEquals(GradientNormalization.ClipL2PerLayer, l.getGradientNormalization());
        assertEquals(0.5, l.getGradientNormalizationThreshold());
        assertEquals(2 * 5 + 2, l.initializer().numParams(l));
    }

    @Test
    void refusesMismatchedInputWidthWhenBuilding() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
                        .setInputTypes(InputType.recurrent(3, 4, RNNFormat.NWC))
                        .addLayer("a_0", new AffineLayer(4, 5), "in")
                        .addLayer("loss", new MseLoss(), "a_0")
                        .setOutputs("loss").build());
        assertTrue(e.getMessage().contains("'a_0'") && e.getMessage().contains("feature size 3"), e.getMessage());
    }

    @Test
    void refusesDropoutItWouldOtherwiseIgnore() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dropOut(0.9).graphBuilder().addInputs("in")
                .setInputTypes(InputType.recurrent(3, 4, RNNFormat.NWC))
                .addLayer("a_0", new AffineLayer(3, 5), "in")
                .addLayer("loss", new MseLoss(), "a_0")
                .setOutputs("loss").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ComputationGraph(conf).init());
        assertTrue(e.getMessage().contains("'a_0'") && e.getMessage().contains("dropout"), e.getMessage());
    }

    @Test
    void refusesParameterNamesDl4jCannotRoute() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ParamSpec.weight("qkv_weight", new ParamSpec.Constant(0), 2, 2));
        assertTrue(e.getMessage().contains("qkv_weight") && e.getMessage().contains("'_'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ParamSpec.weight("w", new ParamSpec.Constant(0), 2, 0));
    }
}
