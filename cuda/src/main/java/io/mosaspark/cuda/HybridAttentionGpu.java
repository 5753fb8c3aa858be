package io.mosaspark.cuda;

import io.mosaspark.model.attention.AttentionParams;
import io.mosaspark.model.config.AttentionConfig;

import java.util.Map;

/**
 * One hybrid attention layer (docs/model.md, "One attention layer") on the GPU for a fixed batch B and
 * length T: the dense heads and the MoSA heads, forward and backward. It keeps what its backward needs
 * (normalised input, rotated q/k, v, the probabilities, the selection) in its own buffers and takes
 * everything transient from the model's {@link Workspace}.
 *
 * <p>Parameters and their gradients are views under the canonical names of {@link AttentionParams}.
 */
final class HybridAttentionGpu {
    private static final int SHARED_BYTES_PER_BLOCK = 48 * 1024;
    private final Gpu gpu;
    private final Workspace ws;
    private final AttentionConfig cfg;
    private final int b, t, h, hd, nd, nm, k, nrot;
    private final Map<String, DeviceArray> p, g;

    // how both kinds of heads run attention: fused on chip, or with materialised probabilities
    private final FlashAttention.Kind attentionKind;
    private final boolean fused;
    // dense heads, kept for backward: q, k, v [B·Hd, T, h′], rows [B·T, Hd·h′]; materialised: p [B·Hd, T, T];
    // fused: o [B·Hd, T, h′] and each row's log-sum-exp [B·Hd, T]
    private DeviceArray denseQ, denseK, denseV, denseP, denseO, denseLse, denseRows;
    // MoSA heads, kept: idx [B, Hm, k], r [Hm, B, k], Xs [Hm, B·k, h], q/k/v/o/a [Hm·B, k, h′];
    // materialised: p [Hm·B, k, k]; fused: each row's log-sum-exp [Hm·B, k]
    private DeviceArray sIdx, sR, sXs, sq, sk, sv, sp, sLse, so, sa;
    // RoPE's cos θ and sin θ for every position and rotated pair [T, n_rot/2] (kernels.cu, rope_table)
    private final DeviceArray ropeCos, ropeSin;
    private DeviceArray u;
    private boolean keepRouterLogits;
    private double[] routerLogits;
    private final DeviceArray nanFlag;

    HybridAttentionGpu(Gpu gpu, Workspace ws, AttentionConfig cfg, int batch, int seqLen, Map<String, DeviceArray> params,
                       Map<String, DeviceArray> grads, DeviceArray nanFlag) {
        if (cfg.mosaHeads() > 0 && cfg.selection() != AttentionConfig.Selection.EXPERT_CHOICE) {
            throw new IllegalArgumentException("selection = " + cfg.selection() + ": the CUDA backend implements the "
                    + "router (EXPERT_CHOICE) only; train fixed-stride baselines on the ND4J backend");
        }
        this.gpu = gpu;
        this.ws = ws;
        this.cfg = cfg;
        this.b = batch;
        this.t = seqLen;
        this.h = cfg.dModel();
        this.hd = cfg.headDim();
        this.nd = cfg.denseHeads();
        this.nm = cfg.mosaHeads();
        this.k = nm > 0 ? cfg.selectedTokens(seqLen) : 0;
        this.nrot = cfg.rotatedDims();
        this.p = params;
        this.g = grads;
        this.nanFlag = nanFlag;
        long nt = (long) b * t;
        long pairs = (long) t * (nrot / 2);
        ropeCos = gpu.alloc(pairs);
        ropeSin = gpu.alloc(pairs);
        gpu.launch("rope_table", gpu.blocksFor(pairs), Gpu.BLOCK, 0, ropeCos, ropeSin, t, nrot, cfg.ropeBase());
        this.attentionKind = FlashAttention.Kind.fromSystemProperty(gpu.precision(), hd, gpu.sm());
        this.fused = attentionKind == FlashAttention.Kind.FUSED;
        if (nd > 0) {
            long heads = (long) b * nd * t * hd;
            denseQ = gpu.alloc(heads);
            denseK = gpu.alloc(heads);
            denseV = gpu.alloc(heads);
            if (fused) {
                denseO = gpu.alloc(heads);
                denseLse = gpu.alloc((long) b * nd * t);
            } else {
                denseP = gpu.alloc((long) b * nd * t * t);
            }
            denseRows = gpu.allocProductOnlyOperand(nt * nd * hd);   // read by the output projection and its weight gradient
        }
        if (nm > 0) {
            if (selectionSharedBytes(t, gpu.precision()) > SHARED_BYTES_PER_BLOCK) {
                throw new IllegalArgumentException("seq_len = " + t + ": the CUDA backend's token selection sorts a sequence's "
                        + "router logits in one block's " + SHARED_BYTES_PER_BLOCK / 1024 + " KiB of shared memory, which holds "
                        + "up to 4096 positions; use a shorter seq_len or the ND4J backend");
            }
            long sel = (long) nm * b * k;
            sIdx = gpu.allocInts(sel);
            sR = gpu.alloc(sel);
            sXs = gpu.allocProductOnlyOperand(sel * h);
            sq = gpu.alloc(sel * hd);
            sk = gpu.alloc(sel * hd);
            sv = gpu.alloc(sel * hd);
            so = gpu.alloc(sel * hd);
            sa = gpu.allocProductOnlyOperand(sel * hd);
            if (fused) sLse = gpu.alloc(sel);
            else sp = gpu.alloc(sel * k);
        }
    }

