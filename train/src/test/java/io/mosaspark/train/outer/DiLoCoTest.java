package io.mosaspark.train.outer;

import io.mosaspark.train.round.RoundSum;
import io.mosaspark.train.state.FlatVector;
import io.mosaspark.train.state.GlobalState;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * DiLoCo's outer step against numbers computed independently: PyTorch's {@code SGD(nesterov=True)} fed
 * the outer gradient θ − mean(θᵢ) for three rounds of two workers, in float64
 * ({@code src/test/resources/outer/diloco_reference.py} printed the expected values below).
 */
class DiLoCoTest {
    private static final double[] THETA0 = {0.5, -1.25, 2.0};
    /** Each round, worker i ends at θ_global + OFFSETS[round][i]. */
    private static final double[][][] OFFSETS = {
            {{-0.1, 0.2, 0.05}, {-0.3, 0.0, 0.15}},
            {{0.02, -0.04, 0.1}, {-0.06, 0.08, -0.2}},
            {{-0.5, 0.25, 0.0}, {0.1, -0.75, 0.4}},
    };

    @Test
    void threeRoundsMatchTorchNesterovSgd() {
        GlobalState s = threeRounds(new DiLoCo(0.7, 0.9), DataType.DOUBLE);
        assertArrayEquals(new double[]{-0.28539999999999988, -1.3038299999999998, 2.41188}, s.params().doubles(), 1e-15);
        assertArrayEquals(new double[]{0.38, 0.15099999999999991, -0.23600000000000004}, s.outerMomentum().doubles(), 1e-15);

        GlobalState half = threeRounds(new DiLoCo(0.4, 0.5), DataType.DOUBLE);
        assertArrayEquals(new double[]{0.21599999999999997, -1.3109999999999999, 2.1599999999999993}, half.params().doubles(), 1e-15);
        assertArrayEquals(new double[]{0.26000000000000001, 0.21499999999999997, -0.19999999999999973},
                half.outerMomentum().doubles(), 1e-15);
    }

    @Test
    void lrOneWithoutMomentumIsTheWorkersMean() {
        GlobalState s = threeRounds(new DiLoCo(1.0, 0.0), DataType.DOUBLE);
        assertArrayEquals(new double[]{0.080000000000000016, -1.3799999999999999, 2.25}, s.params().doubles(), 1e-15);
        assertEquals(3, s.round());
        assertEquals(3 * 8, s.globalStep(), "H steps per round");
        assertNull(s.optimizerState(), "the inner state stays with the workers");
    }

    @Test
    void float32FollowsTheFloat64Steps() {
        GlobalState d = threeRounds(new DiLoCo(0.7, 0.9), DataType.DOUBLE);
        GlobalState f = threeRounds(new DiLoCo(0.7, 0.9), DataType.FLOAT);
        for (int i = 0; i < THETA0.length; i++) assertEquals(d.params().get(i), f.params().get(i), 1e-6);
    }

    /** Three outer steps from THETA0, the workers' parameters summed as the aggregation tree does. */
    private static GlobalState threeRounds(DiLoCo rule, DataType type) {
        GlobalState s = new GlobalState(0, 0, vector(THETA0, type), null, null, 0);
        for (double[][] round : OFFSETS) {
            double[] sum = new double[THETA0.length];
            for (double[] worker : round) {
                for (int i = 0; i < sum.length; i++) sum[i] += s.params().get(i) + worker[i];
            }
            RoundSum workers = new RoundSum(vector(sum, type), null, 0, 2 * 8, 2 * 8 * 16, round.length, 0, 0, new TreeSet<>());
            s = rule.apply(s, workers, 8);
        }
        return s;
    }

    private static FlatVector vector(double[] values, DataType type) {
        if (type == DataType.DOUBLE) return FlatVector.of(values.clone());
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
        return FlatVector.of(f);
    }
}
