package io.mosaspark.model.lm;

import io.mosaspark.model.config.TrainingConfig;
import io.mosaspark.model.config.TrainingConfig.Optimizer;
import io.mosaspark.model.config.TrainingConfig.Schedule;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.RampSchedule;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The optimiser and learning-rate schedule a {@link TrainingConfig} builds, and that they survive a restore. */
class LearningRateScheduleTest {

    @Test
    void warmupCosineRisesLinearlyThenFallsToItsFloorAtTheLastStep() {
        WarmupCosine s = new WarmupCosine(1e-3, 4, 14, 0.1);
        assertEquals(0.25e-3, s.valueAt(0, 0), 1e-18);
        assertEquals(1e-3, s.valueAt(3, 0), 1e-18, "peak at the last warm-up step");
        assertEquals(1e-3, s.valueAt(4, 0), 1e-18, "decay starts from the peak");
        assertEquals(0.55e-3, s.valueAt(9, 0), 1e-15, "half way: the mean of peak and floor");
        assertEquals(1e-4, s.valueAt(14, 0), 1e-18, "floor at steps");
        assertEquals(1e-4, s.valueAt(1000, 7), 1e-18, "and after");
        for (int i = 4; i < 14; i++) assertTrue(s.valueAt(i + 1, 0) < s.valueAt(i, 0), "falls at " + i);
        assertEquals(1e-3, new WarmupCosine(1e-3, 0, 10, 0).valueAt(0, 0), 1e-18, "no warm-up: starts at the peak");
        assertEquals(0.0, new WarmupCosine(1e-3, 0, 10, 0).valueAt(10, 0), 1e-18);
        assertThrows(IllegalArgumentException.class, () -> new WarmupCosine(1e-3, 10, 10, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new WarmupCosine(1e-3, 1, 10, 1.5));
    }

    @Test
    void learningRateWarmsUpLinearlyThenStaysForTheConstantSchedule() {
        LinearWarmup w = new LinearWarmup(1e-3, 4);
        assertEquals(0.25e-3, w.valueAt(0, 0), 1e-18);
        assertEquals(1e-3, w.valueAt(3, 0), 1e-18);
        assertEquals(1e-3, w.valueAt(1000, 3), 1e-18);
        assertThrows(IllegalArgumentException.class, () -> new LinearWarmup(1e-3, 0));
        assertEquals(new LinearWarmup(3e-3, 30), TrainingSetup.schedule(TrainingConfig.PAPER.withLearningRate(3e-3)
                .withSchedule(Schedule.CONSTANT, 30)));
        assertEquals(new FixedSchedule(3e-3), TrainingSetup.schedule(TrainingConfig.PAPER.withLearningRate(3e-3)
                .withSchedule(Schedule.CONSTANT, 0)));
        assertEquals(new WarmupCosine(2.5e-4, 4000, 100_000, 0.1), TrainingSetup.schedule(TrainingConfig.PAPER));
    }

    @Test
    void optimizersAndWeightDecayMapToNd4j() {
        assertEquals(Adam.class, TrainingSetup.updater(TrainingConfig.PAPER).getClass());
        Sgd sgd = (Sgd) TrainingSetup.updater(TrainingConfig.PAPER.withOptimizer(Optimizer.SGD));
        assertEquals(TrainingSetup.schedule(TrainingConfig.PAPER), sgd.getLearningRateSchedule(), "SGD on the same schedule");
        assertEquals(L2Regularization.class, matrixRegularization(TrainingConfig.PAPER.withWeightDecay(0.1)).getClass(),
                "adam: L2 added to the gradient");
        assertEquals(L2Regularization.class,
                matrixRegularization(TrainingConfig.PAPER.withOptimizer(Optimizer.SGD).withWeightDecay(0.1)).getClass());
        Regularization decoupled = matrixRegularization(TrainingConfig.PAPER.withOptimizer(Optimizer.ADAMW).withWeightDecay(0.1));
        assertEquals(new WeightDecay(0.1, true), decoupled, "adamw: decoupled, scaled by the learning rate");
        assertNull(matrixRegularization(TrainingConfig.PAPER));
    }

    /** ND4J's own warm-up schedule cannot be read back from a saved configuration: why LinearWarmup exists. */
    @Test
    void nd4jRampScheduleDoesNotSurviveTheJsonRoundTrip() {
        ComputationGraphConfiguration c = MosaLanguageModel.configuration(LmTestModels.tinyDense(), LmTestModels.ADAM, DataType.FLOAT);
        c.getVertices().values().forEach(v -> {
            if (v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BaseLayer bl) {
                bl.setIUpdater(new Adam(new RampSchedule(new FixedSchedule(1e-3), 10)));
            }
        });
        String json = c.toJson();
        assertThrows(RuntimeException.class, () -> ComputationGraphConfiguration.fromJson(json));
        for (TrainingConfig t : List.of(TrainingConfig.PAPER, LmTestModels.ADAM)) {
            ComputationGraphConfiguration ours = MosaLanguageModel.configuration(LmTestModels.tinyDense(), t, DataType.FLOAT);
            assertEquals(ours, ComputationGraphConfiguration.fromJson(ours.toJson()), "our schedules do");
        }
    }

    /**
     * The schedule is driven by the graph's iteration count: set it (as a trainer that restores or
     * averages models does) and the next step uses the rate of that iteration. SGD without clipping:
     * step = lr(i) · gradient.
     */
    @Test
    void theGraphsIterationCountDrivesTheSchedule() {
        TrainingConfig t = TrainingConfig.PAPER.withOptimizer(Optimizer.SGD).withLearningRate(0.5)
                .withSchedule(Schedule.COSINE, 10).withSteps(100).withGradClip(0);
        WarmupCosine schedule = (WarmupCosine) TrainingSetup.schedule(t);
        ComputationGraph g = MosaLanguageModel.build(LmTestModels.tinyDense(), t, DataType.DOUBLE);
        MultiDataSet d = new MultiDataSet(LmTestModels.tokens(1, 2, 8, 10, DataType.DOUBLE),
                LmTestModels.tokens(2, 2, 8, 10, DataType.DOUBLE));
        for (int iteration : new int[]{0, 5, 9, 10, 55, 99, 100, 500}) {
            g.getConfiguration().setIterationCount(iteration);
            g.setInputs(d.getFeatures());
            g.setLabels(d.getLabels());
            g.computeGradientAndScore();
            INDArray gradient = g.gradient().gradient().dup();
            INDArray before = g.params().dup();
            g.fit(d);
            INDArray step = before.sub(g.params());
            assertTrue(step.equalsWithEps(gradient.mul(schedule.valueAt(iteration, 0)), 1e-12),
                    "iteration " + iteration + ": lr " + schedule.valueAt(iteration, 0));
            assertEquals(iteration + 1, g.getIterationCount(), "fit counts the step");
        }
    }

    private static Regularization matrixRegularization(TrainingConfig t) {
        ComputationGraphConfiguration c = MosaLanguageModel.configuration(LmTestModels.tinyDense(), t, DataType.FLOAT);
        BaseLayer mlp = (BaseLayer) ((LayerVertex) c.getVertices().get(LmNames.mlp(0))).getLayerConf().getLayer();
        List<Regularization> r = mlp.getRegularizationByParam(Mlp.FC1);
        BaseLayer ln = (BaseLayer) ((LayerVertex) c.getVertices().get(LmNames.ln1(0))).getLayerConf().getLayer();
        assertTrue(ln.getRegularizationByParam(LayerNorm.WEIGHT).isEmpty(), "never on LayerNorm gains");
        return r.isEmpty() ? null : r.get(0);
    }
}
