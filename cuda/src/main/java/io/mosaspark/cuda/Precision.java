package io.mosaspark.cuda;

import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;

/**
 * How the backend computes: the element type of every buffer and kernel, and the compute mode of the
 * cuBLAS products. FLOAT32 is strict IEEE float32 (parity); TF32 keeps float32 storage but lets the
 * tensor cores round product inputs to TF32 (10-bit mantissa, float32 accumulation), for training.
 * BF16 keeps float32 storage too; each product's two operands are rounded to bfloat16 (7-bit mantissa)
 * into scratch copies and multiplied by cuBLAS with float32 accumulation and a float32 result: the tensor
 * cores' BF16 rate, about twice TF32's, at eight times TF32's rounding error. (cuBLAS's
 * CUBLAS_COMPUTE_32F_FAST_16BF on float32 operands was tried first: on an H100 it gave bit-identical
 * results to TF32 at TF32's speed for the model's projections, so the rounding is done here.) Everything
 * outside the products (norms, softmax, the optimizer) stays float32 in both.
 */
public enum Precision {
    FLOAT64(8, "double", cudart.CUDA_R_64F, cudart.CUDA_R_64F, cublas.CUBLAS_COMPUTE_64F),
    FLOAT32(4, "float", cudart.CUDA_R_32F, cudart.CUDA_R_32F, cublas.CUBLAS_COMPUTE_32F),
    TF32(4, "float", cudart.CUDA_R_32F, cudart.CUDA_R_32F, cublas.CUBLAS_COMPUTE_32F_FAST_TF32),
    BF16(4, "float", cudart.CUDA_R_32F, cudart.CUDA_R_16BF, cublas.CUBLAS_COMPUTE_32F);

    final int bytes;
    /** The C type the kernels are compiled with ({@code -Dreal=…}). */
    final String cType;
    /** The type of every buffer, and of the products' results. */
    final int cudaDataType;
    /** The type of the products' two operands as cuBLAS reads them. */
    final int operandType;
    final int cublasCompute;

    Precision(int bytes, String cType, int cudaDataType, int operandType, int cublasCompute) {
        this.bytes = bytes;
        this.cType = cType;
        this.cudaDataType = cudaDataType;
        this.operandType = operandType;
        this.cublasCompute = cublasCompute;
    }

    /** Whether products read rounded bfloat16 copies of their operands rather than the buffers themselves. */
    boolean roundsOperandsToBf16() {
        return operandType == cudart.CUDA_R_16BF;
    }

    public int bytes() {
        return bytes;
    }

    public boolean isDouble() {
        return bytes == 8;
    }

    /** {@code float64}, {@code float32}, {@code tf32}, {@code bf16} (the command-line spelling). */
    public static Precision parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "float64", "double", "f64" -> FLOAT64;
            case "float32", "float", "f32" -> FLOAT32;
            case "tf32" -> TF32;
            case "bf16", "bfloat16" -> BF16;
            default -> throw new IllegalArgumentException("precision '" + s + "': use float64, float32, tf32 or bf16");
        };
    }
}
