package io.mosaspark.cuda;

import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One CUDA device in one precision: its allocations (counted, for the peak-memory figure), the model's
 * kernels compiled for it ({@link KernelSource}), and a cuBLAS handle for the products.
 *
 * <p>Everything runs on the default stream of the calling thread, in order; nothing here is thread-safe.
 * Set {@code MOSA_CUDA_SYNC=1} to synchronise and check after every launch (slow; for finding a faulting
 * kernel).
 */
public final class Gpu implements AutoCloseable {

    public static final int BLOCK = 256;

    private final int device;
    private final Precision precision;
    private final int major, minor, multiprocessors;
    private final CUmod_st module = new CUmod_st();
    private final Map<String, CUfunc_st> functions = new HashMap<>();
    private final cublasContext blas = new cublasContext();
    private final boolean syncEveryLaunch = "1".equals(System.getenv("MOSA_CUDA_SYNC"));
    private long liveBytes, peakBytes;
    // BF16: the rounded copies of a product's operands, grown to the largest product's
    private DeviceArray bf16A, bf16B;
    private final double compileSeconds;

    public Gpu(int device, Precision precision) {
        this.device = device;
        this.precision = precision;
        try {
            CudaError.runtime(cudart.cudaSetDevice(device), "cudaSetDevice(" + device + ")");
        } catch (LinkageError e) {
            throw new IllegalStateException("the CUDA backend needs CUDA 13's libcudart.so.13, libcublas.so.13, "
                    + "libcublasLt.so.13 and libnvrtc.so.13 and the NVIDIA driver's libcuda.so.1 on the library path "
                    + "(LD_LIBRARY_PATH); loading them failed: " + e.getMessage(), e);
        }
        CudaError.runtime(cudart.cudaFree(null), "cudaFree(0) (context creation)");
        int[] v = new int[1];
        CudaError.runtime(cudart.cudaDeviceGetAttribute(v, cudart.cudaDevAttrComputeCapabilityMajor, device), "cudaDeviceGetAttribute");
        major = v[0];
        CudaError.runtime(cudart.cudaDeviceGetAttribute(v, cudart.cudaDevAttrComputeCapabilityMinor, device), "cudaDeviceGetAttribute");
        minor = v[0];
        CudaError.runtime(cudart.cudaDeviceGetAttribute(v, cudart.cudaDevAttrMultiProcessorCount, device), "cudaDeviceGetAttribute");
        multiprocessors = v[0];
        long t0 = System.nanoTime();
        byte[] cubin = KernelSource.compile(precision.cType, major * 10 + minor);
        compileSeconds = (System.nanoTime() - t0) / 1e9;
        try (Pointer image = new org.bytedeco.javacpp.BytePointer(cubin)) {
            CudaError.driver(cudart.cuModuleLoadData(module, image), "cuModuleLoadData");
        }
        CudaError.cublas(cublas.cublasCreate_v2(blas), "cublasCreate");
    }

    public Precision precision() {
        return precision;
    }

    /** The CUDA device ordinal. */
    public int device() {
        return device;
    }

    public String computeCapability() {
        return major + "." + minor;
    }

    /** The compute capability as one number, 10·major + minor (90 for Hopper). */
    public int sm() {
        return major * 10 + minor;
    }

    public int multiprocessors() {
        return multiprocessors;
    }

    public double kernelCompileSeconds() {
        return compileSeconds;
    }

    // ------------------------------------------------------------------------------------------ memory

    /** {@code n} elements of the working precision. */
    public DeviceArray alloc(long n) {
        return allocBytes(n, precision.bytes);
    }

    public DeviceArray allocInts(long n) {
        return allocBytes(n, 4);
    }

    DeviceArray allocBytes(long n, int elementBytes) {
        long bytes = Math.max(1, n) * elementBytes;
        Pointer p = new Pointer();
        CudaError.runtime(cudart.cudaMalloc(p, bytes), "cudaMalloc(" + bytes + " bytes)");
        liveBytes += bytes;
        peakBytes = Math.max(peakBytes, liveBytes);
        return new DeviceArray(this, p.address(), n, elementBytes, true);
    }

    void release(DeviceArray a) {
        CudaError.runtime(cudart.cudaFree(a.pointer()), "cudaFree");
        liveBytes -= Math.max(1, a.length) * a.elementBytes;
    }

    /** Bytes this backend holds now / at most since the last {@link #resetPeak}. */
    public long liveBytes() {
        return liveBytes;
    }

    public long peakBytes() {
        return peakBytes;
    }

    public void resetPeak() {
        peakBytes = liveBytes;
    }

    /** Device memory in use by every process and library (the driver's view), in bytes. */
    public long deviceBytesInUse() {
        try (SizeTPointer free = new SizeTPointer(1); SizeTPointer total = new SizeTPointer(1)) {
            CudaError.runtime(cudart.cudaMemGetInfo(free, total), "cudaMemGetInfo");
            return total.get() - free.get();
        }
    }

    public void synchronize() {
        CudaError.runtime(cudart.cudaDeviceSynchronize(), "cudaDeviceSynchronize");
    }

    // ----------------------------------------------------------------------------------------- kernels

    /** A kernel argument of the working precision's type ({@code real} in kernels.cu). */
    public record Real(double value) {
    }

    public static Real real(double v) {
        return new Real(v);
    }

    /** Blocks for a grid-stride loop over {@code n} elements. */
    public int blocksFor(long n) {
        return (int) Math.max(1, Math.min((n + BLOCK - 1) / BLOCK, 32L * multiprocessors));
    }

