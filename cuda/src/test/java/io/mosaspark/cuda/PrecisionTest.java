package io.mosaspark.cuda;

import io.mosaspark.model.parity.Tolerance;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrecisionTest {

    @Test
    void spellingsAndTolerances() {
        assertEquals(Precision.FLOAT64, Precision.parse("float64"));
        assertEquals(Precision.FLOAT32, Precision.parse("FLOAT32"));
        assertEquals(Precision.TF32, Precision.parse("tf32"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Precision.parse("bf16"));
        assertTrue(e.getMessage().contains("float64, float32 or tf32"));
        assertEquals(new Tolerance(1e-9, 0), CudaParity.tolerance(Precision.FLOAT64));
        assertEquals(new Tolerance(0, 1e-4), CudaParity.tolerance(Precision.FLOAT32));
        assertEquals(8, Precision.FLOAT64.bytes());
        assertEquals(4, Precision.TF32.bytes());
    }
}
