package io.mosaspark.model.attention;

import io.mosaspark.model.nn.FloatMath;
import io.mosaspark.model.nn.HeapRows;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * The causal softmax of attention scores [N, L, L] (row i sees columns j ≤ i) and its backward,
 * in place, in Java on the arrays' host buffers, a block of whole matrices at a time.
 *
 * <p>Hand-written because no ND4J op does this well: libnd4j's {@code softmax} has no mask, so the
 * −∞ mask must first be added in a pass of its own, and it then exponentiates all L² entries, the
 * masked half included, with scalar {@code expf}. Together with the separate subtract and multiply
 * passes of the backward, that was 12–15% of a cpu-demo training step. Here only the lower triangle
 * is exponentiated, the upper one is written as 0, and the backward is one pass. Values are those of
 * the mask-and-softmax ops to float rounding (the float exponential is accurate to ~1 ulp).
 *
 * <p>Applies to row-major arrays with default strides of FLOAT or DOUBLE ({@link #applies}); the
 * attention core falls back to ND4J ops for anything else.
 */
final class CausalSoftmax {

    /** Values copied to the heap per block: whole matrices, about 256 KB of floats. */
    static final int BLOCK_VALUES = 1 << 16;

    private CausalSoftmax() {
    }

    /** True for rank-3 [N, L, L] row-major FLOAT/DOUBLE arrays with default strides, int-addressable. */
    static boolean applies(INDArray a) {
        return a.rank() == 3 && a.size(1) == a.size(2) && HeapRows.rowMajor(a);
    }

    /** scores [N, L, L] ← softmax over j ≤ i of each row i, 0 for j > i. */
    static void forwardInPlace(INDArray scores) {
        requireApplies(scores, "scores");
        int length = (int) scores.size(1);
        Blocks blocks = new Blocks(scores, length);
        for (int from = 0; from < blocks.matrices; from += blocks.perBlock) {
            int values = blocks.values(from);
            int at = (int) scores.offset() + from * length * length;
            if (scores.dataType() == DataType.FLOAT) {
                float[] p = HeapRows.floats(0, values);
                FloatBuffer buffer = HeapRows.floatBuffer(scores);
                buffer.get(at, p, 0, values);
                for (int base = 0; base < values; base += length * length) softmax(p, base, length);
                buffer.put(at, p, 0, values);
            } else {
                double[] p = HeapRows.doubles(0, values);
                DoubleBuffer buffer = HeapRows.doubleBuffer(scores);
                buffer.get(at, p, 0, values);
                for (int base = 0; base < values; base += length * length) softmax(p, base, length);
                buffer.put(at, p, 0, values);
            }
        }
    }

    /**
     * probs [N, L, L] ← probs ⊙ (dProbs − rowDot), the score gradient of a softmax whose output
     * gradient is dProbs [N, L, L] and rowDot [N, L, 1] = Σ_j dProbs ⊙ probs per row. Entries above
     * the diagonal stay 0. dProbs may be a block of fewer matrices: {@code first} is the index in
     * probs of its first matrix.
     */
    static void backwardInPlace(INDArray probs, INDArray dProbs, INDArray rowDot, long first) {
        requireApplies(probs, "probs");
        requireApplies(dProbs, "dProbs");
        int length = (int) probs.size(1);
        int matrices = (int) dProbs.size(0);
        if (dProbs.size(1) != length || first < 0 || first + matrices > probs.size(0) || rowDot.length() != probs.size(0) * length
                || rowDot.dataType() != probs.dataType() || dProbs.dataType() != probs.dataType()) {
            throw new IllegalArgumentException("softmax backward: probs " + java.util.Arrays.toString(probs.shape())
                    + ", dProbs " + java.util.Arrays.toString(dProbs.shape()) + " from " + first + ", rowDot "
                    + java.util.Arrays.toString(rowDot.shape()) + " do not match");
        }
        int rows = matrices * length;
        INDArray dots = rowDot.reshape(rowDot.length()).get(NDArrayIndex.interval(first * length, first * length + rows)).dup();
        Blocks blocks = new Blocks(dProbs, length);
        int square = length * length;
        for (int from = 0; from < matrices; from += blocks.perBlock) {
            int values = blocks.values(from);
            int pAt = (int) probs.offset() + (int) (first + from) * square;
            int dAt = (int) dProbs.offset() + from * square;
            int rowsAt = from * length;
            if (probs.dataType() == DataType.FLOAT) {
                float[] p = HeapRows.floats(0, values);
                float[] d = HeapRows.floats(1, values);
                float[] r = new float[values / length];      // one per row of the block: small
                FloatBuffer pBuffer = HeapRows.floatBuffer(probs);
                pBuffer.get(pAt, p, 0, values);
                HeapRows.floatBuffer(dProbs).get(dAt, d, 0, values);
                HeapRows.floatBuffer(dots).get(rowsAt, r, 0, r.length);
                for (int row = 0; row < r.length; row++) {
                    int i = row % length;
                    int start = row * length;
                    float dot = r[row];
                    for (int j = start; j <= start + i; j++) p[j] = p[j] * (d[j] - dot);
                }
                pBuffer.put(pAt, p, 0, values);
            } else {
                double[] p = HeapRows.doubles(0, values);
                double[] d = HeapRows.doubles(1, values);
                double[] r = new double[values / length];
                DoubleBuffer pBuffer = HeapRows.doubleBuffer(probs);
                pBuffer.get(pAt, p, 0, values);
                HeapRows.doubleBuffer(dProbs).get(dAt, d, 0, values);
                HeapRows.doubleBuffer(dots).get(rowsAt, r, 0, r.length);
                for (int row = 0; row < r.length; row++) {
                    int i = row % length;
                    int start = row * length;
                    double dot = r[row];
                    for (int j = start; j <= start + i; j++) p[j] = p[j] * (d[j] - dot);
                }
                pBuffer.put(pAt, p, 0, values);
            }
        }
        Release.all(dots);
    }

    private static void softmax(float[] s, int base, int length) {
        for (int i = 0; i < length; i++) {
            int start = base + i * length;
            int end = start + i + 1;                              // exclusive: the diagonal is seen
            float max = s[start];
            for (int j = start + 1; j < end; j++) max = Math.max(max, s[j]);
            float sum = 0f;
            for (int j = start; j < end; j++) {
                float e = FloatMath.exp(s[j] - max);
                s[j] = e;
                sum += e;                                         // ≤ L terms, each ≤ 1: float is enough
            }
            float inv = 1f / sum;
            for (int j = start; j < end; j++) s[j] *= inv;
            for (int j = end; j < start + length; j++) s[j] = 0f;
        }
    }

    private static void softmax(double[] s, int base, int length) {
        for (int i = 0; i < length; i++) {
            int start = base + i * length;
            int end = start + i;
            double max = s[start];
            for (int j = start + 1; j <= end; j++) max = Math.max(max, s[j]);
            double sum = 0;
            for (int j = start; j <= end; j++) {
                double e = Math.exp(s[j] - max);
                s[j] = e;
                sum += e;
            }
            double inv = 1.0 / sum;
            for (int j = start; j <= end; j++) s[j] *= inv;
            for (int j = end + 1; j < start + length; j++) s[j] = 0.0;
        }
    }

    private static void requireApplies(INDArray a, String what) {
        if (!applies(a)) {
            throw new IllegalArgumentException("causal softmax: " + what + " must be a row-major [N, L, L] FLOAT or DOUBLE array"
                    + " with default strides, got " + a.shapeInfoToString().replace('\n', ' '));
        }
    }

    /** Whole matrices per heap block of {@link #BLOCK_VALUES} (at least one). */
    private static final class Blocks {
        final int matrices;
        final int perBlock;
        final int square;

        Blocks(INDArray a, int length) {
            matrices = (int) a.size(0);
            square = length * length;
            perBlock = Math.max(1, Math.min(matrices, BLOCK_VALUES / Math.max(1, square)));
        }

        int values(int from) {
            return Math.min(perBlock, matrices - from) * square;
        }
    }
}
