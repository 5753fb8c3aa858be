package io.mosaspark.model.attention;

import io.mosaspark.model.nn.FloatMath;
import io.mosaspark.model.nn.HeapRows;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;


/**
 * The causal softmax of attention scores [N, L, L] (row i sees columns j ≤ i) and its backward,
 * in place, in Java on the arrays' host buffers, a block of whole matrices at a time.
 *
 * <p>Hand-written because no ND4J op does this well: libnd4j's {@code softmax} has no mask, so the
 * −∞ mask must first be added in a pass of its own, and it then exponentiates all L² entries, the
 * masked half included, with scalar {@code expf}. Together with the separate subtract and multiply
 * passes of the backward, that was 12–15% of a cpu-demo training step. Here only the lower triangles
 * are exponentiated, packed row after row, the upper ones are written as 0, and the backward is one
 * pass over the triangles. The forward computes in double for both types (FLOAT arrays use
 * {@link FloatMath#expNonPositive}, which the JIT vectorises, DOUBLE arrays {@code Math.exp}); the
 * backward of FLOAT arrays computes in float (see there).
 *
 * <p>Applies to row-major arrays with default strides of FLOAT or DOUBLE ({@link #applies}); the
 * attention core falls back to ND4J ops for anything else.
 */
final class CausalSoftmax {

