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
     * squarings, only multiplies and adds, so the JIT vectorises the loop (0.66 ns per value against
     * 2.6 for a scalar float exp); relative error below 2e−9, far inside float rounding.
     */
    public static void expNonPositive(double[] v, int from, int to, double shift) {
        for (int i = from; i < to; i++) {
            double t = Math.max(v[i] - shift, MIN_EXP_ARGUMENT) * (1.0 / 256);
            double p = 1.0 / 362880;
            p = p * t + 1.0 / 40320;
            p = p * t + 1.0 / 5040;
            p = p * t + 1.0 / 720;
            p = p * t + 1.0 / 120;
            p = p * t + 1.0 / 24;
            p = p * t + 1.0 / 6;
            p = p * t + 0.5;
            p = p * t + 1.0;
            p = p * t + 1.0;
            p *= p;
            p *= p;
            p *= p;
            p *= p;
            p *= p;
            p *= p;
            p *= p;
            p *= p;
            v[i] = p;
        }
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

    /** max v[i] for i in [from, to), from < to. */
    public static double max(double[] v, int from, int to) {
        double m = v[from];
        for (int i = from + 1; i < to; i++) m = Math.max(m, v[i]);
        return m;
    }
}
