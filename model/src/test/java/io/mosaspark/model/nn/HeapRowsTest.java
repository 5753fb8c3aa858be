package io.mosaspark.model.nn;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Copies between ND4J buffers and the heap: views at an offset, and views that are not row-major. */
class HeapRowsTest {

    @Test
    void copyDoublesReadsViewsAtAnOffsetAndNonRowMajorViews() {
        for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            INDArray all = Nd4j.arange(1, 25).castTo(type).reshape(4, 6);
            assertTrue(HeapRows.rowMajor(all));
            assertArrayEquals(Nd4j.arange(1, 25).castTo(DataType.DOUBLE).data().asDouble(), HeapRows.copyDoubles(all), type.toString());
            INDArray row = all.getRow(2);                                          // offset 12, like a parameter view
            assertArrayEquals(new double[]{13, 14, 15, 16, 17, 18}, HeapRows.copyDoubles(row), type.toString());
            INDArray column = all.get(NDArrayIndex.all(), NDArrayIndex.point(1));  // stride 6
            assertFalse(HeapRows.rowMajor(column));
            assertArrayEquals(new double[]{2, 8, 14, 20}, HeapRows.copyDoubles(column), type.toString());
        }
    }

    @Test
    void readAndWriteFloatsStayInsideTheView() {
        INDArray all = Nd4j.arange(1, 13).castTo(DataType.FLOAT).reshape(3, 4);
        INDArray row = all.getRow(1);
        float[] v = HeapRows.readFloats(row, 1, 2, 0);
        assertArrayEquals(new float[]{6, 7}, java.util.Arrays.copyOf(v, 2));
        HeapRows.writeFloats(new float[]{-1, -2}, row, 2, 2);
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6, -1, -2, 9, 10, 11, 12}, all.data().asFloat());
    }
}
