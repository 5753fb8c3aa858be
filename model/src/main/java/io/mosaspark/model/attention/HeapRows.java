package io.mosaspark.model.attention;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Per-thread Java arrays that {@link RowScatter} and {@link RowGather} copy rows through, kept from
 * call to call: new ones each step were megabytes of garbage per step for the collector (cpu-demo's
 * MoSA layers copy ~10 MB per step). Two slots per type (source and destination); an array grows when
 * a call needs more and is never shrunk. Not for arrays that escape the calling method. Also the
 * pieces both share: the row indices, checked, and the off-heap buffers as NIO views.
 */
final class HeapRows {

    private static final ThreadLocal<float[][]> FLOATS = ThreadLocal.withInitial(() -> new float[2][0]);
    private static final ThreadLocal<double[][]> DOUBLES = ThreadLocal.withInitial(() -> new double[2][0]);

    private HeapRows() {
    }

    /** At least {@code length} floats in {@code slot} (0 or 1); contents undefined. */
    static float[] floats(int slot, int length) {
        float[][] slots = FLOATS.get();
        if (slots[slot].length < length) slots[slot] = new float[length];
        return slots[slot];
    }

    /** At least {@code length} doubles in {@code slot} (0 or 1); contents undefined. */
    static double[] doubles(int slot, int length) {
        double[][] slots = DOUBLES.get();
        if (slots[slot].length < length) slots[slot] = new double[length];
        return slots[slot];
    }

    /** {@code index} as row numbers, each checked to lie in [0, rows) of the array named {@code what}. */
    static long[] rowIndices(INDArray index, long rows, String what) {
        long[] at = index.toLongVector();
        for (int i = 0; i < at.length; i++) {
            if (at[i] < 0 || at[i] >= rows) {
                throw new IllegalArgumentException("row index " + at[i] + " at " + i + " is outside the " + what + "'s "
                        + rows + " rows");
            }
        }
        return at;
    }

    static FloatBuffer floatBuffer(INDArray a) {
        return a.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    static DoubleBuffer doubleBuffer(INDArray a) {
        return a.data().asNio().order(ByteOrder.nativeOrder()).asDoubleBuffer();
    }
}
