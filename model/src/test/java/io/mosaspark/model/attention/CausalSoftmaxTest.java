package io.mosaspark.model.attention;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java causal softmax against ND4J's mask-then-softmax ops, forward and backward. */
class CausalSoftmaxTest {

    @ParameterizedTest
    @CsvSource({
            "DOUBLE, 3, 1", "DOUBLE, 4, 5", "DOUBLE, 300, 16", "DOUBLE, 7, 128",
            "FLOAT, 2, 2", "FLOAT, 300, 16", "FLOAT, 9, 128", "FLOAT, 5, 129"})
    void forwardMatchesMaskAndSoftmax(DataType type, int n, int length) {
        Nd4j.getRandom().setSeed(n * 31L + length);
        INDArray scores = Nd4j.randn(type, n, length, length).muli(4);   // wide range: large exponents
        INDArray expected = reference(scores);
        INDArray actual = scores.dup();
        CausalSoftmax.forwardInPlace(actual);
        // libnd4j sums a float row in float: up to ~L ulps of 1 off; this kernel sums in double
        double tolerance = type == DataType.DOUBLE ? 1e-14 : 2e-6;
        assertEquals(0.0, maxAbsDiff(expected, actual), tolerance);
        for (int i = 0; i < length; i++) {
            // the diagonal is seen, the upper triangle exactly 0
            assertTrue(actual.getDouble(0, i, i) > 0);
            if (i + 1 < length) assertEquals(0.0, actual.getDouble(n - 1, i, i + 1));
        }
    }

    @ParameterizedTest
    @CsvSource({"DOUBLE, 300, 16, 0", "DOUBLE, 300, 16, 41", "FLOAT, 9, 128, 3", "DOUBLE, 4, 1, 2"})
    void backwardMatchesElementwiseOps(DataType type, int n, int length, int first) {
        Nd4j.getRandom().setSeed(7);
        INDArray probs = reference(Nd4j.randn(type, n, length, length));
        int rows = n - first;
        INDArray dP = Nd4j.randn(type, rows, length, length);
        INDArray rowDot = Nd4j.randn(type, n, length, 1);
        INDArray expected = probs.dup();
        INDArray block = expected.get(NDArrayIndex.interval(first, n), NDArrayIndex.all(), NDArrayIndex.all());
        block.muli(dP.sub(rowDot.get(NDArrayIndex.interval(first, n), NDArrayIndex.all(), NDArrayIndex.all())));
        INDArray actual = probs.dup();
        CausalSoftmax.backwardInPlace(actual, dP, rowDot, first);
        assertEquals(0.0, maxAbsDiff(expected, actual), type == DataType.DOUBLE ? 1e-15 : 1e-6);
    }

    @Test
    void otherLayoutsAreLeftToNd4jOps() {
        assertFalse(CausalSoftmax.applies(Nd4j.create(DataType.FLOAT, new long[]{2, 4, 4}, 'f')));
        assertFalse(CausalSoftmax.applies(Nd4j.create(DataType.FLOAT, 2, 4, 5)));
        assertFalse(CausalSoftmax.applies(Nd4j.create(DataType.HALF, 2, 4, 4)));
        INDArray wide = Nd4j.create(DataType.FLOAT, 2, 4, 8);
        assertFalse(CausalSoftmax.applies(wide.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 4))));
        assertTrue(CausalSoftmax.applies(Nd4j.create(DataType.DOUBLE, 2, 4, 4)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CausalSoftmax.forwardInPlace(Nd4j.create(DataType.FLOAT, 2, 4, 5)));
        assertTrue(e.getMessage().contains("[N, L, L]"), e.getMessage());
    }

    /** softmax(scores + mask), mask −∞ above the diagonal, by ND4J ops. */
    private static INDArray reference(INDArray scores) {
        long length = scores.size(1);
        INDArray mask = Nd4j.zeros(scores.dataType(), 1, length, length);
        for (int i = 0; i < length; i++) {
            for (int j = i + 1; j < length; j++) mask.putScalar(new long[]{0, i, j}, Double.NEGATIVE_INFINITY);
        }
        INDArray masked = scores.add(mask);
        return Nd4j.exec(new SoftMax(masked, masked.ulike(), -1))[0];
    }

    private static double maxAbsDiff(INDArray a, INDArray b) {
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }
}
