package io.mosaspark.model.nn;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FloatMathTest {

    @Test
    void withinTwoTenthsOfAMillionthOfMathExpOverItsRange() {
        double worst = 0;
        for (float x = -86f; x <= 88f; x += 0.0037f) {
            worst = Math.max(worst, Math.abs(FloatMath.exp(x) / Math.exp(x) - 1));
        }
        assertTrue(worst < 2e-7, "max relative error " + worst);
        assertEquals(1f, FloatMath.exp(0f));
        assertEquals((float) Math.E, FloatMath.exp(1f), Math.ulp((float) Math.E));
    }

    @Test
    void veryNegativeArgumentsGiveATinyPositiveValueAndNaNStaysNaN() {
        float tiny = FloatMath.exp(-1000f);
        assertTrue(tiny > 0 && tiny < 1e-37f, "exp(-1000) = " + tiny);
        assertTrue(Float.isNaN(FloatMath.exp(Float.NaN)));
    }

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
}
