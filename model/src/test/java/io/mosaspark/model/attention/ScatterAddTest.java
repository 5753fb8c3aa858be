package io.mosaspark.model.attention;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ScatterAddTest {

    @Test
    void repeatedRowsAccumulateInPlaceAndUnselectedRowsStayAsTheyWere() {
        INDArray rows = Nd4j.createFromArray(new double[][]{{1, 10}, {2, 20}, {4, 40}, {8, 80}});
        INDArray index = Nd4j.createFromArray(new long[]{3, 0, 3, 3});
        INDArray target = Nd4j.ones(DataType.DOUBLE, 5, 2);
        INDArray out = SparseHeads.scatterAddRows(rows, index, target);
        assertEquals(Nd4j.createFromArray(new double[][]{{3, 21}, {1, 1}, {1, 1}, {14, 131}, {1, 1}}), out);
        assertEquals(out, target, "adds in place");
    }

    @Test
    void gatherIsTheTransposeOfScatterAdd() {
        // <scatter(y), z> = <y, gather(z)> for any y, z: what makes the two backward passes right
        Nd4j.getRandom().setSeed(3);
        INDArray index = Nd4j.createFromArray(new long[]{2, 2, 0, 5, 2});
        INDArray y = Nd4j.randn(DataType.DOUBLE, 5, 3);
        INDArray z = Nd4j.randn(DataType.DOUBLE, 6, 3);
        double lhs = SparseHeads.scatterAddRows(y, index, Nd4j.zeros(DataType.DOUBLE, 6, 3)).mul(z).sumNumber().doubleValue();
        double rhs = y.mul(SparseHeads.gatherRows(z, index)).sumNumber().doubleValue();
        assertEquals(lhs, rhs, 1e-12);
    }

    @Test
    void javaLoopAndLibnd4jOpAgreeBitwiseInFloat() {
        // the row-major fast path against the op it replaces (taken for a column-major target)
        Nd4j.getRandom().setSeed(5);
        INDArray index = Nd4j.createFromArray(new long[]{4, 1, 4, 0, 4, 1, 7});
        INDArray rows = Nd4j.randn(DataType.FLOAT, 7, 5);
        INDArray start = Nd4j.randn(DataType.FLOAT, 8, 5);
        INDArray fast = SparseHeads.scatterAddRows(rows, index, start.dup('c'));
        INDArray viaOp = SparseHeads.scatterAddRows(rows, index, start.dup('f'));
        assertEquals('f', viaOp.ordering());
        assertEquals(viaOp.dup('c'), fast);
        assertEquals(0.0, fast.sub(viaOp).amaxNumber().doubleValue(), 0.0);
    }

    @Test
    void anOutOfRangeRowIsRefusedWithItsPosition() {
        INDArray rows = Nd4j.ones(DataType.FLOAT, 2, 3);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SparseHeads.scatterAddRows(rows, Nd4j.createFromArray(new long[]{0, 4}), Nd4j.zeros(DataType.FLOAT, 4, 3)));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("row index 4 at 1"), e.getMessage());
    }
}
