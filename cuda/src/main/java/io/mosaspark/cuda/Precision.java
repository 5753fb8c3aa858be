package io.mosaspark.cuda;

import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;

/**
 * How the backend computes: the element type of every buffer and kernel, and the compute mode of the
 * cuBLAS products. FLOAT32 is strict IEEE float32 (parity); TF32 keeps float32 storage but lets the
 * tensor cores round product inputs to TF32 (10-bit mantissa, float32 accumulation), for training.
 * BF16 keeps float32 storage too and has cuBLAS round product inputs to bfloat16 (7-bit mantissa) with
 * float32 accumulation: the tensor cores' BF16 rate, about twice TF32's, at eight times TF32's rounding
 * error. Everything outside the products (norms, softmax, the optimizer) stays float32 in both.
 */
public enum Precision {
    FLOAT64(8, "double", cudart.CUDA_R_64F, cublas.CUBLAS_COMPUTE_64F),
    FLOAT32(4, "float", cudart.CUDA_R_32F, cublas.CUBLAS_COMPUTE_32F),
    TF32(4, "float", cudart.CUDA_R_32F, cublas.CUBLAS_COMPUTE_32F_FAST_TF32),
    BF16(4, "float", cudart.CUDA_R_32F, cublas.CUBLAS_COMPUTE_32F_FAST_16BF);

    final int bytes;
    /** The C type the kernels are compiled with ({@code -Dreal=…}). */
    final String cType;
    final int cudaDataType;
    final int cublasCompute;

    Precision(int bytes, String cType, int cudaDataType, int cublasCompute) {
        this.bytes = bytes;
        this.cType = cType;
        this.cudaDataType = cudaDataType;
        this.cublasCompute = cublasCompute;
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
