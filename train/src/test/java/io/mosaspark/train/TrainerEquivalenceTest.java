package io.mosaspark.train;

import io.mosaspark.model.config.TrainingConfig;
import io.mosaspark.model.lm.MosaLanguageModel;
import io.mosaspark.model.lm.NextTokenBatch;
import io.mosaspark.train.data.InMemoryTokens;
import io.mosaspark.train.data.WindowStream;
import io.mosaspark.train.outer.OuterConfig;
import io.mosaspark.train.round.FaultPlan;
import io.mosaspark.train.state.FlatVector;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The distributed rounds against what they must equal. */
class TrainerEquivalenceTest {

    @TempDir
    Path tmp;

    /** Single-JVM training on rank 0's windows, in order: the reference a 1-worker run must equal. */
    static FlatVector localTraining(TrainConfig c, InMemoryTokens data, int steps) throws Exception {
        ComputationGraph g = MosaLanguageModel.build(c.model(), c.training(), c.dataType());
        try (WindowStream windows = data.train(0, 0)) {
            for (int s = 0; s < steps; s++) {
                int[][] batch = new int[c.batchSize()][c.model().seqLen() + 1];
                for (int[] row : batch) windows.next(row);
                g.fit(NextTokenBatch.of(Nd4j.createFromArray(batch), c.dataType()));
            }
        }
        return FlatVector.copyOf(g.params());
    }

    @Test
    void oneWorkerAveragingEveryStepIsLocalTrainingBitForBitInFloat64() throws Exception {
        TrainConfig c = TinyRuns.config(1, 1, 6, OuterConfig.averaging(), "float64");
        InMemoryTokens data = TinyRuns.data(1);
        Trainer.Result r = Trainer.train(SharedSpark.context(), c, data, TinyRuns.options(tmp.resolve("run"), false, null));
        FlatVector local = localTraining(c, data, 6);
        assertEquals(0.0, r.state().params().maxAbsDifference(local));
        assertEquals(local, r.state().params());
        assertEquals(6, r.state().globalStep());
    }

    @Test
    void oneWorkerAveragingEveryFourStepsIsLocalTrainingInFloat32() throws Exception {
        TrainConfig c = TinyRuns.config(1, 4, 2, OuterConfig.averaging(), "float32");
        InMemoryTokens data = TinyRuns.data(1);
        Trainer.Result r = Trainer.train(SharedSpark.context(), c, data, TinyRuns.options(tmp.resolve("run"), false, null));
        FlatVector local = localTraining(c, data, 8);
        assertEquals(local, r.state().params(), "max |diff| " + r.state().params().maxAbsDifference(local));
    }

    @Test
    void twoSgdWorkersForOneStepEachAreOneStepOnTheirJointBatch() throws Exception {
        TrainConfig base = TinyRuns.config(2, 1, 1, OuterConfig.averaging(), "float64");
        TrainConfig c = base.withTraining(base.training().withOptimizer(TrainingConfig.Optimizer.SGD)
                .withLearningRate(0.5).withGradClip(0));
        InMemoryTokens data = TinyRuns.data(2);
        Trainer.Result r = Trainer.train(SharedSpark.context(), c, data, TinyRuns.options(tmp.resolve("sgd"), false, null));

        int b = c.batchSize(), w = c.model().seqLen() + 1;
        int[][] joint = new int[2 * b][w];
        for (int rank = 0; rank < 2; rank++) {
            try (WindowStream windows = data.train(rank, 0)) {
                for (int i = 0; i < b; i++) windows.next(joint[rank * b + i]);
            }
        }
        ComputationGraph g = MosaLanguageModel.build(c.model(), c.training(), c.dataType());
        FlatVector start = FlatVector.copyOf(g.params());
        g.fit(NextTokenBatch.of(Nd4j.createFromArray(joint), c.dataType()));
        FlatVector oneStep = FlatVector.copyOf(g.params());

        double moved = oneStep.maxAbsDifference(start);
        double diff = oneStep.maxAbsDifference(r.state().params());
        assertTrue(moved > 1e-3, "the step moves the parameters: " + moved);
        assertTrue(diff < 1e-13, "max |diff| " + diff + " (the step moved them by up to " + moved + ")");
    }

