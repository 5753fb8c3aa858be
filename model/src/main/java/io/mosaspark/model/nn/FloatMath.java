package io.mosaspark.model.nn;

/**
 * e^x and tanh x in float for the Java kernels (softmaxes, gelu).
 *
 * <p>Hand-written because the JDK has only {@code Math.exp} and {@code Math.tanh} in double, stub
 * calls of ~13 ns per value on this machine (a scalar float exp with exponent-bit tricks, Cephes'
 * expf, was still 2.6 ns: the JIT does not vectorise the bit step). {@link #expNonPositive} works
 * on double arrays with multiplies and adds only; {@link #tanh} is the rational approximation of
 * Eigen's {@code ptanh_float} (also TensorFlow's float tanh), only multiplies, adds, min/max and a
 * divide, which the JIT vectorises when it is inlined in a loop over arrays: ~0.3 ns per value.
 * Also the row reductions those kernels share ({@link #sum}, {@link #dot}, {@link #max}), written
 * with four running results because the JIT keeps a single floating-point accumulator serial.
 */
public final class FloatMath {

    private FloatMath() {
    }

    /** Beyond ±this, tanh rounds to ±1 in float; the approximation is clamped there. */
    private static final float TANH_CLAMP = 7.90531110763549805f;

    /** tanh x to 3.3e−7 absolute and relative (about 5 float ulps), exact 0 at 0. */
    public static float tanh(float x) {
        // Math.min/max rather than ternaries: the JIT vectorises them in array loops
        float v = Math.min(Math.max(x, -TANH_CLAMP), TANH_CLAMP);
        float v2 = v * v;
        float p = -2.76076847742355e-16f;
        p = p * v2 + 2.00018790482477e-13f;
        p = p * v2 + -8.60467152213735e-11f;
        p = p * v2 + 5.12229709037114e-08f;
        p = p * v2 + 1.48572235717979e-05f;
        p = p * v2 + 6.37261928875436e-04f;
        p = p * v2 + 4.89352455891786e-03f;
        float q = 1.19825839466702e-06f;
        q = q * v2 + 1.18534705686654e-04f;
        q = q * v2 + 2.26843463243900e-03f;
        q = q * v2 + 4.89352518554385e-03f;
        return p * v / q;
    }

    /** Arguments below this give e^x ≈ 4e−38: softmax terms that vanish in float anyway. */
    public static final double MIN_EXP_ARGUMENT = -86;

    /**
     * v[i] ← e^{v[i] − shift} for i in [from, to), for float32 kernels whose arguments are ≤ 0 (a
     * softmax after subtracting the row max); arguments below {@link #MIN_EXP_ARGUMENT} count as it.
     * Computed as (e^{x/256})^256 in double: a degree-9 Taylor polynomial on |x/256| ≤ 0.34 and eight
     * squarings, only multiplies and adds, so the JIT vectorises the loop (~0.5 ns per value against
     * 2.6 for a scalar float exp); relative error below 2e−9, far inside float rounding.
     */
    public static void expNonPositive(double[] v, int from, int to, double shift) {
        for (int i = from; i < to; i++) v[i] = expNonPositive(v[i] - shift);
    }

    /**
     * v[i] ← e^{v[i] − shifts[i]} for i in [from, to), as {@link #expNonPositive(double[], int, int, double)}
     * with a shift per value: a block of softmax rows of different lengths in one long loop, which the JIT
     * vectorises where a loop per row of a few dozen values runs mostly scalar.
     */
    public static void expNonPositive(double[] v, double[] shifts, int from, int to) {
        for (int i = from; i < to; i++) v[i] = expNonPositive(v[i] - shifts[i]);
    }

    /**
     * e^x for x ≤ 0 (see above); small enough to be inlined into the array loops, which then vectorise.
     * The polynomial is evaluated in Estrin's scheme, pairs of terms combined by t² and t⁴: the same
     * multiplies and adds as Horner's rule but a dependency chain half as long, which is what bounds
     * the vectorised loop (the eight squarings are a chain either way).
     */
    private static double expNonPositive(double x) {
        double t = Math.max(x, MIN_EXP_ARGUMENT) * (1.0 / 256);
        double t2 = t * t;
        double t4 = t2 * t2;
        double low = (1.0 + t) + t2 * (0.5 + t * (1.0 / 6));                               // terms 0–3
        double middle = (1.0 / 24 + t * (1.0 / 120)) + t2 * (1.0 / 720 + t * (1.0 / 5040));  // terms 4–7
        double high = 1.0 / 40320 + t * (1.0 / 362880);                                     // terms 8–9
        double p = low + t4 * (middle + t4 * high);
        p *= p;
        p *= p;
        p *= p;
        p *= p;
        p *= p;
        p *= p;
        p *= p;
        p *= p;
        return p;
    }

    /** Σ v[i] for i in [from, to), four running sums (the JIT does not reorder one floating-point sum). */
    public static double sum(double[] v, int from, int to) {
        double a = 0, b = 0, c = 0, d = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            a += v[i];
            b += v[i + 1];
            c += v[i + 2];
            d += v[i + 3];
        }
        for (; i < to; i++) a += v[i];
        return (a + b) + (c + d);
    }

    /** Σ a[i]·b[i] for i in [from, to), four running sums like {@link #sum}. */
    public static double dot(double[] a, double[] b, int from, int to) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (; i < to; i++) s0 += a[i] * b[i];
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * max v[i] for i in [from, to), from < to; four running maxima, like {@link #sum}: one chain of
     * {@code Math.max} (which the JIT neither vectorises nor reorders) ran 2.5 times slower.
     */
    public static double max(double[] v, int from, int to) {
        double a = v[from], b = a, c = a, d = a;
        int i = from + 1;
        for (; i + 3 < to; i += 4) {
            a = Math.max(a, v[i]);
            b = Math.max(b, v[i + 1]);
            c = Math.max(c, v[i + 2]);
            d = Math.max(d, v[i + 3]);
        }
        for (; i < to; i++) a = Math.max(a, v[i]);
        return Math.max(Math.max(a, b), Math.max(c, d));
    }
}
