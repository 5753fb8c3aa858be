package io.mosaspark.model.parity;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * How far one computed tensor is from its expected value.
 *
 * @param name   the tensor's name in the parity file (e.g. {@code grad.mosa.qkv})
 * @param maxAbs max |actual − expected| over all elements
 * @param maxRel maxAbs / max |expected|: error relative to the tensor's scale (element-wise relative
 *               error is meaningless for entries near 0)
 * @param shape  expected shape
 */
public record TensorError(String name, double maxAbs, double maxRel, long[] shape) {

    /** Compares in double precision; a shape mismatch is an infinite error. */
    public static TensorError compare(String name, INDArray actual, INDArray expected) {
        if (actual == null || !Arrays.equals(actual.shape(), expected.shape())) {
            return new TensorError(name, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, expected.shape());
        }
        INDArray a = actual.castTo(DataType.DOUBLE), e = expected.castTo(DataType.DOUBLE);
        double maxAbs = a.sub(e).amaxNumber().doubleValue();
        if (Double.isNaN(maxAbs) || a.isNaN().any()) maxAbs = Double.POSITIVE_INFINITY;
        double scale = e.amaxNumber().doubleValue();
        double maxRel = scale > 0 ? maxAbs / scale : (maxAbs == 0 ? 0 : Double.POSITIVE_INFINITY);
        return new TensorError(name, maxAbs, maxRel, expected.shape());
    }

    /**
     * The same comparison over plain row-major arrays (for backends that are not ND4J); {@code actual}
     * of another length is an infinite error.
     */
    public static TensorError compare(String name, double[] actual, double[] expected, long[] shape) {
        if (actual == null || actual.length != expected.length) {
            return new TensorError(name, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, shape);
        }
        double maxAbs = 0, scale = 0;
        for (int i = 0; i < actual.length; i++) {
            double d = Math.abs(actual[i] - expected[i]);
            if (Double.isNaN(d)) {
                maxAbs = Double.POSITIVE_INFINITY;
            } else {
                maxAbs = Math.max(maxAbs, d);
            }
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        double maxRel = scale > 0 ? maxAbs / scale : (maxAbs == 0 ? 0 : Double.POSITIVE_INFINITY);
        return new TensorError(name, maxAbs, maxRel, shape);
    }

    /** Integers (e.g. selected indices) must match exactly: error 0 or the largest difference. */
    public static TensorError compareExact(String name, long[] actual, long[] expected, long[] shape) {
        if (actual == null || actual.length != expected.length) {
            return new TensorError(name, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, shape);
        }
        double worst = 0;
        for (int i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
        return new TensorError(name, worst, worst == 0 ? 0 : Double.POSITIVE_INFINITY, shape);
    }

    public boolean within(Tolerance tol) {
        return maxAbs <= tol.abs() || maxRel <= tol.rel();
    }

    @Override
    public String toString() {
        return String.format("%-28s %-14s max abs %.3e  max rel %.3e", name, Arrays.toString(shape), maxAbs, maxRel);
    }
}
