package io.mosaspark.train;

import io.mosaspark.model.config.AttentionConfig;
import io.mosaspark.model.config.ModelConfig;
import io.mosaspark.model.config.TrainingConfig;
import io.mosaspark.train.checkpoint.DataIdentity;
import io.mosaspark.train.data.InMemoryTokens;
import io.mosaspark.train.outer.OuterConfig;
import io.mosaspark.train.round.FaultPlan;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** A model and data small enough to train many times per test class, with every kind of head. */
final class TinyRuns {
    static final int VOCAB = 32;
    static final int SEQ = 16;

    private TinyRuns() {
    }

    static ModelConfig model() {
        AttentionConfig a = AttentionConfig.hybrid(16, 8, 2, 2, 4);
        return new ModelConfig(VOCAB, 1, 32, SEQ, ModelConfig.DEFAULT_LN_EPS, a);
    }

    /** Adam at a constant 1e-2 with global clipping at 1, two sequences per worker step. */
    static TrainingConfig adam(int steps) {
        return new TrainingConfig(TrainingConfig.Optimizer.ADAM, 1e-2, 0.9, 0.999, 1e-8, 0.0,
                TrainingConfig.Schedule.CONSTANT, 0, 0.1, 1.0, TrainingConfig.Clip.GLOBAL, 2, steps, 7);
    }

    static TrainConfig config(int workers, int localSteps, int rounds, OuterConfig outer, String precision) {
        return new TrainConfig(model(), adam(rounds * localSteps), precision, workers, localSteps, rounds, outer,
                0, 8, 0, 2, 2);
    }

    /** A stream with structure to learn (a noisy counting sequence), deterministic. */
    static int[] tokens(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = r.nextInt(10) == 0 ? r.nextInt(VOCAB) : (i * 3) % VOCAB;
        return t;
    }

    static InMemoryTokens data(int workers) {
        return new InMemoryTokens(tokens(4000, 1), tokens(600, 2), SEQ, workers, 11);
    }

    static RunOptions options(Path out, boolean resume, FaultPlan faults) {
        return new RunOptions(out.toUri().toString(), resume, new DataIdentity("memory:tiny", "none", null), null,
                faults, new PrintStream(PrintStream.nullOutputStream()));
    }
}
