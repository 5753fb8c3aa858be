package io.mosaspark.model.lm;

import io.mosaspark.model.nn.FloatMath;
import io.mosaspark.model.nn.HeapRows;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Softmax cross-entropy over the rows of [N, V] logits, as Java kernels on the host buffer, a block
 * of whole rows at a time: the log-normaliser of every row, the per-row loss against target ids, and
 * the gradient softmax − one-hot, scaled per row.
 *
 * <p>Hand-written because as ND4J ops this was a dozen passes and small ops per step (max, broadcast
 * subtract, exp, sum, log; a one-hot scatter and a broadcast multiply for the gradient; target
 * bookkeeping twice), ~10% of a cpu-demo training step for two exponentials per logit.
 *
 * <p>Both types compute in double; FLOAT logits use {@link FloatMath#expNonPositive} (vectorised),
 * DOUBLE ones {@code Math.exp}. Logits must be row-major with default strides ({@link #requireRows}); the LM head's are, as a
 * fresh product. A target of {@code -1} marks a row that is not counted (its loss and gradient are 0).
 */
final class SoftmaxCrossEntropy {

    /** Values copied to the heap per block: whole rows, about 512 KB of doubles. */
    static final int BLOCK_VALUES = 1 << 16;

    private SoftmaxCrossEntropy() {
    }

    /** log Σ_v e^{logits[n, v]} for every row n. */
    static double[] logSumExp(INDArray logits) {
        requireRows(logits);
        int rows = (int) logits.size(0), width = (int) logits.size(1);
        boolean fast = logits.dataType() == DataType.FLOAT;
        double[] lse = new double[rows];
        int perBlock = rowsPerBlock(width);
        for (int from = 0; from < rows; from += perBlock) {
            int count = Math.min(perBlock, rows - from);
            double[] v = HeapRows.readDoubles(logits, from * width, count * width, 0);
            for (int r = 0; r < count; r++) {
                int start = r * width, end = start + width;
                double max = FloatMath.max(v, start, end);
                exp(v, start, end, max, fast);
                lse[from + r] = max + Math.log(FloatMath.sum(v, start, end));
            }
        }
        return lse;
    }

    /** −log softmax(logits)[n, targets[n]] per row, 0 where the target is −1. */
    static double[] negativeLogLikelihood(INDArray logits, double[] lse, int[] targets) {
        requireRows(logits);
        int width = (int) logits.size(1);
        double[] nll = new double[targets.length];
        FloatBuffer f = logits.dataType() == DataType.FLOAT ? HeapRows.floatBuffer(logits) : null;
        DoubleBuffer d = f == null ? HeapRows.doubleBuffer(logits) : null;
        int base = (int) logits.offset();
        for (int n = 0; n < targets.length; n++) {
            if (targets[n] < 0) continue;
            int at = base + n * width + targets[n];
            nll[n] = lse[n] - (f != null ? f.get(at) : d.get(at));
        }
        return nll;
    }

    /**
     * into[n, v] = (softmax(logits)[n, v] − [v = targets[n]]) · scale, and 0 on rows whose target is −1.
     * {@code into} has the logits' shape and layout and may be the logits array itself.
     */
    static void gradient(INDArray logits, double[] lse, int[] targets, double scale, INDArray into) {
        requireRows(logits);
        requireRows(into);
        if (!Arrays.equals(logits.shape(), into.shape()) || logits.dataType() != into.dataType()) {
            throw new IllegalArgumentException("softmax cross-entropy gradient: into " + Arrays.toString(into.shape())
                    + " " + into.dataType() + " does not match the logits " + Arrays.toString(logits.shape()) + " " + logits.dataType());
        }
        int rows = (int) logits.size(0), width = (int) logits.size(1);
        boolean fast = logits.dataType() == DataType.FLOAT;
        int perBlock = rowsPerBlock(width);
        for (int from = 0; from < rows; from += perBlock) {
            int count = Math.min(perBlock, rows - from);
            double[] v = HeapRows.readDoubles(logits, from * width, count * width, 0);
            for (int r = 0; r < count; r++) {
                int start = r * width, end = start + width, target = targets[from + r];
                if (target < 0) {
                    Arrays.fill(v, start, end, 0.0);
                    continue;
                }
                exp(v, start, end, lse[from + r], fast);
                for (int j = start; j < end; j++) v[j] *= scale;
                v[start + target] -= scale;
            }
            HeapRows.writeDoubles(v, into, from * width, count * width, 0);
        }
    }

    /** v[j] ← e^{v[j] − shift} (arguments ≤ 0): vectorised for float models, exact for float64 ones. */
    private static void exp(double[] v, int from, int to, double shift, boolean fast) {
        if (fast) {
            FloatMath.expNonPositive(v, from, to, shift);
        } else {
            for (int j = from; j < to; j++) v[j] = Math.exp(v[j] - shift);
        }
    }

    private static int rowsPerBlock(int width) {
        return Math.max(1, BLOCK_VALUES / Math.max(1, width));
    }

    /** Rank 2, FLOAT or DOUBLE, row-major with default strides, int-addressable. */
    static void requireRows(INDArray a) {
        if (a.rank() != 2 || !HeapRows.rowMajor(a)) {
            throw new IllegalArgumentException("softmax cross-entropy needs row-major [N, V] FLOAT or DOUBLE logits with default strides, got "
                    + a.shapeInfoToString().replace('\n', ' '));
        }
    }
}
