package io.mosaspark.model.attention;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.shape.Gather;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RowGatherTest {

    @Test
    void copiesTheIndexedRowsRepeatsIncludedLikeLibnd4jsGather() {
        for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            Nd4j.getRandom().setSeed(11);
            INDArray source = Nd4j.randn(type, 6, 5);
            INDArray index = Nd4j.createFromArray(new long[]{5, 0, 5, 2, 2, 3});
            INDArray fast = RowGather.rows(source, index);
            INDArray op = Nd4j.exec(new Gather(source, index, 0))[0];
            assertEquals(op, fast, type.toString());
            assertEquals(source.getRow(5), fast.getRow(2));
        }
    }

    @Test
    void readsARowMajorViewThatStartsInsideItsBuffer() {
        // e.g. the embedding matrix, a view of the network's flat parameter vector
        Nd4j.getRandom().setSeed(13);
        INDArray flat = Nd4j.randn(DataType.FLOAT, 1, 7 + 4 * 3);
        INDArray source = flat.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(7, 7 + 12)).reshape('c', 4, 3);
        INDArray index = Nd4j.createFromArray(new int[]{2, 0, 2});
        INDArray got = RowGather.rows(source, index);
        assertEquals(Nd4j.exec(new Gather(source.dup('c'), index, 0))[0], got);
    }

    @Test
    void otherLayoutsGoThroughTheOp() {
        Nd4j.getRandom().setSeed(12);
        INDArray source = Nd4j.randn(DataType.FLOAT, 4, 3).dup('f');
        INDArray index = Nd4j.createFromArray(new long[]{3, 1, 3});
        assertEquals(source.dup('c').getRow(3), RowGather.rows(source, index).getRow(2));
    }

    @Test
    void anOutOfRangeRowIsRefusedWithItsPosition() {
        INDArray source = Nd4j.ones(DataType.FLOAT, 4, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RowGather.rows(source, Nd4j.createFromArray(new long[]{1, 4})));
        assertTrue(e.getMessage().contains("row index 4 at 1"), e.getMessage());
    }
}
