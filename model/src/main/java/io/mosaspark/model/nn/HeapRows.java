package io.mosaspark.model.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Per-thread Java arrays that the Java kernels (row gather and scatter, RoPE, softmax) copy values through, kept from
 * call to call: new ones each step were megabytes of garbage per step for the collector (cpu-demo's
 * MoSA layers copy ~10 MB per step). Three slots per type (e.g. two inputs and an output); an array grows when
 * a call needs more and is never shrunk. Not for arrays that escape the calling method. Also the
 * pieces both share: the row indices, checked, and the off-heap buffers as NIO views.
 */
public final class HeapRows {

    private static final ThreadLocal<float[][]> FLOATS = ThreadLocal.withInitial(() -> new float[3][0]);
    private static final ThreadLocal<double[][]> DOUBLES = ThreadLocal.withInitial(() -> new double[3][0]);

    private HeapRows() {
    }

    /** At least {@code length} floats in {@code slot} (0, 1 or 2); contents undefined. */
    public static float[] floats(int slot, int length) {
        float[][] slots = FLOATS.get();
        if (slots[slot].length < length) slots[slot] = new float[length];
        return slots[slot];
    }

    /** At least {@code length} doubles in {@code slot} (0, 1 or 2); contents undefined. */
    public static double[] doubles(int slot, int length) {
        double[][] slots = DOUBLES.get();
        if (slots[slot].length < length) slots[slot] = new double[length];
        return slots[slot];
    }

    /** {@code index} as row numbers, each checked to lie in [0, rows) of the array named {@code what}. */
    public static long[] rowIndices(INDArray index, long rows, String what) {
        long[] at = index.toLongVector();
        for (int i = 0; i < at.length; i++) {
            if (at[i] < 0 || at[i] >= rows) {
                throw new IllegalArgumentException("row index " + at[i] + " at " + i + " is outside the " + what + "'s "
                        + rows + " rows");
            }
        }
        return at;
    }

    /**
     * True when a Java kernel can treat {@code a} as one int-addressable run of FLOAT or DOUBLE values in
     * row-major order: default strides on every axis longer than 1 (ND4J gives length-1 axes stride 1),
     * anywhere in its buffer (e.g. a parameter view).
     */
    public static boolean rowMajor(INDArray a) {
        if (a.dataType() != DataType.FLOAT && a.dataType() != DataType.DOUBLE) return false;
        long expected = 1;
        for (int axis = a.rank() - 1; axis >= 0; axis--) {
            if (a.size(axis) > 1 && a.stride(axis) != expected) return false;
            expected *= a.size(axis);
        }
        return a.offset() + a.length() < Integer.MAX_VALUE && a.data().length() >= a.offset() + a.length();
    }

    /**
     * Values {@code from} … {@code from + count − 1} of {@code a} (FLOAT or DOUBLE, {@link #rowMajor}) in
     * row-major order, as doubles at the start of {@code slot}: for kernels that compute in double whatever the type.
     */
    public static double[] readDoubles(INDArray a, int from, int count, int slot) {
        return readInto(a, from, count, doubles(slot, count), a.dataType() == DataType.FLOAT ? floats(slot, count) : null);
    }

    /** Values from … of {@code a} as doubles into {@code d}; FLOAT values pass through {@code staging}. */
    private static double[] readInto(INDArray a, int from, int count, double[] d, float[] staging) {
        int at = (int) a.offset() + from;
        if (a.dataType() == DataType.FLOAT) {
            floatBuffer(a).get(at, staging, 0, count);
            for (int i = 0; i < count; i++) d[i] = staging[i];
        } else {
            doubleBuffer(a).get(at, d, 0, count);
        }
        return d;
    }

    /**
     * All values of {@code a} in row-major order as a new double[], for small arrays such as a parameter
     * view: read off the buffer when {@link #rowMajor}, as a {@code dup()} (an ND4J op and a fresh array)
     * was a third of a layer norm's time; through a row-major copy otherwise.
     */
    public static double[] copyDoubles(INDArray a) {
        if (!rowMajor(a)) return a.dup('c').data().asDouble();
        int n = (int) a.length();
        return readInto(a, 0, n, new double[n], a.dataType() == DataType.FLOAT ? new float[n] : null);
    }

    /** Values {@code from} … {@code from + count − 1} of the FLOAT array {@code a} ({@link #rowMajor}), at the start of float slot {@code slot}. */
    public static float[] readFloats(INDArray a, int from, int count, int slot) {
        float[] f = floats(slot, count);
        floatBuffer(a).get((int) a.offset() + from, f, 0, count);
        return f;
    }

    /** Writes the first {@code count} of {@code values} into values {@code from} … of the FLOAT array {@code a}. */
    public static void writeFloats(float[] values, INDArray a, int from, int count) {
        floatBuffer(a).put((int) a.offset() + from, values, 0, count);
    }

    /** Writes the first {@code a.length()} of {@code values} into {@code a} (FLOAT: rounded), through float slot {@code slot}. */
    public static void writeDoubles(double[] values, INDArray a, int slot) {
        writeDoubles(values, a, 0, (int) a.length(), slot);
    }

    /** Writes the first {@code count} of {@code values} into values {@code from} … of {@code a} (FLOAT: rounded). */
    public static void writeDoubles(double[] values, INDArray a, int from, int count, int slot) {
        int at = (int) a.offset() + from;
        if (a.dataType() == DataType.FLOAT) {
            float[] f = floats(slot, count);
            for (int i = 0; i < count; i++) f[i] = (float) values[i];
            floatBuffer(a).put(at, f, 0, count);
        } else {
            doubleBuffer(a).put(at, values, 0, count);
        }
    }

    public static FloatBuffer floatBuffer(INDArray a) {
        return a.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    public static DoubleBuffer doubleBuffer(INDArray a) {
        return a.data().asNio().order(ByteOrder.nativeOrder()).asDoubleBuffer();
    }
}
