package io.mosaspark.model.attention;

import io.mosaspark.model.nn.HeapRows;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Partial rotary position embedding (docs/model.md, "RoPE"): the first n_rot dims of a query or key
 * are rotated by θ_j = p · base^(−2j / n_rot), pairing dim j with dim j + n_rot/2; the other dims
 * pass unchanged. Each token has its own position p, so sparse heads use original positions.
 *
 * <p>The rotation runs in Java over a copy of the array on the heap. As ND4J ops it was four
 * elementwise passes over strided n_rot/2-wide views plus the cos/sin tables built afresh every
 * forward: about 10% of a cpu-demo training step, for work that is a few multiplies per value.
 * cos θ and sin θ come from one table per (n_rot, base), computed in double once and shared.
 * Float and double arrays keep a loop each: converting float queries and keys to double and back
 * (one shared loop) made a cpu-demo step about 8% slower.
 */
final class Rope {

    private final int rotatedDims;
    /** Position of each token, row-major [N, L]; null when every row holds 0 … L−1. */
    private final long[] positions;
    private final long length;
    /** cos/sin covering every position used; null when nothing is rotated. */
    private final Table table;

    private Rope(int rotatedDims, long[] positions, long length, Table table) {
        this.rotatedDims = rotatedDims;
        this.positions = positions;
        this.length = length;
        this.table = table;
    }

    /** Rotation for tokens at {@code positions} [N, L] (whole numbers ≥ 0). */
    static Rope at(INDArray positions, int rotatedDims, double base) {
        long[] p = positions.dup('c').data().asLong();
        for (int i = 0; i < p.length; i++) {
            if (p[i] < 0) throw new IllegalArgumentException("RoPE position " + p[i] + " at " + i + " is negative");
        }
        return of(rotatedDims, base, p, positions.size(1));
    }

    /** Positions 0 … L−1, shared by every row (dense heads). */
    static Rope sequential(long length, int rotatedDims, double base) {
        return of(rotatedDims, base, null, length);
    }

    private static Rope of(int rotatedDims, double base, long[] positions, long length) {
        if (rotatedDims % 2 != 0) throw new IllegalArgumentException("RoPE rotates pairs: n_rot = " + rotatedDims + " is odd");
        if (rotatedDims == 0) return new Rope(0, positions, length, null);
        long maxPosition = positions == null ? length - 1 : java.util.Arrays.stream(positions).max().orElse(0);
        return new Rope(rotatedDims, positions, length, Table.of(rotatedDims, base).upTo(maxPosition));
    }

    /** x [N, L, h′] rotated forward; a new array. */
    INDArray apply(INDArray x) {
        return rotate(x, 1);
    }

    /** The transpose of {@link #apply}: rotates a gradient back by −θ; a new array. */
    INDArray applyTransposed(INDArray grad) {
        return rotate(grad, -1);
    }

    private INDArray rotate(INDArray x, int direction) {
        if (rotatedDims == 0) return x.dup('c');
        if (x.rank() != 3 || x.size(1) != length || (positions != null && positions.length != x.size(0) * length)
                || x.size(2) < rotatedDims) {
            throw new IllegalArgumentException("RoPE for " + (positions == null ? "rows" : positions.length / length + " rows")
                    + " of " + length + " tokens and " + rotatedDims + " rotated dims cannot rotate " + java.util.Arrays.toString(x.shape()));
        }
        // read straight from x when its buffer allows: a dup first was one more pass over q and k
        INDArray source = HeapRows.rowMajor(x) ? x : x.dup('c');
        INDArray out = Nd4j.createUninitialized(x.dataType(), x.shape(), 'c');
        int n = (int) out.length();
        int width = (int) x.size(2);
        Table t = table;
        if (out.dataType() == DataType.FLOAT) {
            float[] v = HeapRows.readFloats(source, 0, n, 0);
            rotate(v, n / width, width, direction, t.cosFloat, t.sinFloat);
            HeapRows.writeFloats(v, out, 0, n);
        } else if (out.dataType() == DataType.DOUBLE) {
            double[] v = HeapRows.readDoubles(source, 0, n, 0);
            rotate(v, n / width, width, direction, t.cos, t.sin);
            HeapRows.writeDoubles(v, out, 0, n, 0);
        } else {
            throw new IllegalArgumentException("RoPE supports FLOAT and DOUBLE, not " + out.dataType());
        }
        return out;
    }

