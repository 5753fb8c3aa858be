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
        assertEquals(Precision.BF16, Precision.parse("bf16"));
        assertEquals(Precision.BF16, Precision.parse("BFloat16"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Precision.parse("fp16"));
        assertTrue(e.getMessage().contains("float64, float32, tf32 or bf16"), e.getMessage());
        assertEquals(new Tolerance(1e-9, 0), CudaParity.tolerance(Precision.FLOAT64));
        assertEquals(new Tolerance(0, 1e-4), CudaParity.tolerance(Precision.FLOAT32));
        // the tensor-core modes: about ten unit roundoffs of their product inputs (2^-11 and 2^-8)
        assertEquals(new Tolerance(0, 5e-3), CudaParity.tolerance(Precision.TF32));
        assertEquals(new Tolerance(0, 4e-2), CudaParity.tolerance(Precision.BF16));
        assertEquals(8, Precision.FLOAT64.bytes());
        assertEquals(4, Precision.TF32.bytes());
        // BF16 is a compute mode of float32 storage, as TF32 is: same buffers, same kernels
        assertEquals(4, Precision.BF16.bytes());
        assertEquals(Precision.TF32.cType, Precision.BF16.cType);
    }
}