    /** Values copied to the heap per block (whole matrices, at least one): 64 KB of floats stay in L2. */
    static final int BLOCK_VALUES = 1 << 14;

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
            int values = blocks.values(from), rows = values / length, at = from * blocks.square;
            int packed = rows * (length + 1) / 2;
            double[] seen = HeapRows.doubles(2, packed);                         // [rows, j ≤ i]
            if (scores.dataType() == DataType.FLOAT) {
                // FLOAT blocks stay float on the heap; only the seen triangles are converted to double and
                // back, in loops of their own: the JIT vectorises neither a loop mixing float and double
                // nor the per-row loops of ~L/2 values well. Converting whole squares cost more than the softmax.
                float[] square = HeapRows.readFloats(scores, at, values, 0);
                float[] seenFloats = HeapRows.floats(1, packed);
                pack(square, seenFloats, rows, length);
                for (int j = 0; j < packed; j++) seen[j] = seenFloats[j];
                softmaxOfPackedRows(seen, rows, length, true);
                for (int j = 0; j < packed; j++) seenFloats[j] = (float) seen[j];
                unpack(seenFloats, square, rows, length);
                HeapRows.writeFloats(square, scores, at, values);
            } else {
                double[] square = HeapRows.readDoubles(scores, at, values, 0);
                pack(square, seen, rows, length);
                softmaxOfPackedRows(seen, rows, length, false);
                unpack(seen, square, rows, length);
                HeapRows.writeDoubles(square, scores, at, values, 0);
            }
        }
    }

    /**
     * Each packed row's softmax, in place. Each row's max and then 1 / its sum are spread over its
     * values, so that the shift with the exponential, and the scaling, run as long loops over the
     * whole block. Float models use {@link FloatMath#expNonPositive} (vectorised), float64 ones
     * {@code Math.exp} (the parity checks hold that path to 1e−9).
     */
    private static void softmaxOfPackedRows(double[] seen, int rows, int length, boolean fast) {
        int packed = rows * (length + 1) / 2;
        double[] perValue = HeapRows.doubles(1, packed);
        for (int row = 0, k = 0; row < rows; k += row % length + 1, row++) {
            int end = k + row % length + 1;                                       // the diagonal is seen
            java.util.Arrays.fill(perValue, k, end, FloatMath.max(seen, k, end));
        }
        if (fast) {
            FloatMath.expNonPositive(seen, perValue, 0, packed);
        } else {
            for (int j = 0; j < packed; j++) seen[j] = Math.exp(seen[j] - perValue[j]);
        }
        for (int row = 0, k = 0; row < rows; k += row % length + 1, row++) {
            int end = k + row % length + 1;
            java.util.Arrays.fill(perValue, k, end, 1 / FloatMath.sum(seen, k, end));
        }
        for (int j = 0; j < packed; j++) seen[j] *= perValue[j];
    }

    // pack/unpack per type: System.arraycopy is a fast intrinsic only on statically typed arrays

    /** square [rows, L] → packed [rows, j ≤ i]: each row's seen values, row after row. */
    private static void pack(float[] square, float[] packed, int rows, int length) {
        for (int row = 0, k = 0; row < rows; k += row % length + 1, row++) {
            System.arraycopy(square, row * length, packed, k, row % length + 1);
        }
    }

    private static void pack(double[] square, double[] packed, int rows, int length) {
        for (int row = 0, k = 0; row < rows; k += row % length + 1, row++) {
            System.arraycopy(square, row * length, packed, k, row % length + 1);
        }
    }

    /** packed [rows, j ≤ i] → square [rows, L], 0 above the diagonal. */
    private static void unpack(float[] packed, float[] square, int rows, int length) {
        for (int row = 0, k = 0; row < rows; k += row % length + 1, row++) {
            int start = row * length, count = row % length + 1;
            System.arraycopy(packed, k, square, start, count);
            java.util.Arrays.fill(square, start + count, start + length, 0f);
        }
    }

    private static void unpack(double[] packed, double[] square, int rows, int length) {
        for (int row = 0, k = 0; row < rows; k += row % length + 1, row++) {
            int start = row * length, count = row % length + 1;
            System.arraycopy(packed, k, square, start, count);
            java.util.Arrays.fill(square, start + count, start + length, 0.0);
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
        int length = (int) probs.size(1), square = length * length;      // of probs and dProbs alike (checked below)
        int matrices = (int) dProbs.size(0);
        if (dProbs.size(1) != length || first < 0 || first + matrices > probs.size(0) || rowDot.length() != probs.size(0) * length
                || rowDot.dataType() != probs.dataType() || dProbs.dataType() != probs.dataType() || !HeapRows.rowMajor(rowDot)) {
            throw new IllegalArgumentException("softmax backward: probs " + java.util.Arrays.toString(probs.shape())
                    + ", dProbs " + java.util.Arrays.toString(dProbs.shape()) + " from " + first + ", rowDot "
                    + java.util.Arrays.toString(rowDot.shape()) + " do not match");
        }
        boolean fast = probs.dataType() == DataType.FLOAT;
        double[] dots = HeapRows.readDoubles(rowDot, (int) first * length, matrices * length, 2);
        Blocks blocks = new Blocks(dProbs, length);
        for (int from = 0; from < matrices; from += blocks.perBlock) {
            int values = blocks.values(from), at = (int) (first + from) * square;
            // A loop per type. FLOAT computes in float, as ND4J's and PyTorch's elementwise ops do (two float
            // roundings): in double, the JIT left the loop mixing float and double scalar (3x slower), and
            // converting both whole squares to double and back first cost more than the arithmetic.
            if (fast) {
                float[] p = HeapRows.readFloats(probs, at, values, 0);
                float[] d = HeapRows.readFloats(dProbs, from * square, values, 1);
                for (int row = 0; row < values / length; row++) {
                    int start = row * length, end = start + row % length + 1;
                    float dot = (float) dots[from * length + row];
                    for (int j = start; j < end; j++) p[j] = p[j] * (d[j] - dot);
                }
                HeapRows.writeFloats(p, probs, at, values);
            } else {
                double[] p = HeapRows.readDoubles(probs, at, values, 0);
                double[] d = HeapRows.readDoubles(dProbs, from * square, values, 1);
                for (int row = 0; row < values / length; row++) {
                    int start = row * length, end = start + row % length + 1;
                    double dot = dots[from * length + row];
                    for (int j = start; j < end; j++) p[j] = p[j] * (d[j] - dot);
                }
                HeapRows.writeDoubles(p, probs, at, values, 0);
            }
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
