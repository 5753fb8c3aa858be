package io.mosaspark.bench.train;

import io.mosaspark.model.config.ModelConfig;
import io.mosaspark.model.lm.MosaLanguageModel;
import io.mosaspark.model.preset.Presets;
import io.mosaspark.train.state.FlatVector;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The worker-loop comparison's inputs are the same on every JVM and fit the graph they are loaded into. */
class WorkerLoopRunTest {

    @Test
    void initialParametersFitTheGraphAndDependOnTheSeedAlone() {
        ModelConfig model = Presets.load("tiny", List.of("model.n_layers=1", "model.attention.d_model=32",
                "model.attention.head_dim=8", "model.d_ff=64", "model.vocab_size=40", "model.seq_len=8",
                "model.attention.dense_heads=2")).dense();
        FlatVector a = WorkerLoopRun.initialParams(model, 1), b = WorkerLoopRun.initialParams(model, 1);
        var g = MosaLanguageModel.build(model, io.mosaspark.model.config.TrainingConfig.PAPER, DataType.FLOAT);
        assertEquals(g.numParams(), a.length());
        assertArrayEquals(a.floats(), b.floats());
        a.assignTo(g.params());   // loads into the graph as a checkpoint's vector would
        // the embedding (first in the graph's order) is Normal(0, 0.02²); ln_1's gain after it is all ones
        double sq = 0;
        for (int i = 0; i < 40 * 32; i++) sq += a.floats()[i] * a.floats()[i];
        assertEquals(0.02, Math.sqrt(sq / (40 * 32)), 0.003);
        for (int i = 40 * 32; i < 40 * 32 + 32; i++) assertEquals(1f, a.floats()[i]);
    }

    @Test
    void theTokensFollowTheirSuccessorMostOfTheTime() {
        int[] t = WorkerLoopRun.tokens(20_001, 8000, 5);
        assertArrayEquals(t, WorkerLoopRun.tokens(20_001, 8000, 5));
        int follow = 0, seen = 0;
        // the successor table is the majority transition: count how often a token repeats its most common successor
        int[][] counts = new int[1000][];
        for (int i = 0; i + 1 < t.length; i++) {
            assertTrue(t[i] >= 0 && t[i] < 1000, "token " + t[i] + " outside the 1,000-id alphabet");
            if (counts[t[i]] == null) counts[t[i]] = new int[1000];
            counts[t[i]][t[i + 1]]++;
        }
        for (int[] c : counts) {
            if (c == null) continue;
            int max = 0, sum = 0;
            for (int x : c) {
                max = Math.max(max, x);
                sum += x;
            }
            follow += max;
            seen += sum;
        }
        assertEquals(0.8, follow / (double) seen, 0.03);
    }
}
