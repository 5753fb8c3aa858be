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
 * passes of the backward, that was 12–15% of a cpu-demo training step. Here only the lower triangle
 * is exponentiated, the upper one is written as 0, and the backward is one pass. Both types compute
 * in double; FLOAT arrays use {@link FloatMath#expNonPositive}, which the JIT vectorises, DOUBLE
 * arrays {@code Math.exp} (the parity checks hold the float64 path to 1e−9).
 *
 * <p>Applies to row-major arrays with default strides of FLOAT or DOUBLE ({@link #applies}); the
 * attention core falls back to ND4J ops for anything else.
 */
final class CausalSoftmax {

    /** Values copied to the heap per block (whole matrices, at least one): 128 KB of doubles stay in L2. */
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
        boolean fast = scores.dataType() == DataType.FLOAT;
        Blocks blocks = new Blocks(scores, length);
        int square = blocks.square;
        for (int from = 0; from < blocks.matrices; from += blocks.perBlock) {
            int values = blocks.values(from);
            double[] p = HeapRows.readDoubles(scores, from * square, values, 0);
            if (fast) {
                // Shift each row by its max, push the masked entries far down, then exponentiate the whole
                // block in one long loop: the JIT vectorises it, which per-row loops of ~L/2 values defeat.
                for (int row = 0; row < values / length; row++) {
                    int start = row * length, end = start + row % length + 1;
                    double max = FloatMath.max(p, start, end);
                    for (int j = start; j < end; j++) p[j] -= max;
                    java.util.Arrays.fill(p, end, start + length, FloatMath.MIN_EXP_ARGUMENT);
                }
                FloatMath.expNonPositive(p, 0, values, 0.0);
            }
            for (int row = 0; row < values / length; row++) {
                int start = row * length;
                int end = start + row % length + 1;                   // exclusive: the diagonal is seen
                if (!fast) {
                    double max = FloatMath.max(p, start, end);
                    for (int j = start; j < end; j++) p[j] = Math.exp(p[j] - max);
                }
                double inv = 1 / FloatMath.sum(p, start, end);
                for (int j = start; j < end; j++) p[j] *= inv;
                java.util.Arrays.fill(p, end, start + length, 0.0);
            }
            HeapRows.writeDoubles(p, scores, from * square, values, 0);
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
        double[] dots = HeapRows.readDoubles(rowDot, (int) first * length, matrices * length, 2);
        Blocks blocks = new Blocks(dProbs, length);
        for (int from = 0; from < matrices; from += blocks.perBlock) {
            int values = blocks.values(from);
            double[] p = HeapRows.readDoubles(probs, (int) (first + from) * square, values, 0);
            double[] d = HeapRows.readDoubles(dProbs, from * square, values, 1);
            for (int row = 0; row < values / length; row++) {
                int start = row * length;
                int end = start + row % length + 1;
                double dot = dots[from * length + row];
                for (int j = start; j < end; j++) p[j] = p[j] * (d[j] - dot);
            }
            HeapRows.writeDoubles(p, probs, (int) (first + from) * square, values, 0);
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
