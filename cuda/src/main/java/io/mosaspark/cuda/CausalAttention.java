package io.mosaspark.cuda;

/**
 * softmax(q·kᵀ/√h′ + causal mask)·v for N independent heads of L rows each, and its gradient: the
 * products through cuBLAS batched over the heads, the masked softmax in a kernel. Dense heads use it
 * with L = T, sparse heads with L = k on their selected tokens (ascending positions make the causal
 * mask in original positions the lower triangle). The L×L probabilities are kept for backward.
 */
final class CausalAttention {

    private CausalAttention() {
    }

    /** q, k, v [N, L, h′] → p [N, L, L] (kept), o [N, L, h′]. */
    static void forward(Gpu gpu, int n, int l, int hd, DeviceArray q, DeviceArray k, DeviceArray v, DeviceArray p,
                        DeviceArray o) {
        double scale = 1.0 / Math.sqrt(hd);
        long lh = (long) l * hd, ll = (long) l * l;
        gpu.gemm(false, true, l, l, hd, scale, q, 0, hd, lh, k, 0, hd, lh, 0, p, 0, l, ll, n);
        long rows = (long) n * l;
        gpu.launch("causal_softmax_fwd", warpBlocks(rows), Gpu.BLOCK, 0, p, rows, l);
        gpu.gemm(false, false, l, hd, l, 1, p, 0, l, ll, v, 0, hd, lh, 0, o, 0, hd, lh, n);
    }

    /** From dO [N, L, h′] to dq, dk, dv [N, L, h′]; {@code dp} [N, L, L] is scratch. */
    static void backward(Gpu gpu, int n, int l, int hd, DeviceArray q, DeviceArray k, DeviceArray v, DeviceArray p,
                         DeviceArray dO, DeviceArray dp, DeviceArray dq, DeviceArray dk, DeviceArray dv) {
        double scale = 1.0 / Math.sqrt(hd);
        long lh = (long) l * hd, ll = (long) l * l;
        gpu.gemm(true, false, l, hd, l, 1, p, 0, l, ll, dO, 0, hd, lh, 0, dv, 0, hd, lh, n);
        gpu.gemm(false, true, l, l, hd, 1, dO, 0, hd, lh, v, 0, hd, lh, 0, dp, 0, l, ll, n);
        long rows = (long) n * l;
        gpu.launch("causal_softmax_bwd", warpBlocks(rows), Gpu.BLOCK, 0, p, dp, rows, l);
        gpu.gemm(false, false, l, hd, l, scale, dp, 0, l, ll, k, 0, hd, lh, 0, dq, 0, hd, lh, n);
        gpu.gemm(true, false, l, hd, l, scale, dp, 0, l, ll, q, 0, hd, lh, 0, dk, 0, hd, lh, n);
    }

    /** Blocks of {@link Gpu#BLOCK} threads for one warp per row. */
    static int warpBlocks(long rows) {
        return (int) ((rows * 32 + Gpu.BLOCK - 1) / Gpu.BLOCK);
    }
}
