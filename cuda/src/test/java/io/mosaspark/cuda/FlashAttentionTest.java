package io.mosaspark.cuda;

import org.junit.jupiter.api.Test;

import static io.mosaspark.cuda.FlashAttention.Kind.FUSED;
import static io.mosaspark.cuda.FlashAttention.Kind.MATERIALISED;
import static io.mosaspark.cuda.FlashAttention.Kind.choose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which attention the dense heads get: the rule is host logic, checked without a GPU. */
class FlashAttentionTest {

    @Test
    void autoFusesTheTensorCorePrecisionsOnAmpereAndNewerForTheHeadDimsWithKernels() {
        assertEquals(FUSED, choose("auto", Precision.TF32, 64, 90));
        assertEquals(FUSED, choose("auto", Precision.BF16, 16, 80));
        assertEquals(FUSED, choose("auto", Precision.TF32, 32, 100));
        assertEquals(MATERIALISED, choose("auto", Precision.FLOAT32, 64, 90), "strict float32 keeps its accuracy");
        assertEquals(MATERIALISED, choose("auto", Precision.FLOAT64, 64, 90), "parity in float64");
        assertEquals(MATERIALISED, choose("auto", Precision.TF32, 128, 90), "no kernel for head dim 128");
        assertEquals(MATERIALISED, choose("auto", Precision.TF32, 48, 90));
        assertEquals(FUSED, choose("auto", Precision.TF32, 8, 90), "the parity files' head dim");
        assertEquals(MATERIALISED, choose("auto", Precision.TF32, 64, 75), "Turing has no TF32 tensor cores");
    }

    @Test
    void aRequestIsHonouredOrRefusedWithTheReasonNeverReplaced() {
        assertEquals(MATERIALISED, choose("materialised", Precision.TF32, 64, 90));
        assertEquals(FUSED, choose("FUSED", Precision.BF16, 64, 90));
        String why = assertThrows(IllegalArgumentException.class, () -> choose("fused", Precision.FLOAT64, 64, 90)).getMessage();
        assertTrue(why.contains("float64") && why.contains("materialised"), why);
        why = assertThrows(IllegalArgumentException.class, () -> choose("fused", Precision.TF32, 128, 90)).getMessage();
        assertTrue(why.contains("head dim 128"), why);
        why = assertThrows(IllegalArgumentException.class, () -> choose("fused", Precision.TF32, 64, 75)).getMessage();
        assertTrue(why.contains("7.5"), why);
        why = assertThrows(IllegalArgumentException.class, () -> choose("flash", Precision.TF32, 64, 90)).getMessage();
        assertTrue(why.contains("auto, fused or materialised"), why);
    }

    @Test
    void bf16TrainingMultipliesBf16InputsWhereTheMmaFitsTheHeadDim() {
        assertEquals("bf16", FlashAttention.inputs(Precision.BF16, 64));
        assertEquals("bf16", FlashAttention.inputs(Precision.BF16, 16));
        assertEquals("tf32", FlashAttention.inputs(Precision.BF16, 8), "m16n8k16 sums 16 columns");
        assertEquals("tf32", FlashAttention.inputs(Precision.TF32, 64));
        System.setProperty("mosa.cuda.flash.inputs", "tf32");
        try {
            assertEquals("tf32", FlashAttention.inputs(Precision.BF16, 64), "the comparison switch");
            System.setProperty("mosa.cuda.flash.inputs", "fp8");
            String why = assertThrows(IllegalArgumentException.class, () -> FlashAttention.inputs(Precision.BF16, 64)).getMessage();
            assertTrue(why.contains("fp8") && why.contains("auto or tf32"), why);
        } finally {
            System.clearProperty("mosa.cuda.flash.inputs");
        }
    }

    /**
     * The GPU check holds each precision's fused attention to that precision's parity tolerance: BF16's
     * inputs carry 8 bits, so its errors (3-7e-3 measured on the H100, the materialised BF16 path's too)
     * are above TF32's 5e-3 and within BF16's 4e-2.
     */
    @Test
    void theAttentionCheckUsesTheToleranceOfThePrecisionItRuns() {
        assertEquals(5e-3, AttentionCheck.tolerance(Precision.TF32));
        assertEquals(4e-2, AttentionCheck.tolerance(Precision.BF16));
        assertEquals(1e-4, AttentionCheck.tolerance(Precision.FLOAT32));
        assertEquals(1e-9, AttentionCheck.tolerance(Precision.FLOAT64));
    }
}
