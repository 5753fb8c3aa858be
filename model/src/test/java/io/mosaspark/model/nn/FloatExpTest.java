package io.mosaspark.model.nn;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FloatExpTest {

    @Test
    void withinTwoTenthsOfAMillionthOfMathExpOverItsRange() {
        double worst = 0;
        for (float x = -86f; x <= 88f; x += 0.0037f) {
            worst = Math.max(worst, Math.abs(FloatExp.exp(x) / Math.exp(x) - 1));
        }
        assertTrue(worst < 2e-7, "max relative error " + worst);
        assertEquals(1f, FloatExp.exp(0f));
        assertEquals((float) Math.E, FloatExp.exp(1f), Math.ulp((float) Math.E));
    }

    @Test
    void veryNegativeArgumentsGiveATinyPositiveValueAndNaNStaysNaN() {
        float tiny = FloatExp.exp(-1000f);
        assertTrue(tiny > 0 && tiny < 1e-37f, "exp(-1000) = " + tiny);
        assertTrue(Float.isNaN(FloatExp.exp(Float.NaN)));
    }
}
