package io.mosaspark.cuda;

import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUgraphExec_st;
import org.bytedeco.cuda.cudart.CUgraph_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.SizeTPointer;

import java.util.HashMap;
import java.util.Map;

/**
 * One CUDA device in one precision: its allocations (counted, for the peak-memory figure), the model's
 * kernels compiled for it ({@link KernelSource}), and a cuBLAS handle for the products.
 *
 * <p>Everything runs in order on one stream of its own (a blocking stream, so the synchronous copies of
 * {@link DeviceArray} on the legacy default stream still wait for it and it for them); nothing here is
 * thread-safe. The stream lets a fixed sequence of launches be captured once and replayed as a CUDA graph
 * ({@link #capture}). Set {@code MOSA_CUDA_SYNC=1} to synchronise and check after every launch (slow; for
 * finding a faulting kernel; ignored while capturing). A {@link LaunchProfile} set with {@link #profile}
 * times every launch and product.
 */
public final class Gpu implements AutoCloseable {

    public static final int BLOCK = 256;

    private final int device;
    private final Precision precision;
    private final int major, minor, multiprocessors;
    private final CUmod_st module = new CUmod_st();
    private final Map<String, CUfunc_st> functions = new HashMap<>();
    private final cublasContext blas = new cublasContext();
    private final CUstream_st stream = new CUstream_st();
    private final LaunchArguments arguments = new LaunchArguments();
    // cuBLAS reads host-side α and β when the call is made (and records their values when captured)
    private final Pointer alpha, beta;
    private final DeviceArray blasWorkspace;
    private final boolean syncEveryLaunch = "1".equals(System.getenv("MOSA_CUDA_SYNC"));
    private boolean capturing;
    private int launchesSinceCapture;
    private LaunchProfile profile;
    private long liveBytes, peakBytes;
    // BF16: the rounded copies of a product's two operands where they have no twin, grown to the largest
    private final DeviceArray[] bf16Scratch = new DeviceArray[2];
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
        CudaError.runtime(cudart.cudaStreamCreate(stream), "cudaStreamCreate");
        CudaError.cublas(cublas.cublasCreate_v2(blas), "cublasCreate");
        CudaError.cublas(cublas.cublasSetStream_v2(blas, stream), "cublasSetStream");
        // a workspace of our own (the size cuBLAS picks on Hopper), so that capturing never makes cuBLAS allocate
        blasWorkspace = allocBytes(BLAS_WORKSPACE_BYTES, 1);
        CudaError.cublas(cublas.cublasSetWorkspace_v2(blas, blasWorkspace.pointer(), BLAS_WORKSPACE_BYTES), "cublasSetWorkspace");
        alpha = precision.isDouble() ? new DoublePointer(1) : new FloatPointer(1);
        beta = precision.isDouble() ? new DoublePointer(1) : new FloatPointer(1);
    }

    private static final long BLAS_WORKSPACE_BYTES = 32L << 20;

    CUstream_st stream() {
        return stream;
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

    /**
     * {@code n} elements for a product operand: in the BF16 precision with a {@link DeviceArray#rounded()}
     * twin that its producing kernel writes, so the products read bfloat16 without a rounding pass of
     * their own (which cost about as much as BF16 saved on the products); otherwise as {@link #alloc}.
     */
    public DeviceArray allocOperand(long n) {
        DeviceArray a = alloc(n);
        if (precision.roundsOperandsToBf16()) a.attachRounded(allocBytes(n, 2));
        return a;
    }

    /**
     * {@code n} elements for an operand that nothing but products reads (an activation the backward needs
     * only as a product's input, such as GELU's output): in the BF16 precision only the bfloat16 twin is
     * stored, since the products read nothing else, which halves what such an activation holds over the
     * float32 the other precisions keep; otherwise as {@link #alloc}. The kernel that writes it takes the
     * twin right after it and skips the null float32 array ({@code store_operand} in kernels.cu).
     */
    public DeviceArray allocProductOnlyOperand(long n) {
        if (!precision.roundsOperandsToBf16()) return alloc(n);
        return DeviceArray.twinOnly(this, n, precision.bytes, allocBytes(n, 2));
    }

    /** Rounds {@code a} into its twin now, for an operand written by something else (uploads, the optimizer). */
    void refreshRounded(DeviceArray a) {
        if (a.rounded() != null) launch("to_bf16", blocksFor(a.length()), BLOCK, 0, a, a.rounded(), a.length());
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

    void clear(DeviceArray a) {
        CudaError.runtime(cudart.cudaMemsetAsync(a.pointer(), 0, a.bytes(), stream), "cudaMemsetAsync");
        afterLaunch("cudaMemsetAsync");
    }

    void copy(DeviceArray src, DeviceArray dst) {
        CudaError.runtime(cudart.cudaMemcpyAsync(dst.pointer(), src.pointer(), src.bytes(), cudart.cudaMemcpyDeviceToDevice, stream),
                "cudaMemcpyAsync D2D");
        afterLaunch("cudaMemcpyAsync");
    }

    public void synchronize() {
        CudaError.runtime(cudart.cudaDeviceSynchronize(), "cudaDeviceSynchronize");
    }

    // ---------------------------------------------------------------------------------- graphs, profile

    /** A captured sequence of launches, replayed with {@link #replay}. */
    static final class Graph implements AutoCloseable {
        private final CUgraphExec_st exec;
        private final int nodes;

        private Graph(CUgraphExec_st exec, int nodes) {
            this.exec = exec;
            this.nodes = nodes;
        }

        int launches() {
            return nodes;
        }

        @Override
        public void close() {
            cudart.cudaGraphExecDestroy(exec);
        }
    }

    /**
     * Runs {@code work} with its launches, products and device-side clears recorded into a graph, not
     * executed. {@code work} must not allocate, copy to or from the host, or synchronise: run it once
     * uncaptured first so every buffer it needs exists.
     */
    Graph capture(Runnable work) {
        if (profile != null) throw new IllegalStateException("cannot capture a graph while profiling launches");
        CudaError.runtime(cudart.cudaStreamBeginCapture(stream, cudart.cudaStreamCaptureModeThreadLocal), "cudaStreamBeginCapture");
        capturing = true;
        launchesSinceCapture = 0;
        CUgraph_st graph = new CUgraph_st();
        RuntimeException failed = null;
        try {
            work.run();
        } catch (RuntimeException e) {
            failed = e;
        }
        capturing = false;
        int ended = cudart.cudaStreamEndCapture(stream, graph);
        if (failed != null) {
            if (ended == cudart.cudaSuccess) cudart.cudaGraphDestroy(graph);
            throw failed;
        }
        CudaError.runtime(ended, "cudaStreamEndCapture");
        try {
            CUgraphExec_st exec = new CUgraphExec_st();
            CudaError.runtime(cudart.cudaGraphInstantiate(exec, graph, 0L), "cudaGraphInstantiate");
            return new Graph(exec, launchesSinceCapture);
        } finally {
            cudart.cudaGraphDestroy(graph);
        }
    }

    void replay(Graph g) {
        CudaError.runtime(cudart.cudaGraphLaunch(g.exec, stream), "cudaGraphLaunch");
        if (syncEveryLaunch) CudaError.runtime(cudart.cudaDeviceSynchronize(), "graph replay");
    }

    /** Times every following launch and product into {@code p} (null stops). */
    void profile(LaunchProfile p) {
        if (p != null && capturing) throw new IllegalStateException("cannot profile launches while capturing a graph");
        this.profile = p;
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
        long t0 = profile != null ? profile.begin(stream) : 0;
        int status = cudart.cuLaunchKernel(f, gridX, gridY, 1, block, 1, 1, sharedBytes, stream,
                arguments.set(name, precision.isDouble(), args), null);
        if (status != cudart.CUDA_SUCCESS) CudaError.driver(status, "cuLaunchKernel(" + name + ")");
        if (profile != null) profile.end(stream, name, t0);
        afterLaunch(name);
    }

    private void afterLaunch(String what) {
        launchesSinceCapture++;
        if (syncEveryLaunch && !capturing) CudaError.runtime(cudart.cudaDeviceSynchronize(), "after " + what);
    }

    // ---------------------------------------------------------------------------------------- products

    /**
     * C = α·op(A)·op(B) + β·C for {@code batch} matrices, all row-major (as the model stores them):
     * op(A) is M×K, op(B) K×N, C M×N; {@code lda}, {@code ldb}, {@code ldc} are row strides and the
     * strides step from one batch entry to the next. cuBLAS is column-major, so this computes
     * Cᵀ = op(B)ᵀ·op(A)ᵀ, which reads the same memory.
     */
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alphaValue,
                     DeviceArray a, long aOff, int lda, long strideA,
                     DeviceArray b, long bOff, int ldb, long strideB, double betaValue,
                     DeviceArray c, long cOff, int ldc, long strideC, int batch) {
        int opA = transA ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N;
        int opB = transB ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N;
        Pointer aPtr, bPtr;
        if (precision.roundsOperandsToBf16()) {
            aPtr = bf16Operand(0, a, aOff, extent(transA ? k : m, transA ? m : k, lda, strideA, batch));
            bPtr = bf16Operand(1, b, bOff, extent(transB ? n : k, transB ? k : n, ldb, strideB, batch));
        } else {
            aPtr = a.pointer(aOff);
            bPtr = b.pointer(bOff);
        }
        if (precision.isDouble()) {
            ((DoublePointer) alpha).put(0, alphaValue);
            ((DoublePointer) beta).put(0, betaValue);
        } else {
            ((FloatPointer) alpha).put(0, (float) alphaValue);
            ((FloatPointer) beta).put(0, (float) betaValue);
        }
        long t0 = profile != null ? profile.begin(stream) : 0;
        int t = precision.cudaDataType, ot = precision.operandType;
        int status = cublas.cublasGemmStridedBatchedEx(blas, opB, opA, n, m, k, alpha,
                bPtr, ot, ldb, strideB, aPtr, ot, lda, strideA, beta,
                c.pointer(cOff), t, ldc, strideC, batch, precision.cublasCompute, cublas.CUBLAS_GEMM_DEFAULT);
        // the message is built only on failure: this is the hot path of every step
        if (status != cublas.CUBLAS_STATUS_SUCCESS) {
            CudaError.cublas(status, "cublasGemmStridedBatchedEx(" + m + "x" + n + "x" + k + ", batch " + batch + ")");
        }
        if (profile != null) profile.end(stream, productLabel(transA, transB, m, n, k, batch), t0);
        afterLaunch("gemm");
    }

    private static String productLabel(boolean transA, boolean transB, int m, int n, int k, int batch) {
        return "gemm " + (transA ? "T" : "N") + (transB ? "T" : "N") + " " + m + "x" + n + "x" + k + (batch > 1 ? " x" + batch : "");
    }

    /** Elements a strided batch of {@code rows} × {@code cols} row-major matrices spans. */
    static long extent(int rows, int cols, int ld, long stride, int batch) {
        return (batch - 1) * stride + (long) (rows - 1) * ld + cols;
    }

    /**
     * Where a product reads {@code n} elements of {@code src} from {@code offset} as bfloat16: its twin, or
     * else a rounded copy in scratch slot {@code slot} (grown if short).
     */
    private Pointer bf16Operand(int slot, DeviceArray src, long offset, long n) {
        if (src.rounded() != null) return src.rounded().pointer(offset);
        DeviceArray scratch = bf16Scratch[slot];
        if (scratch == null || scratch.length() < n) {
            if (scratch != null) scratch.free();
            scratch = bf16Scratch[slot] = allocBytes(n, 2);
        }
        launch("to_bf16", blocksFor(n), BLOCK, 0, src.view(offset, n), scratch, n);
        return scratch.pointer(0);
    }

    /** One product, no batch: C[M×N] = α·op(A)·op(B) + β·C. */
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, DeviceArray a, int lda,
                     DeviceArray b, int ldb, double beta, DeviceArray c, int ldc) {
        gemm(transA, transB, m, n, k, alpha, a, 0, lda, 0, b, 0, ldb, 0, beta, c, 0, ldc, 0, 1);
    }

    @Override
    public void close() {
        for (DeviceArray s : bf16Scratch) if (s != null) s.free();
        cublas.cublasDestroy_v2(blas);
        blasWorkspace.free();
        cudart.cudaStreamDestroy(stream);
        arguments.close();
        alpha.close();
        beta.close();
        cudart.cuModuleUnload(module);
    }
}
