package io.mosaspark.model.attention;

/**
 * Per-thread Java arrays that {@link RowScatter} and {@link RowGather} copy rows through, kept from
 * call to call: new ones each step were megabytes of garbage per step for the collector (cpu-demo's
 * MoSA layers copy ~10 MB per step). Two slots per type (source and destination); an array grows when
 * a call needs more and is never shrunk. Not for arrays that escape the calling method.
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
}
