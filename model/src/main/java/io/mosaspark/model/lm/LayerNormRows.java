package io.mosaspark.model.lm;

import io.mosaspark.model.nn.FloatMath;
import io.mosaspark.model.nn.HeapRows;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Layer normalisation over the rows of [N, h], y = x̂·w + b with x̂ = (x − mean)·rstd, and its
 * backward, as Java kernels over the host buffers, computed in double for FLOAT and DOUBLE arrays.
 *
 * <p>Hand-written because as ND4J ops the forward was eight ops and the backward twelve (means,
 * broadcasts, a pow), each an op call over [N, h] or [N, 1]: ~7% of a cpu-demo training step for
 * a few passes over 64-wide rows.
 *
 * <p>All arrays must be {@link HeapRows#rowMajor}; the layer copies an input that is not.
 */
final class LayerNormRows {

    /** Values copied to the heap per block: whole rows, about 512 KB of doubles, whatever N is. */
    static final int BLOCK_VALUES = 1 << 16;

    private LayerNormRows() {
    }

    /**
     * x [N, h] → y [N, h]; also writes x̂ [N, h] and returns rstd = 1/√(var + eps) per row, which
     * backward needs.
     */
    static double[] forward(INDArray x, INDArray weight, INDArray bias, double eps, INDArray xHatOut, INDArray y) {
        int h = (int) x.size(1), rows = (int) x.size(0), perBlock = rowsPerBlock(h);
        double[] w = HeapRows.copyDoubles(weight);
        double[] b = HeapRows.copyDoubles(bias);
        double[] rstd = new double[rows];
        for (int first = 0; first < rows; first += perBlock) {
            int count = Math.min(perBlock, rows - first);
            double[] v = HeapRows.readDoubles(x, first * h, count * h, 0);        // x, then x̂ in place
            double[] out = HeapRows.doubles(1, count * h);
            for (int r = 0; r < count; r++) {
                // multi-lane reductions and plain elementwise loops: single-sum loops ran serially, ~3.5 ns per value
                int start = r * h, end = start + h;
                double mean = FloatMath.sum(v, start, end) / h;
                for (int j = start; j < end; j++) v[j] -= mean;
                double s = 1 / Math.sqrt(FloatMath.dot(v, v, start, end) / h + eps);
                rstd[first + r] = s;
                for (int j = 0; j < h; j++) {
                    double xh = v[start + j] * s;
                    v[start + j] = xh;
                    out[start + j] = xh * w[j] + b[j];
                }
            }
            HeapRows.writeDoubles(v, xHatOut, first * h, count * h, 0);
            HeapRows.writeDoubles(out, y, first * h, count * h, 1);
        }
        return rstd;
    }

    /**
     * dy [N, h] → dx [N, h] (written into {@code dx}); dW = Σ_n dy ⊙ x̂ and dB = Σ_n dy written into
     * the gradient views. dx = rstd · (g − mean(g) − x̂ · mean(g ⊙ x̂)) with g = dy ⊙ w.
     */
    static void backward(INDArray dy, INDArray xHat, double[] rstd, INDArray weight, INDArray dx, INDArray dW, INDArray dB) {
        int h = (int) dy.size(1), rows = (int) dy.size(0), perBlock = rowsPerBlock(h);
        double[] w = HeapRows.copyDoubles(weight);
        double[] sumW = new double[h];
        double[] sumB = new double[h];
        for (int first = 0; first < rows; first += perBlock) {
            int count = Math.min(perBlock, rows - first);
            double[] g = HeapRows.readDoubles(dy, first * h, count * h, 0);       // dy, then dx in place
            double[] xh = HeapRows.readDoubles(xHat, first * h, count * h, 1);
            for (int r = 0; r < count; r++) {
                int start = r * h;
                double meanG = 0, meanGX = 0;
                for (int j = 0; j < h; j++) {
                    double d = g[start + j], x = xh[start + j];
                    sumW[j] += d * x;
                    sumB[j] += d;
                    double gj = d * w[j];
                    g[start + j] = gj;
                    meanG += gj;
                    meanGX += gj * x;
                }
                meanG /= h;
                meanGX /= h;
                double s = rstd[first + r];
                for (int j = start; j < start + h; j++) g[j] = s * (g[j] - meanG - xh[j] * meanGX);
            }
            HeapRows.writeDoubles(g, dx, first * h, count * h, 0);
        }
        HeapRows.writeDoubles(sumW, dW, 0);
        HeapRows.writeDoubles(sumB, dB, 1);
    }

    /** Whole rows per heap block of about {@link #BLOCK_VALUES} values (at least one row). */
    private static int rowsPerBlock(int width) {
        return Math.max(1, BLOCK_VALUES / Math.max(1, width));
    }
}