    /** (x1·cos − x2·sin, x2·cos + x1·sin) on the first n_rot dims of each of {@code tokens} rows; sin negated for −1. */
    private void rotate(float[] v, int tokens, int width, int direction, float[] cos, float[] sin) {
        int half = rotatedDims / 2;
        for (int token = 0; token < tokens; token++) {
            int at = (int) position(token) * half;
            int row = token * width;
            for (int j = 0; j < half; j++) {
                float c = cos[at + j];
                float s = direction > 0 ? sin[at + j] : -sin[at + j];
                float x1 = v[row + j];
                float x2 = v[row + half + j];
                v[row + j] = x1 * c - x2 * s;
                v[row + half + j] = x2 * c + x1 * s;
            }
        }
    }

    private void rotate(double[] v, int tokens, int width, int direction, double[] cos, double[] sin) {
        int half = rotatedDims / 2;
        for (int token = 0; token < tokens; token++) {
            int at = (int) position(token) * half;
            int row = token * width;
            for (int j = 0; j < half; j++) {
                double c = cos[at + j];
                double s = direction > 0 ? sin[at + j] : -sin[at + j];
                double x1 = v[row + j];
                double x2 = v[row + half + j];
                v[row + j] = x1 * c - x2 * s;
                v[row + half + j] = x2 * c + x1 * s;
            }
        }
    }

    private long position(int token) {
        return positions == null ? token % length : positions[token];
    }

    /**
     * cos θ and sin θ for positions 0 … P−1 and pairs j, row-major [P, n_rot/2]; angles p · inv_freq in
     * double (they reach ~T radians), also rounded to float for float32 models. Grown, never shrunk.
     */
    private record Table(int rotatedDims, double base, double[] cos, double[] sin, float[] cosFloat, float[] sinFloat) {

        private static final Map<String, Table> SHARED = new ConcurrentHashMap<>();

        static Table of(int rotatedDims, double base) {
            return SHARED.computeIfAbsent(rotatedDims + "@" + base, k -> build(rotatedDims, base, 0));
        }

        long positions() {
            return cos.length / (rotatedDims / 2);
        }

        Table upTo(long maxPosition) {
            if (maxPosition < positions()) return this;
            if (maxPosition >= Integer.MAX_VALUE / rotatedDims) {
                throw new IllegalArgumentException("RoPE position " + maxPosition + " is too large");
            }
            // the next power of two, so that longer sequences regrow the table a few times at most
            // (at least one position: a one-token input uses position 0 alone)
            long size = Math.max(1, Long.highestOneBit(maxPosition) << 1);
            Table grown = build(rotatedDims, base, size);
            SHARED.put(rotatedDims + "@" + base, grown);
            return grown;
        }

        private static Table build(int rotatedDims, double base, long size) {
            int half = rotatedDims / 2;
            int n = (int) size * half;
            double[] cos = new double[n];
            double[] sin = new double[n];
            float[] cosFloat = new float[n];
            float[] sinFloat = new float[n];
            for (int p = 0; p < size; p++) {
                for (int j = 0; j < half; j++) {
                    double theta = p * Math.pow(base, -2.0 * j / rotatedDims);
                    cos[p * half + j] = Math.cos(theta);
                    sin[p * half + j] = Math.sin(theta);
                    cosFloat[p * half + j] = (float) cos[p * half + j];
                    sinFloat[p * half + j] = (float) sin[p * half + j];
                }
            }
            return new Table(rotatedDims, base, cos, sin, cosFloat, sinFloat);
        }
    }
}
