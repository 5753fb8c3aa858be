package io.mosaspark.cuda;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Causal attention with the scores kept on chip ({@code flash_attention.cu}): the same function as
 * {@link CausalAttention} for N heads of L rows, without its N·L·L probabilities. Forward keeps only the
 * output and each row's log-sum-exp; backward recomputes the probabilities tile by tile. Its products
 * are tensor-core products with float32 accumulation, on TF32 inputs in the TF32 precision and on
 * bfloat16 inputs in BF16 ({@link #inputs}), so it serves those two precisions on compute capability 8.0
 * and newer, for head dims {@link #HEAD_DIMS}.
 */
final class FlashAttention {
    /** Head dims with kernels (the backward kernels hold two head-dim-wide accumulators per thread). */
    static final int[] HEAD_DIMS = {8, 16, 32, 64};
    private static final int THREADS = 128, TILE = 64;
    private static final double LOG2_E = 1.4426950408889634;
    private static final String FORWARD = "flash_fwd", BACKWARD_KV = "flash_bwd_kv", BACKWARD_Q = "flash_bwd_q";

    private FlashAttention() {
    }

    /** Which attention the dense heads run; {@code -Dmosa.cuda.attention=auto|fused|materialised}. */
    enum Kind {
        FUSED, MATERIALISED;

        /**
         * {@code auto}: fused where it can run, else materialised. {@code fused} where it cannot run is an
         * error naming why, never a silent fallback.
         */
        static Kind choose(String request, Precision precision, int headDim, int sm) {
            String why = unsupported(precision, headDim, sm);
            return switch (request.toLowerCase(Locale.ROOT)) {
                case "auto" -> why == null ? FUSED : MATERIALISED;
                case "materialised", "materialized" -> MATERIALISED;
                case "fused" -> {
                    if (why != null) throw new IllegalArgumentException("mosa.cuda.attention=fused: " + why
                            + "; use -Dmosa.cuda.attention=auto or materialised");
                    yield FUSED;
                }
                default -> throw new IllegalArgumentException("mosa.cuda.attention=" + request
                        + ": use auto, fused or materialised");
            };
        }

        static Kind fromSystemProperty(Precision precision, int headDim, int sm) {
            return choose(System.getProperty("mosa.cuda.attention", "auto"), precision, headDim, sm);
        }
    }

    /** Why the fused kernels cannot serve this case, or null if they can. */
    static String unsupported(Precision precision, int headDim, int sm) {
        if (precision != Precision.TF32 && precision != Precision.BF16) {
            return "the fused kernels compute with TF32 tensor cores; precision " + precision.name().toLowerCase(Locale.ROOT)
                    + " needs the materialised path to keep its accuracy";
        }
        if (Arrays.stream(HEAD_DIMS).noneMatch(d -> d == headDim)) {
            return "head dim " + headDim + " has no fused kernel (there are " + Arrays.toString(HEAD_DIMS) + ")";
        }
        if (sm < 80) return "compute capability " + sm / 10 + "." + sm % 10 + " has no TF32 tensor cores (8.0 and newer)";
        return null;
    }

    /**
     * The products' input type: {@code bf16} in the BF16 precision for head dims that are a multiple of
     * 16 (its mma sums 16 columns), else {@code tf32}. {@code -Dmosa.cuda.flash.inputs=tf32} keeps TF32
     * inputs in BF16 too (to compare the two).
     */
    static String inputs(Precision precision, int hd) {
        String request = System.getProperty("mosa.cuda.flash.inputs", "auto").toLowerCase(Locale.ROOT);
        return switch (request) {
            case "auto" -> precision == Precision.BF16 && hasBf16Kernels(hd) ? "bf16" : "tf32";
            case "tf32" -> "tf32";
            default -> throw new IllegalArgumentException("mosa.cuda.flash.inputs=" + request + ": use auto or tf32");
        };
    }

    /** BF16's m16n8k16 sums 16 columns at a time: kernels for head dims that are a multiple of 16. */
    private static boolean hasBf16Kernels(int hd) {
        return hd % 16 == 0;
    }

    private static String kernel(String stem, String inputs, int hd) {
        return stem + "_" + inputs + "_" + hd;
    }

    /** Every kernel name this class can launch (flash_attention.cu defines them by macro). */
    static Set<String> kernelNames() {
        Set<String> names = new TreeSet<>();
        for (String stem : new String[]{FORWARD, BACKWARD_KV, BACKWARD_Q}) {
            for (int hd : HEAD_DIMS) {
                names.add(kernel(stem, "tf32", hd));
                if (hasBf16Kernels(hd)) names.add(kernel(stem, "bf16", hd));
            }
        }
        return names;
    }

    /** q, k, v [N, L, h′] → o [N, L, h′] and lse [N, L] (log2 units, kept for backward). */
    static void forward(Gpu gpu, int n, int l, int hd, DeviceArray q, DeviceArray k, DeviceArray v, DeviceArray o,
                        DeviceArray lse) {
        gpu.launch2d(kernel(FORWARD, inputs(gpu.precision(), hd), hd), tiles(l), n, THREADS, 0, q, k, v, o, lse, l,
                Gpu.real(scale(hd) * LOG2_E));
    }

    /** From dO [N, L, h′] to dq, dk, dv [N, L, h′]; {@code delta} [N, L] is scratch. */
    static void backward(Gpu gpu, int n, int l, int hd, DeviceArray q, DeviceArray k, DeviceArray v, DeviceArray o,
                         DeviceArray lse, DeviceArray dO, DeviceArray delta, DeviceArray dq, DeviceArray dk, DeviceArray dv) {
        long rows = (long) n * l;
        gpu.launch("row_dot", CausalAttention.warpBlocks(rows), Gpu.BLOCK, 0, dO, o, delta, rows, hd);
        Gpu.Real scale = Gpu.real(scale(hd)), scaleLog2 = Gpu.real(scale(hd) * LOG2_E);
        String inputs = inputs(gpu.precision(), hd);
        gpu.launch2d(kernel(BACKWARD_KV, inputs, hd), tiles(l), n, THREADS, 0, q, k, v, dO, lse, delta, dk, dv, l, scale, scaleLog2);
        gpu.launch2d(kernel(BACKWARD_Q, inputs, hd), tiles(l), n, THREADS, 0, q, k, v, dO, lse, delta, dq, l, scale, scaleLog2);
    }

    private static int tiles(int l) {
        return (l + TILE - 1) / TILE;
    }

    private static double scale(int hd) {
        return 1.0 / Math.sqrt(hd);
    }
}