    /** topk_select's shared memory: a logit and a position for each of T positions, padded to a power of two. */
    static int selectionSharedBytes(int seqLen, Precision precision) {
        int padded = seqLen <= 1 ? 1 : Integer.highestOneBit(seqLen - 1) << 1;
        return padded * (precision.bytes() + 4);
    }

    int selectedTokens() {
        return k;
    }

    /** How the heads' attention runs, dense and sparse alike (fused on chip or with materialised probabilities). */
    FlashAttention.Kind attentionKind() {
        return attentionKind;
    }

    /** Whether the next forward passes copy every token's router logits to the host (routing statistics). */
    boolean keepsRouterLogits() {
        return keepRouterLogits;
    }

    void keepRouterLogits(boolean keep) {
        keepRouterLogits = keep;
        if (!keep) routerLogits = null;
    }

    /** [B·T, Hm] router logits of the last forward that kept them, or null. */
    double[] routerLogits() {
        return routerLogits;
    }

    /** Every sparse head's selected positions [B, Hm, k], ascending (after {@link #forward}). */
    DeviceArray selectedIndices() {
        return sIdx;
    }

    /** out [B·T, h] += attention(x); {@code x} must stay unchanged until {@link #backward}. */
    void forward(DeviceArray x, DeviceArray out) {
        u = x;
        long n = (long) b * t;
        if (nd > 0) {
            int w = 3 * hd * nd;
            DeviceArray qkv = ws.getOperand("attn.qkv", n * w);
            gpu.gemm(false, true, (int) n, w, h, 1, x, h, p.get(AttentionParams.DENSE_QKV), h, 0, qkv, w);
            long total = (long) b * nd * t * hd;
            gpu.launch("qkv_split", gpu.blocksFor(total), Gpu.BLOCK, 0, qkv, null, ropeCos, ropeSin, denseQ, denseK, denseV, 0, b, nd,
                    t, hd, nrot);
            DeviceArray o;
            if (fused) {
                o = denseO;
                FlashAttention.forward(gpu, b * nd, t, hd, denseQ, denseK, denseV, o, denseLse);
            } else {
                o = ws.get("attn.o", total);
                CausalAttention.forward(gpu, b * nd, t, hd, denseQ, denseK, denseV, denseP, o);
            }
            gpu.launch("heads_to_rows", gpu.blocksFor(total), Gpu.BLOCK, 0, o, denseRows, denseRows.rounded(), b, nd, t, hd);
            gpu.gemm(false, true, (int) n, h, nd * hd, 1, denseRows, nd * hd, p.get(AttentionParams.DENSE_O), nd * hd, 1, out, h);
        }
        if (nm > 0) {
            DeviceArray logits = ws.get("attn.logits", n * nm);
            gpu.gemm(false, true, (int) n, nm, h, 1, x, h, p.get(AttentionParams.ROUTER), h, 0, logits, nm);
            // a workspace buffer the next layer overwrites: copied now if asked
            if (keepRouterLogits) routerLogits = logits.download();
            gpu.launch("topk_select", b * nm, Gpu.BLOCK, selectionSharedBytes(t, gpu.precision()), logits, sIdx, sR, nanFlag, b, t, nm, k,
                    cfg.includeFirst() ? 1 : 0);
            int rows = b * k;
            long sel = (long) nm * rows;
            gpu.launch("gather_rows", (int) sel, 128, 0, x, x.rounded(), sIdx, sXs, sXs.rounded(), b, t, nm, k, h);
            DeviceArray qkv = ws.getOperand("attn.sqkv", sel * 3 * hd);
            gpu.gemm(false, false, rows, 3 * hd, h, 1, sXs, 0, h, (long) rows * h, p.get(AttentionParams.MOSA_QKV), 0,
                    3 * hd, (long) h * 3 * hd, 0, qkv, 0, 3 * hd, (long) rows * 3 * hd, nm);
            gpu.launch("qkv_split", gpu.blocksFor(sel * hd), Gpu.BLOCK, 0, qkv, sIdx, ropeCos, ropeSin, sq, sk, sv, 1, b, nm, k, hd, nrot);
            if (fused) FlashAttention.forward(gpu, nm * b, k, hd, sq, sk, sv, so, sLse);
            else CausalAttention.forward(gpu, nm * b, k, hd, sq, sk, sv, sp, so);
            gpu.launch("scale_rows", gpu.blocksFor(sel * hd), Gpu.BLOCK, 0, so, sR, sa, sa.rounded(), sel, hd);
            DeviceArray y = ws.getOperand("attn.sy", sel * h);
            gpu.gemm(false, false, rows, h, hd, 1, sa, 0, hd, (long) rows * hd, p.get(AttentionParams.MOSA_O), 0, h,
                    (long) hd * h, 0, y, 0, h, (long) rows * h, nm);
            gpu.launch("scatter_add_rows", (int) sel, 128, 0, y, sIdx, out, b, t, nm, k, h);
        }
    }

