package io.mosaspark.train.state;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A flat vector of parameters or optimizer state in the model's precision: what travels between the
 * driver and the workers (broadcast out, task results back) and what checkpoints hold.
 *
 * <p>Plain Java arrays rather than {@code INDArray}: they serialise with Java and Kryo serialisers
 * alike, need no ND4J on the driver's serialiser path, and hold no off-heap memory whose lifetime
 * Spark would not know about. Exactly one of the two arrays is set.
 */
public final class FlatVector implements Serializable {
    private static final long serialVersionUID = 1L;

    private final float[] f32;
    private final double[] f64;

    private FlatVector(float[] f32, double[] f64) {
        this.f32 = f32;
        this.f64 = f64;
    }

    public static FlatVector of(float[] values) {
        return new FlatVector(values, null);
    }

    public static FlatVector of(double[] values) {
        return new FlatVector(null, values);
    }

    /** A copy of {@code array} (any shape, read in row-major order) in its own precision. */
    public static FlatVector copyOf(INDArray array) {
        INDArray flat = array.reshape(array.length());
        return switch (array.dataType()) {
            case FLOAT -> of(flat.toFloatVector());
            case DOUBLE -> of(flat.toDoubleVector());
            default -> throw new IllegalArgumentException("a model vector is FLOAT or DOUBLE, not " + array.dataType());
        };
    }

    public static FlatVector zeros(DataType type, int length) {
        return type == DataType.DOUBLE ? of(new double[length]) : of(new float[length]);
    }

    public DataType dataType() {
        return f32 != null ? DataType.FLOAT : DataType.DOUBLE;
    }

    public int length() {
        return f32 != null ? f32.length : f64.length;
    }

    /** Writes this vector into {@code target} (same length, row-major), e.g. a network's parameter view. */
    public void assignTo(INDArray target) {
        if (target.length() != length()) {
            throw new IllegalArgumentException("vector of length " + length() + " cannot be assigned to an array of "
                    + target.length() + " elements (a state from another model configuration?)");
        }
        INDArray source = f32 != null ? Nd4j.createFromArray(f32) : Nd4j.createFromArray(f64);
        target.assign(source.reshape(target.shape()).castTo(target.dataType()));
    }

    /** this += other, elementwise. */
    public void addInPlace(FlatVector other) {
        requireSameShape(other);
        if (f32 != null) {
            for (int i = 0; i < f32.length; i++) f32[i] += other.f32[i];
        } else {
            for (int i = 0; i < f64.length; i++) f64[i] += other.f64[i];
        }
    }

    /** A new vector: this · factor (in the vector's precision). */
    public FlatVector times(double factor) {
        if (f32 != null) {
            float[] out = new float[f32.length];
            float k = (float) factor;
            for (int i = 0; i < out.length; i++) out[i] = f32[i] * k;
            return of(out);
        }
        double[] out = new double[f64.length];
        for (int i = 0; i < out.length; i++) out[i] = f64[i] * factor;
        return of(out);
    }

    /** A new vector: this / divisor, by division (so that n = 1 gives this vector bit for bit). */
    public FlatVector dividedBy(int divisor) {
        if (f32 != null) {
            float[] out = new float[f32.length];
            for (int i = 0; i < out.length; i++) out[i] = f32[i] / divisor;
            return of(out);
        }
        double[] out = new double[f64.length];
        for (int i = 0; i < out.length; i++) out[i] = f64[i] / divisor;
        return of(out);
    }

    public FlatVector copy() {
        return f32 != null ? of(f32.clone()) : of(f64.clone());
    }

    /** Element i as a double. */
    public double get(int i) {
        return f32 != null ? f32[i] : f64[i];
    }

    /** The float32 values (only for FLOAT vectors). */
    public float[] floats() {
        if (f32 == null) throw new IllegalStateException("a DOUBLE vector has no float values");
        return f32;
    }

    /** The float64 values (only for DOUBLE vectors). */
    public double[] doubles() {
        if (f64 == null) throw new IllegalStateException("a FLOAT vector has no double values");
        return f64;
    }

    /** Largest |this − other| over all elements. */
    public double maxAbsDifference(FlatVector other) {
        requireSameShape(other);
        double max = 0;
        for (int i = 0; i < length(); i++) max = Math.max(max, Math.abs(get(i) - other.get(i)));
        return max;
    }

    private void requireSameShape(FlatVector other) {
        if (other.dataType() != dataType() || other.length() != length()) {
            throw new IllegalArgumentException("vectors differ: " + dataType() + "[" + length() + "] vs "
                    + other.dataType() + "[" + other.length() + "]");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlatVector v && Arrays.equals(f32, v.f32) && Arrays.equals(f64, v.f64);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(f32) + Arrays.hashCode(f64);
    }

    @Override
    public String toString() {
        return "FlatVector(" + dataType() + "[" + length() + "])";
    }
}
