package io.mosaspark.model.lm;

import io.mosaspark.model.nn.FloatExp;
import io.mosaspark.model.nn.HeapRows;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * gelu_tanh(a) = ½a(1 + tanh u), u = c(a + 0.044715a³), c = √(2/π), and its derivative, as Java
 * kernels over the host buffers, a block of values at a time. Written as gelu(a) = a·s with
 * s = σ(2u) = 1/(1 + e^{−2u}), and gelu′(a) = s·(1 + w(1 − s)) with w = 2ca(1 + 3·0.044715a²).
 *
 * <p>Hand-written because as ND4J ops the forward was eight passes and the backward ten, each an op
 * call and most a fresh array, over the MLP's [N, d_ff]: about 6% of a cpu-demo training step.
 *
 * <p>Arrays must be row-major with default strides (as the MLP's fresh products are), FLOAT or DOUBLE.
 */
final class GeluTanh {

    static final double C = Math.sqrt(2 / Math.PI);
    static final double A = 0.044715;
    /** Values copied to the heap per block: about 256 KB of floats. */
    static final int BLOCK_VALUES = 1 << 16;
    /** e^{−2u} beyond this would overflow a float; σ is 0 there to float precision. */
    private static final float MAX_EXP_ARG = 80f;

    private GeluTanh() {
    }

    /** s ← σ(2u(a)) and g ← a·s = gelu(a); all three of the same shape. */
    static void forward(INDArray a, INDArray s, INDArray g) {
        require(a, s, g);
        int n = (int) a.length();
        for (int from = 0; from < n; from += BLOCK_VALUES) {
            int count = Math.min(BLOCK_VALUES, n - from);
            if (a.dataType() == DataType.FLOAT) {
                float[] x = HeapRows.floats(0, 2 * count);                 // a, then s at [count, 2·count)
                get(a, from, x, 0, count);
                float k3 = (float) (-2 * C * A), k1 = (float) (-2 * C);
                for (int i = 0; i < count; i++) {
                    float v = x[i];
                    float arg = v * (k1 + k3 * v * v);                         // −2u
                    float sig = 1f / (1f + FloatExp.exp(arg < MAX_EXP_ARG ? arg : MAX_EXP_ARG));
                    x[count + i] = sig;
                    x[i] = v * sig;
                }
                put(s, from, x, count, count);
                put(g, from, x, 0, count);
            } else {
                double[] x = HeapRows.doubles(0, 2 * count);
                get(a, from, x, 0, count);
                for (int i = 0; i < count; i++) {
                    double v = x[i];
                    double sig = 1 / (1 + Math.exp(v * (-2 * C - 2 * C * A * v * v)));
                    x[count + i] = sig;
                    x[i] = v * sig;
                }
                put(s, from, x, count, count);
                put(g, from, x, 0, count);
            }
        }
    }

    /** g ← a·s: gelu(a) again from the kept pre-activation and σ (cheaper than keeping it). */
    static void recompute(INDArray a, INDArray s, INDArray g) {
        require(a, s, g);
        int n = (int) a.length();
        for (int from = 0; from < n; from += BLOCK_VALUES) {
            int count = Math.min(BLOCK_VALUES, n - from);
            if (a.dataType() == DataType.FLOAT) {
                float[] x = HeapRows.floats(0, 2 * count);
                get(a, from, x, 0, count);
                get(s, from, x, count, count);
                for (int i = 0; i < count; i++) x[i] *= x[count + i];
                put(g, from, x, 0, count);
            } else {
                double[] x = HeapRows.doubles(0, 2 * count);
                get(a, from, x, 0, count);
                get(s, from, x, count, count);
                for (int i = 0; i < count; i++) x[i] *= x[count + i];
                put(g, from, x, 0, count);
            }
        }
    }

    /** dg ← dg ⊙ gelu′(a), in place: the gradient at the pre-activation. */
    static void backwardInPlace(INDArray dg, INDArray a, INDArray s) {
        require(dg, a, s);
        int n = (int) a.length();
        for (int from = 0; from < n; from += BLOCK_VALUES) {
            int count = Math.min(BLOCK_VALUES, n - from);
            if (a.dataType() == DataType.FLOAT) {
                float[] x = HeapRows.floats(0, 2 * count);                 // a, then s
                float[] d = HeapRows.floats(1, count);
                get(a, from, x, 0, count);
                get(s, from, x, count, count);
                get(dg, from, d, 0, count);
                float k3 = (float) (6 * C * A), k1 = (float) (2 * C);
                for (int i = 0; i < count; i++) {
                    float v = x[i], sig = x[count + i];
                    float w = v * (k1 + k3 * v * v);
                    d[i] *= sig * (1f + w * (1f - sig));
                }
                put(dg, from, d, 0, count);
            } else {
                double[] x = HeapRows.doubles(0, 2 * count);
                double[] d = HeapRows.doubles(1, count);
                get(a, from, x, 0, count);
                get(s, from, x, count, count);
                get(dg, from, d, 0, count);
                for (int i = 0; i < count; i++) {
                    double v = x[i], sig = x[count + i];
                    double w = v * (2 * C + 6 * C * A * v * v);
                    d[i] *= sig * (1 + w * (1 - sig));
                }
                put(dg, from, d, 0, count);
            }
        }
    }

    private static void get(INDArray a, int from, float[] to, int at, int count) {
        HeapRows.floatBuffer(a).get((int) a.offset() + from, to, at, count);
    }

    private static void get(INDArray a, int from, double[] to, int at, int count) {
        HeapRows.doubleBuffer(a).get((int) a.offset() + from, to, at, count);
    }

    private static void put(INDArray a, int from, float[] values, int at, int count) {
        FloatBuffer b = HeapRows.floatBuffer(a);
        b.put((int) a.offset() + from, values, at, count);
    }

    private static void put(INDArray a, int from, double[] values, int at, int count) {
        DoubleBuffer b = HeapRows.doubleBuffer(a);
        b.put((int) a.offset() + from, values, at, count);
    }

    private static void require(INDArray first, INDArray... others) {
        for (INDArray x : concat(first, others)) {
            boolean ok = (x.dataType() == DataType.FLOAT || x.dataType() == DataType.DOUBLE) && x.dataType() == first.dataType()
                    && Arrays.equals(x.shape(), first.shape()) && x.ordering() == 'c'
                    && org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(x) && x.offset() + x.length() < Integer.MAX_VALUE;
            if (!ok) {
                throw new IllegalArgumentException("gelu: arrays must share one shape and FLOAT/DOUBLE type, row-major with default strides; got "
                        + x.shapeInfoToString().replace('\n', ' ') + " next to " + first.shapeInfoToString().replace('\n', ' '));
            }
        }
    }

    private static INDArray[] concat(INDArray first, INDArray[] others) {
        INDArray[] all = Arrays.copyOf(others, others.length + 1);
        all[others.length] = first;
        return all;
    }
}
