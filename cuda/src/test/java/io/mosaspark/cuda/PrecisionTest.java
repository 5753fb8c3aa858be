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

    @Test
    void onlyBf16MultipliesRoundedCopiesAndItAccumulatesInPlainFloat32() {
        assertTrue(Precision.BF16.roundsOperandsToBf16());
        assertEquals(org.bytedeco.cuda.global.cudart.CUDA_R_16BF, Precision.BF16.operandType);
        assertEquals(org.bytedeco.cuda.global.cudart.CUDA_R_32F, Precision.BF16.cudaDataType, "results stay float32");
        assertEquals(org.bytedeco.cuda.global.cublas.CUBLAS_COMPUTE_32F, Precision.BF16.cublasCompute);
        for (Precision p : new Precision[]{Precision.FLOAT64, Precision.FLOAT32, Precision.TF32}) {
            assertTrue(!p.roundsOperandsToBf16() && p.operandType == p.cudaDataType, p.name());
        }
    }

    @Test
    void theRoundedCopySpansExactlyWhatCublasReads() {
        // 2 matrices of 3 rows × 4 columns, rows 5 apart, matrices 20 apart: the last element is 20 + 2·5 + 3
        assertEquals(34, Gpu.extent(3, 4, 5, 20, 2));
        assertEquals(12, Gpu.extent(3, 4, 4, 0, 1));
        assertEquals(12, Gpu.extent(3, 4, 4, 0, 7), "one matrix shared by the batch (stride 0)");
    }
}
