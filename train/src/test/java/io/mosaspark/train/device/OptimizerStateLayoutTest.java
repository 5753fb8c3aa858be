package io.mosaspark.train.device;

import io.mosaspark.model.config.ModelConfig;
import io.mosaspark.model.config.TrainingConfig;
import io.mosaspark.model.lm.LmParamShapes;
import io.mosaspark.model.lm.MosaLanguageModel;
import io.mosaspark.model.lm.NextTokenBatch;
import io.mosaspark.model.preset.Preset;
import io.mosaspark.model.preset.Presets;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CUDA backend keeps Adam's state as one buffer [m | v] over the parameters in the graph's order
 * (cuda's AdamGpu) and a worker hands that buffer back as its optimizer state; averaging, DiLoCo and
 * checkpoints treat it as the ND4J graph's updater state view. This pins that the two are the same layout:
 * DL4J puts every parameter of the language model into one updater block, whose view is [m | v].
 */
class OptimizerStateLayoutTest {

    private static ModelConfig small(String kind) {
        Preset p = Presets.load("tiny", List.of("model.n_layers=2", "model.attention.d_model=32", "model.attention.head_dim=8",
                "model.d_ff=64", "model.vocab_size=50", "model.seq_len=16", "model.attention.dense_heads=2"));
        return kind.equals("dense") ? p.dense() : p.dense().withAttention(p.dense().attention().withHeads(1, 2, 4));
    }

    @ParameterizedTest
    @CsvSource({"dense, adam, 0", "matched, adam, 0", "matched, adamw, 0.1", "dense, adam, 0.01"})
    void adamStateIsOneBlockOfFirstThenSecondMoment(String kind, String optimizer, double weightDecay) {
        ModelConfig model = small(kind);
        TrainingConfig training = TrainingConfig.PAPER.withOptimizer(TrainingConfig.Optimizer.of(optimizer))
                .withWeightDecay(weightDecay).withSchedule(TrainingConfig.Schedule.CONSTANT, 0).withBatchSize(2).withSteps(10);
        ComputationGraph g = MosaLanguageModel.build(model, training, DataType.DOUBLE);
        long n = LmParamShapes.of(model).values().stream().mapToLong(LmParamShapes::size).sum();
        assertEquals(n, g.numParams());

        List<UpdaterBlock> blocks = ((BaseMultiLayerUpdater<?>) g.getUpdater()).getUpdaterBlocks();
        assertEquals(1, blocks.size(), "updater blocks " + blocks.size());
        UpdaterBlock block = blocks.get(0);
        assertEquals(0, block.getParamOffsetStart());
        assertEquals(n, block.getParamOffsetEnd());
        assertEquals(0, block.getUpdaterViewOffsetStart());
        assertEquals(2 * n, block.getUpdaterViewOffsetEnd());
        assertEquals(2 * n, g.getUpdater().getStateViewArray().length());

        // One step from a zero state: m = (1 − β1)·g and v = (1 − β2)·g², so v = (1 − β2)/(1 − β1)²·m² at
        // every parameter; that holds for [m | v] and fails for [v | m] or an interleaved layout.
        g.getUpdater().getStateViewArray().assign(0);
        SplittableRandom rnd = new SplittableRandom(3);
        int[][] windows = new int[2][model.seqLen() + 1];
        for (int[] w : windows) for (int i = 0; i < w.length; i++) w[i] = rnd.nextInt(model.vocabSize());
        g.fit(NextTokenBatch.of(Nd4j.createFromArray(windows), DataType.DOUBLE));
        double[] state = g.getUpdater().getStateViewArray().reshape(2 * n).toDoubleVector();
        double ratio = (1 - training.beta2()) / Math.pow(1 - training.beta1(), 2);
        int nonZero = 0;
        for (int i = 0; i < n; i++) {
            double m = state[i], v = state[(int) n + i];
            assertEquals(ratio * m * m, v, 1e-12 + 1e-9 * v, "parameter " + i);
            if (m != 0) nonZero++;
        }
        assertTrue(nonZero > n / 2, nonZero + " of " + n + " first moments are non-zero");
    }
}