    /**
     * Launches kernel {@code name} with {@code args} in the order of its C signature: DeviceArray (a
     * device pointer), Integer (int), Long (long long), Double (double), {@link Real} (real).
     */
    public void launch(String name, int grid, int block, int sharedBytes, Object... args) {
        launch2d(name, grid, 1, block, sharedBytes, args);
    }

    /** Launches on a two-dimensional grid of gridX × gridY blocks. */
    public void launch2d(String name, int gridX, int gridY, int block, int sharedBytes, Object... args) {
        CUfunc_st f = functions.computeIfAbsent(name, n -> {
            CUfunc_st fn = new CUfunc_st();
            CudaError.driver(cudart.cuModuleGetFunction(fn, module, n), "cuModuleGetFunction(" + n + ")");
            return fn;
        });
        List<Pointer> values = new ArrayList<>(args.length);
        try (PointerPointer<Pointer> params = new PointerPointer<>(args.length)) {
            for (int i = 0; i < args.length; i++) {
                Pointer p = argument(name, i, args[i]);
                values.add(p);
                params.put(i, p);
            }
            CudaError.driver(cudart.cuLaunchKernel(f, gridX, gridY, 1, block, 1, 1, sharedBytes, null, params, null),
                    "cuLaunchKernel(" + name + ")");
        } finally {
            values.forEach(Pointer::close);
        }
        if (syncEveryLaunch) {
            CudaError.runtime(cudart.cudaDeviceSynchronize(), "kernel " + name);
        }
    }

    private Pointer argument(String kernel, int i, Object a) {
        if (a instanceof DeviceArray d) return new LongPointer(1).put(d.address);
        if (a == null) return new LongPointer(1).put(0L);
        if (a instanceof Integer x) return new IntPointer(1).put(x);
        if (a instanceof Long x) return new LongPointer(1).put(x);
        if (a instanceof Double x) return new DoublePointer(1).put(x);
        if (a instanceof Real r) {
            return precision.isDouble() ? new DoublePointer(1).put(r.value()) : new FloatPointer(1).put((float) r.value());
        }
        throw new IllegalArgumentException("kernel " + kernel + ": argument " + i + " of type " + a.getClass());
    }

    // ---------------------------------------------------------------------------------------- products

    /**
     * C = α·op(A)·op(B) + β·C for {@code batch} matrices, all row-major (as the model stores them):
     * op(A) is M×K, op(B) K×N, C M×N; {@code lda}, {@code ldb}, {@code ldc} are row strides and the
     * strides step from one batch entry to the next. cuBLAS is column-major, so this computes
     * Cᵀ = op(B)ᵀ·op(A)ᵀ, which reads the same memory.
     */
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                     DeviceArray a, long aOff, int lda, long strideA,
                     DeviceArray b, long bOff, int ldb, long strideB, double beta,
                     DeviceArray c, long cOff, int ldc, long strideC, int batch) {
        int opA = transA ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N;
        int opB = transB ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N;
        Pointer aPtr = a.pointer(aOff), bPtr = b.pointer(bOff);
        if (precision.roundsOperandsToBf16()) {
            bf16A = roundedCopy(bf16A, a, aOff, extent(transA ? k : m, transA ? m : k, lda, strideA, batch));
            bf16B = roundedCopy(bf16B, b, bOff, extent(transB ? n : k, transB ? k : n, ldb, strideB, batch));
            aPtr = bf16A.pointer(0);
            bPtr = bf16B.pointer(0);
        }
        Pointer al = precision.isDouble() ? new DoublePointer(1).put(alpha) : new FloatPointer(1).put((float) alpha);
        Pointer be = precision.isDouble() ? new DoublePointer(1).put(beta) : new FloatPointer(1).put((float) beta);
        try {
            int t = precision.cudaDataType, ot = precision.operandType;
            CudaError.cublas(cublas.cublasGemmStridedBatchedEx(blas, opB, opA, n, m, k, al,
                    bPtr, ot, ldb, strideB, aPtr, ot, lda, strideA, be,
                    c.pointer(cOff), t, ldc, strideC, batch, precision.cublasCompute, cublas.CUBLAS_GEMM_DEFAULT),
                    "cublasGemmStridedBatchedEx(" + m + "x" + n + "x" + k + ", batch " + batch + ")");
        } finally {
            al.close();
            be.close();
        }
        if (syncEveryLaunch) CudaError.runtime(cudart.cudaDeviceSynchronize(), "gemm");
    }

    /** Elements a strided batch of {@code rows} × {@code cols} row-major matrices spans. */
    static long extent(int rows, int cols, int ld, long stride, int batch) {
        return (batch - 1) * stride + (long) (rows - 1) * ld + cols;
    }

    /** {@code n} elements of {@code src} from {@code offset}, rounded to bfloat16 into {@code scratch} (grown if short). */
    private DeviceArray roundedCopy(DeviceArray scratch, DeviceArray src, long offset, long n) {
        if (scratch == null || scratch.length() < n) {
            if (scratch != null) scratch.free();
            scratch = allocBytes(n, 2);
        }
        launch("to_bf16", blocksFor(n), BLOCK, 0, src.view(offset, n), scratch, n);
        return scratch;
    }

    /** One product, no batch: C[M×N] = α·op(A)·op(B) + β·C. */
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, DeviceArray a, int lda,
                     DeviceArray b, int ldb, double beta, DeviceArray c, int ldc) {
        gemm(transA, transB, m, n, k, alpha, a, 0, lda, 0, b, 0, ldb, 0, beta, c, 0, ldc, 0, 1);
    }

    @Override
    public void close() {
        if (bf16A != null) bf16A.free();
        if (bf16B != null) bf16B.free();
        cublas.cublasDestroy_v2(blas);
        cudart.cuModuleUnload(module);
    }
}
