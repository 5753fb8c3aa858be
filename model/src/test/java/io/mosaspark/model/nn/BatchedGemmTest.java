package io.mosaspark.model.nn;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The BLAS loop against ND4J's batched matmul: shapes, transposes, strided views, float and double. */
class BatchedGemmTest {

    @ParameterizedTest
    @CsvSource({
            "DOUBLE, 5, 7, 3, 4, false, false", "DOUBLE, 5, 7, 3, 4, true, false", "DOUBLE, 5, 7, 3, 4, false, true",
            "DOUBLE, 5, 7, 3, 4, true, true", "FLOAT, 400, 16, 16, 16, false, true", "FLOAT, 3, 1, 9, 1, false, false",
            "DOUBLE, 2, 1, 6, 5, true, false", "FLOAT, 6, 33, 17, 29, true, true"})
    void matchesNd4jMatmul(DataType type, int batch, int m, int k, int n, boolean ta, boolean tb) {
        Nd4j.getRandom().setSeed(batch * 131L + m * 7L + k);
        INDArray a = Nd4j.randn(type, ta ? new long[]{batch, k, m} : new long[]{batch, m, k});
        INDArray b = Nd4j.randn(type, tb ? new long[]{batch, n, k} : new long[]{batch, k, n});
        INDArray expected = Nd4j.matmul(a, b, ta, tb, false);
        INDArray actual = BatchedGemm.product(a, ta, b, tb);
        assertEquals(0.0, maxAbsDiff(expected, actual), type == DataType.DOUBLE ? 1e-12 : 1e-4);
    }

    @Test
    void stridedViewsInAndOut() {
        // q as the first h′ columns of a [N, L, 3h′] qkv array (row stride 3h′), into a sub-block of a buffer
        INDArray qkv = Nd4j.randn(DataType.DOUBLE, 4, 6, 9);
        INDArray q = qkv.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 3));
        INDArray k = qkv.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(3, 6));
        INDArray buffer = Nd4j.zeros(DataType.DOUBLE, 6, 6, 6);
        INDArray out = buffer.get(NDArrayIndex.interval(1, 5), NDArrayIndex.all(), NDArrayIndex.all());
        BatchedGemm.into(q, false, k, true, out);
        assertEquals(0.0, maxAbsDiff(Nd4j.matmul(q.dup(), k.dup(), false, true, false), out), 1e-12);
        assertEquals(0.0, buffer.get(NDArrayIndex.point(0)).amaxNumber().doubleValue(), "rows outside the view untouched");
        assertEquals(0.0, buffer.get(NDArrayIndex.point(5)).amaxNumber().doubleValue(), "rows outside the view untouched");
    }

    @Test
    void otherLayoutsFallBackToNd4jWithTheSameResult() {
        INDArray a = Nd4j.randn(DataType.DOUBLE, 3, 4, 5);
        INDArray columnMajor = Nd4j.randn(DataType.DOUBLE, 3, 5, 2).dup('f');
        INDArray expected = Nd4j.matmul(a, columnMajor.dup('c'));
        assertEquals(0.0, maxAbsDiff(expected, BatchedGemm.product(a, false, columnMajor, false)), 1e-12);
    }

    @Test
    void mismatchedShapesAreRefused() {
        INDArray a = Nd4j.create(DataType.FLOAT, 3, 4, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BatchedGemm.into(a, false, Nd4j.create(DataType.FLOAT, 3, 5, 2), false, Nd4j.create(DataType.FLOAT, 3, 4, 3)));
        assertTrue(e.getMessage().contains("do not give out"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BatchedGemm.product(a, false, Nd4j.create(DataType.FLOAT, 5, 2), false));
    }

    private static double maxAbsDiff(INDArray x, INDArray y) {
        return x.castTo(DataType.DOUBLE).sub(y.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }
}