    /**
     * DiLoCo as the paper states it, computed here without the trainer: each worker is a network of its
     * own that keeps its Adam moments and step count across rounds (so bias correction and the warm-up +
     * cosine schedule follow the global step); at a round's start only its parameters are reset to θ; the
     * outer step is Nesterov SGD on θ − mean(θᵢ), its buffer carried from round to round.
     */
    @Test
    void dilocoIsWorkersKeepingTheirAdamUnderTheGlobalScheduleAndNesterovOnTheirMeanChange() throws Exception {
        int h = 2, rounds = 3, n = 2;
        double lr = 0.7, mu = 0.9;
        TrainingConfig t = new TrainingConfig(TrainingConfig.Optimizer.ADAM, 1e-2, 0.9, 0.999, 1e-8, 0.0,
                TrainingConfig.Schedule.COSINE, 3, 0.1, 1.0, TrainingConfig.Clip.GLOBAL, 2, rounds * h, 7);
        TrainConfig c = new TrainConfig(TinyRuns.model(), t, "float64", n, h, rounds,
                new OuterConfig(OuterConfig.Rule.DILOCO, lr, mu), 0, 8, 0, 2, 2);
        InMemoryTokens data = TinyRuns.data(n);
        Trainer.Result r = Trainer.train(SharedSpark.context(), c, data, TinyRuns.options(tmp.resolve("diloco"), false, null));

        ComputationGraph[] workers = new ComputationGraph[n];
        WindowStream[] windows = new WindowStream[n];
        for (int k = 0; k < n; k++) {
            workers[k] = MosaLanguageModel.build(c.model(), c.training(), c.dataType());
            windows[k] = data.train(k, 0); // read on across rounds: no position arithmetic here
        }
        double[] theta = workers[0].params().toDoubleVector();
        double[] start = theta.clone();
        double[] buffer = null;
        for (int round = 0; round < rounds; round++) {
            double[] mean = new double[theta.length];
            for (int k = 0; k < n; k++) {
                workers[k].params().assign(Nd4j.createFromArray(theta));
                for (int s = 0; s < h; s++) {
                    int[][] batch = new int[c.batchSize()][c.model().seqLen() + 1];
                    for (int[] row : batch) windows[k].next(row);
                    workers[k].fit(NextTokenBatch.of(Nd4j.createFromArray(batch), c.dataType()));
                }
                double[] p = workers[k].params().toDoubleVector();
                for (int i = 0; i < mean.length; i++) mean[i] += p[i] / n;
            }
            double[] delta = new double[theta.length];
            for (int i = 0; i < theta.length; i++) delta[i] = theta[i] - mean[i];
            if (buffer == null) {
                buffer = delta.clone();
            } else {
                for (int i = 0; i < theta.length; i++) buffer[i] = mu * buffer[i] + delta[i];
            }
            for (int i = 0; i < theta.length; i++) theta[i] -= lr * (delta[i] + mu * buffer[i]);
        }
        for (WindowStream w : windows) w.close();

        FlatVector expected = FlatVector.of(theta);
        double moved = expected.maxAbsDifference(FlatVector.of(start));
        double diff = expected.maxAbsDifference(r.state().params());
        assertTrue(moved > 1e-2, "three rounds move the parameters: " + moved);
        assertTrue(diff < 1e-12, "max |diff| " + diff + " (the rounds moved them by up to " + moved + ")");
        assertEquals(FlatVector.of(buffer).maxAbsDifference(r.state().outerMomentum()), 0.0, 1e-12, "the outer buffer");
        assertEquals(rounds * h, r.state().globalStep());
    }

    @Test
    void aTaskThatFailsOnceIsRetriedAndChangesNothing() throws Exception {
        for (OuterConfig outer : new OuterConfig[]{OuterConfig.averaging(), OuterConfig.diloco()}) {
            TrainConfig c = TinyRuns.config(2, 2, 3, outer, "float32");
            InMemoryTokens data = TinyRuns.data(2);
            Trainer.Result clean = Trainer.train(SharedSpark.context(), c, data,
                    TinyRuns.options(tmp.resolve("clean-" + outer.rule()), false, null));
            Trainer.Result faulty = Trainer.train(SharedSpark.context(), c, data,
                    TinyRuns.options(tmp.resolve("faulty-" + outer.rule()), false, new FaultPlan(1, 1)));
            assertEquals(clean.state().params(), faulty.state().params(), outer.rule() + ": max |diff| "
                    + clean.state().params().maxAbsDifference(faulty.state().params()));
            assertNotEquals(TinyRuns.config(2, 2, 3, outer, "float32"), null);
            assertTrue(clean.validation().loss() < Math.log(TinyRuns.VOCAB), "learns something: " + clean.validation().loss());
        }
    }
}
