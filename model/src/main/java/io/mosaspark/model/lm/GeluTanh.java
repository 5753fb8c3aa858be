package io.mosaspark.model.lm;

import io.mosaspark.model.nn.FloatMath;
import io.mosaspark.model.nn.HeapRows;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * gelu_tanh(a) = ½a(1 + tanh u), u = c(a + 0.044715a³), c = √(2/π), and its derivative, as Java
 * kernels over the host buffers, a block of values at a time. Written as gelu(a) = a·s with
 * s = ½(1 + tanh u) = σ(2u), and gelu′(a) = s·(1 + w(1 − s)) with w = 2ca(1 + 3·0.044715a²).
 * Float arrays use {@link FloatMath#tanh} (the loop vectorises); double arrays {@code Math.tanh}.
 * The forward keeps a loop per type, unlike the softmax kernels: float tanh saturates to exactly ±1
 * where double arithmetic on the same approximation leaves a 1e−7 tail, and the float loop
 * vectorises twice as wide. The backward, without tanh, computes in double for both types; the
 * recompute is one product, exact in double, so FLOAT arrays multiply in float (the same result,
 * without the conversions).
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

    private GeluTanh() {
    }

    /** s ← σ(2u(a)) and g ← a·s = gelu(a); all three of the same shape. */
    static void forward(INDArray a, INDArray s, INDArray g) {
        require(a, s, g);
        int n = (int) a.length();
        for (int from = 0; from < n; from += BLOCK_VALUES) {
            int count = Math.min(BLOCK_VALUES, n - from);
            if (a.dataType() == DataType.FLOAT) {
                float[] x = HeapRows.readFloats(a, from, count, 0);        // a, then gelu(a) in place
                float[] sig = HeapRows.floats(1, count);
                float c = (float) C, ca = (float) (C * A);
                for (int i = 0; i < count; i++) {                          // one vectorised loop
                    float v = x[i];
                    float si = 0.5f + 0.5f * FloatMath.tanh(v * (c + ca * v * v));
                    sig[i] = si;
                    x[i] = v * si;
                }
                HeapRows.writeFloats(sig, s, from, count);
                HeapRows.writeFloats(x, g, from, count);
            } else {
                double[] x = HeapRows.readDoubles(a, from, count, 0);
                double[] sig = HeapRows.doubles(1, count);
                for (int i = 0; i < count; i++) {
                    double v = x[i];
                    double si = 0.5 + 0.5 * Math.tanh(C * (v + A * v * v * v));
                    sig[i] = si;
                    x[i] = v * si;
                }
                HeapRows.writeDoubles(sig, s, from, count, 1);
                HeapRows.writeDoubles(x, g, from, count, 0);
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
                // a float product is exact in double, so this equals the double loop rounded, without
                // converting three blocks to double and back
                float[] x = HeapRows.readFloats(a, from, count, 0);
                float[] sig = HeapRows.readFloats(s, from, count, 1);
                for (int i = 0; i < count; i++) x[i] *= sig[i];
                HeapRows.writeFloats(x, g, from, count);
            } else {
                double[] x = HeapRows.readDoubles(a, from, count, 0);
                double[] sig = HeapRows.readDoubles(s, from, count, 1);
                for (int i = 0; i < count; i++) x[i] *= sig[i];
                HeapRows.writeDoubles(x, g, from, count, 0);
            }
        }
    }

    /** dg ← dg ⊙ gelu′(a), in place: the gradient at the pre-activation (in double for both types). */
    static void backwardInPlace(INDArray dg, INDArray a, INDArray s) {
        require(dg, a, s);
        int n = (int) a.length();
        for (int from = 0; from < n; from += BLOCK_VALUES) {
            int count = Math.min(BLOCK_VALUES, n - from);
            double[] x = HeapRows.readDoubles(a, from, count, 0);
            double[] sig = HeapRows.readDoubles(s, from, count, 1);
            double[] d = HeapRows.readDoubles(dg, from, count, 2);
            for (int i = 0; i < count; i++) {
                double w = x[i] * (2 * C + 6 * C * A * x[i] * x[i]);
                d[i] *= sig[i] * (1 + w * (1 - sig[i]));
            }
            HeapRows.writeDoubles(d, dg, from, count, 2);
        }
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
