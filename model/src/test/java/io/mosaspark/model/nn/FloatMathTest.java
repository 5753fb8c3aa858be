package io.mosaspark.model.nn;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FloatMathTest {

    @Test
    void tanhWithinFiveFloatUlpsOfMathTanhAndOdd() {
        double worst = 0;
        for (float x = -20f; x <= 20f; x += 0.00131f) {
            worst = Math.max(worst, Math.abs(FloatMath.tanh(x) - Math.tanh(x)));
            assertEquals(-FloatMath.tanh(x), FloatMath.tanh(-x));
        }
        assertTrue(worst < 3.5e-7, "max absolute error " + worst);
        assertEquals(0f, FloatMath.tanh(0f));
        assertEquals(Math.tanh(1e-4), FloatMath.tanh(1e-4f), 1e-4 * 3.5e-7, "relative accuracy near 0");
    }

    @Test
    void vectorisedExpOfNonPositiveArgumentsIsAccurateInDouble() {
        double[] v = new double[20_001];
        for (int i = 0; i < v.length; i++) v[i] = 3.0 - 89.0 * i / (v.length - 1);     // shift 3: x − 3 in [−89, 0]
        double[] x = v.clone();
        FloatMath.expNonPositive(v, 0, v.length, 3.0);
        for (int i = 0; i < v.length; i++) {
            double arg = Math.max(x[i] - 3.0, FloatMath.MIN_EXP_ARGUMENT);
            assertEquals(Math.exp(arg), v[i], 2e-9 * Math.exp(arg), "e^" + (x[i] - 3.0));
        }
        double[] w = {5, 1, 2, 3, 4, 9, 7};
        assertEquals(1 + 2 + 3 + 4 + 9 + 7, FloatMath.sum(w, 1, 7));
        assertEquals(9, FloatMath.max(w, 1, 7));
        assertEquals(5, FloatMath.max(w, 0, 1));
    }

    @Test
    void perValueShiftsGiveTheSameBitsAsOneShiftPerRange() {
        double[] x = new double[1003];
        double[] shifts = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = -95.0 * i / x.length + 2;
            shifts[i] = i < 500 ? 2.0 : 5.0;
        }
        double[] each = x.clone();
        FloatMath.expNonPositive(each, shifts, 0, x.length);
        double[] ranges = x.clone();
        FloatMath.expNonPositive(ranges, 0, 500, 2.0);
        FloatMath.expNonPositive(ranges, 500, x.length, 5.0);
        for (int i = 0; i < x.length; i++) assertEquals(ranges[i], each[i], 0.0, "at " + i);
        double arg = x[600] - 5.0;
        assertEquals(Math.exp(arg), each[600], 2e-9 * Math.exp(arg), "e^" + arg);
    }

    @Test
    void maxFindsTheLargestInEveryLanePositionAndDotSumsProducts() {
        for (int length = 1; length <= 11; length++) {
            for (int at = 0; at < length; at++) {
                double[] v = new double[length + 2];
                java.util.Arrays.fill(v, -7);
                v[0] = 100;                                   // outside the range [1, length + 1)
                v[length + 1] = 100;
                v[1 + at] = 3;
                assertEquals(3, FloatMath.max(v, 1, length + 1), "length " + length + ", max at " + at);
            }
        }
        double[] a = {9, 1, 2, 3, 4, 5, 6}, b = {9, 1, -1, 2, 0.5, 3, 1};
        assertEquals(1 - 2 + 6 + 2 + 15 + 6, FloatMath.dot(a, b, 1, 7));
        assertEquals(0.0, FloatMath.dot(a, b, 3, 3));
    }
}
