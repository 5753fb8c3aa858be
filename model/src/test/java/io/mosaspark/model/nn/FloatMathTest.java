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
}