    /** From d(out) [B·T, h]: writes the parameter gradients and adds d(x) into {@code dx}. */
    void backward(DeviceArray dOut, DeviceArray dx) {
        long n = (long) b * t;
        if (nd > 0) {
            int w = 3 * hd * nd;
            long total = (long) b * nd * t * hd;
            gpu.gemm(true, false, h, nd * hd, (int) n, 1, dOut, h, denseRows, nd * hd, 0, g.get(AttentionParams.DENSE_O), nd * hd);
            DeviceArray dRowsGrad = ws.get("attn.drows", n * nd * hd);
            gpu.gemm(false, false, (int) n, nd * hd, h, 1, dOut, h, p.get(AttentionParams.DENSE_O), nd * hd, 0, dRowsGrad, nd * hd);
            DeviceArray dO = ws.get("attn.do", total);
            gpu.launch("rows_to_heads", gpu.blocksFor(total), Gpu.BLOCK, 0, dRowsGrad, dO, b, nd, t, hd);
            DeviceArray gq = ws.get("attn.denseQ", total), gk = ws.get("attn.denseK", total), gv = ws.get("attn.denseV", total);
            if (fused) {
                DeviceArray delta = ws.get("attn.delta", (long) b * nd * t);
                FlashAttention.backward(gpu, b * nd, t, hd, denseQ, denseK, denseV, denseO, denseLse, dO, delta, gq, gk, gv);
            } else {
                DeviceArray gp = ws.get("attn.denseP", (long) b * nd * t * t);
                CausalAttention.backward(gpu, b * nd, t, hd, denseQ, denseK, denseV, denseP, dO, gp, gq, gk, gv);
            }
            // the forward's q|k|v buffer again (free now), as an operand of the two products below
            DeviceArray dqkv = ws.getOperand("attn.qkv", n * w);
            gpu.launch("qkv_merge", gpu.blocksFor(total), Gpu.BLOCK, 0, gq, gk, gv, null, ropeCos, ropeSin, dqkv, dqkv.rounded(), 0, b,
                    nd, t, hd, nrot);
            gpu.gemm(true, false, w, h, (int) n, 1, dqkv, w, u, h, 0, g.get(AttentionParams.DENSE_QKV), h);
            gpu.gemm(false, false, (int) n, h, w, 1, dqkv, w, p.get(AttentionParams.DENSE_QKV), h, 1, dx, h);
        }
        if (nm > 0) {
            int rows = b * k;
            long sel = (long) nm * rows;
            DeviceArray dy = ws.getOperand("attn.sy", sel * h);
            gpu.launch("gather_rows", (int) sel, 128, 0, dOut, null, sIdx, dy, dy.rounded(), b, t, nm, k, h);
            gpu.gemm(true, false, hd, h, rows, 1, sa, 0, hd, (long) rows * hd, dy, 0, h, (long) rows * h, 0,
                    g.get(AttentionParams.MOSA_O), 0, h, (long) hd * h, nm);
            DeviceArray da = ws.get("attn.sda", sel * hd);
            gpu.gemm(false, true, rows, hd, h, 1, dy, 0, h, (long) rows * h, p.get(AttentionParams.MOSA_O), 0, h,
                    (long) hd * h, 0, da, 0, hd, (long) rows * hd, nm);
            // an operand of the router's two products; zero (and so its twin) where no head selected the token
            DeviceArray dlogits = ws.getOperand("attn.dlogits", n * nm);
            dlogits.zero();
            DeviceArray dO = ws.get("attn.sdo", sel * hd);
            gpu.launch("scale_rows_bwd", CausalAttention.warpBlocks(sel), Gpu.BLOCK, 0, da, so, sR, sIdx, dO, dlogits,
                    dlogits.rounded(), b, t, nm, k, hd);
            DeviceArray gq = ws.get("attn.sdq", sel * hd), gk = ws.get("attn.sdk", sel * hd), gv = ws.get("attn.sdv", sel * hd);
            if (fused) {
                FlashAttention.backward(gpu, nm * b, k, hd, sq, sk, sv, so, sLse, dO, ws.get("attn.sdelta", sel), gq, gk, gv);
            } else {
                CausalAttention.backward(gpu, nm * b, k, hd, sq, sk, sv, sp, dO, ws.get("attn.sdp", sel * k), gq, gk, gv);
            }
            DeviceArray dqkv = ws.getOperand("attn.sqkv", sel * 3 * hd);
            gpu.launch("qkv_merge", gpu.blocksFor(sel * hd), Gpu.BLOCK, 0, gq, gk, gv, sIdx, ropeCos, ropeSin, dqkv, dqkv.rounded(), 1, b,
                    nm, k, hd, nrot);
            gpu.gemm(true, false, h, 3 * hd, rows, 1, sXs, 0, h, (long) rows * h, dqkv, 0, 3 * hd, (long) rows * 3 * hd, 0,
                    g.get(AttentionParams.MOSA_QKV), 0, 3 * hd, (long) h * 3 * hd, nm);
            // dy is free again: reuse it for d(Xs)
            gpu.gemm(false, true, rows, h, 3 * hd, 1, dqkv, 0, 3 * hd, (long) rows * 3 * hd, p.get(AttentionParams.MOSA_QKV), 0,
                    3 * hd, (long) h * 3 * hd, 0, dy, 0, h, (long) rows * h, nm);
            gpu.launch("scatter_add_rows", (int) sel, 128, 0, dy, sIdx, dx, b, t, nm, k, h);
            gpu.gemm(true, false, nm, h, (int) n, 1, dlogits, nm, u, h, 0, g.get(AttentionParams.ROUTER), h);
            gpu.gemm(false, false, (int) n, h, nm, 1, dlogits, nm, p.get(AttentionParams.ROUTER), h, 1, dx, h);
        }
    }

    void free() {
        for (DeviceArray a : new DeviceArray[]{ropeCos, ropeSin, denseQ, denseK, denseV, denseP, denseO, denseLse, denseRows, sIdx, sR, sXs,
                sq, sk, sv, sp, sLse, so, sa}) {
            if (a != null) a.free();
        }
    }
}
