package io.mosaspark.model.attention;

import io.mosaspark.model.nn.HeapRows;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.shape.Gather;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * rows[i] = source[index[i]]: [N, h], the sparse heads' gather of their selected tokens and the
 * token embedding's lookup.
 *
 * <p>Hand-written for the common case (row-major dense FLOAT or DOUBLE) like {@link RowScatter}:
 * libnd4j's {@code gather} copies row by row through per-row sub-array descriptors, several times
 * slower for short rows (cpu-demo: 6 400 rows of 64 floats, 8% of a MoSA step in a profile). A copy
 * is exact, so the result is that of the op, which stays the fallback for any other layout.
 */
public final class RowGather {

    private RowGather() {
    }

    public static INDArray rows(INDArray source, INDArray index) {
        if (!HeapRows.rowMajor(source) || source.rank() != 2
                || (source.dataType() != DataType.FLOAT && source.dataType() != DataType.DOUBLE)) {
            return Nd4j.exec(new Gather(source, index, 0))[0];
        }
        long[] at = HeapRows.rowIndices(index, source.size(0), "source");
        int width = (int) source.size(1);
        INDArray out = Nd4j.createUninitialized(source.dataType(), at.length, width);       // [N, h]
        int n = (int) source.length();
        if (source.dataType() == DataType.FLOAT) {
            float[] src = HeapRows.floats(0, n);
            float[] dst = HeapRows.floats(1, at.length * width);
            HeapRows.floatBuffer(source).position((int) source.offset()).get(src, 0, n);
            for (int i = 0; i < at.length; i++) System.arraycopy(src, (int) at[i] * width, dst, i * width, width);
            FloatBuffer o = HeapRows.floatBuffer(out);
            o.put(dst, 0, at.length * width);
        } else {
            double[] src = HeapRows.doubles(0, n);
            double[] dst = HeapRows.doubles(1, at.length * width);
            HeapRows.doubleBuffer(source).position((int) source.offset()).get(src, 0, n);
            for (int i = 0; i < at.length; i++) System.arraycopy(src, (int) at[i] * width, dst, i * width, width);
            DoubleBuffer o = HeapRows.doubleBuffer(out);
            o.put(dst, 0, at.length * width);
        }
        return out;
    }
}
