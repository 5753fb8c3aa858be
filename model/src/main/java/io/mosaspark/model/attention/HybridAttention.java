package io.mosaspark.model.attention;

import io.mosaspark.model.config.AttentionConfig;
import io.mosaspark.model.nn.Gemm;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * Forward and backward of one hybrid attention layer (Hd dense + Hm MoSA heads; docs/model.md) on
 * X [B, T, h], in the input's floating type. Pure ND4J: every head and sequence goes through the
 * same batched products; the only per-row Java work is choosing tokens ({@link TokenSelection}).
 * Stateless apart from the config: the caller keeps the {@link Cache} of a forward pass for its
 * backward pass.
 */
public final class HybridAttention {

    private final AttentionConfig cfg;

    public HybridAttention(AttentionConfig cfg) {
        if (cfg == null) throw new IllegalArgumentException("attention config is missing");
        this.cfg = cfg;
    }

    public AttentionConfig config() {
        return cfg;
    }

    /**
     * What backward needs from forward; also exposes the selection. Closing it frees its off-heap
     * buffers at once (the dense heads' attention probabilities are O(T²)); it is unusable afterwards.
     */
    public static final class Cache implements AutoCloseable {
        private final long[] inputShape;
        private final DenseHeads.Cache dense;
        private final SparseHeads.Cache sparse;
        private final INDArray routerLogits;

        private Cache(long[] inputShape, DenseHeads.Cache dense, SparseHeads.Cache sparse, INDArray routerLogits) {
            this.inputShape = inputShape;
            this.dense = dense;
            this.sparse = sparse;
            this.routerLogits = routerLogits;
        }

        /**
         * [B·T, Hm]: the router logits of every token (not only the selected ones), row b·T + t; {@code null}
         * without sparse heads or with fixed-stride selection. Lives in the pass's memory like the rest.
         */
        public INDArray routerLogits() {
            return routerLogits;
        }

        /** [B, Hm, k] (LONG): each sparse head's selected positions, ascending; {@code null} without sparse heads. */
        public INDArray selectedIndices() {
            if (sparse == null) return null;
            long b = inputShape[0];
            INDArray p = sparse.selection().positions();                                        // [Hm·B, k]
            return p.reshape(p.size(0) / b, b, p.size(1)).permute(1, 0, 2).dup('c');            // [B, Hm, k]
        }

        @Override
        public void close() {
            if (dense != null) dense.close();
            if (sparse != null) sparse.close();
        }
    }

    /** Output [B, T, h] and the cache for {@link #backward}. */
    public record Forward(INDArray output, Cache cache) {
    }

    /** dX [B, T, h] and the parameter gradients in canonical shapes. */
    public record Gradients(INDArray inputGrad, AttentionParams paramGrads) {
    }

    public Forward forward(INDArray x, AttentionParams p) {
        return forward(x, p, null);
    }

    /**
     * Like {@link #forward(INDArray, AttentionParams)}, keeping the dense heads' O(T²) tensors in
     * {@code scratch} across calls (this call invalidates the cache of the previous call that used it).
     */
    public Forward forward(INDArray x, AttentionParams p, ScratchBuffers scratch) {
        checkInput(x, p);
        int batch = (int) x.size(0), seqLen = (int) x.size(1);
        INDArray x2 = x.reshape('c', (long) batch * seqLen, cfg.dModel());                      // [B·T, h], read only
        INDArray out = null;
        DenseHeads.Cache denseCache = null;
        SparseHeads.Cache sparseCache = null;
        INDArray routerLogits = null;
        if (cfg.denseHeads() > 0) {
            DenseHeads.Forward d = DenseHeads.forward(x2, batch, seqLen, cfg.denseHeads(), cfg.headDim(),
                    p.denseQkv(), p.denseO(), cfg.rotatedDims(), cfg.ropeBase(), scratch);
            out = d.output();
            denseCache = d.cache();
        }
        if (cfg.mosaHeads() > 0) {
            routerLogits = cfg.selection() == AttentionConfig.Selection.FIXED_STRIDE ? null
                    : Gemm.product(x2, false, p.router(), true);                                 // [B·T, Hm]
            TokenSelection sel = select(routerLogits, batch, seqLen);
            SparseHeads.Forward s = SparseHeads.forward(x2, sel, batch, seqLen, cfg.headDim(), p.mosaQkv(),
                    p.mosaO(), cfg.rotatedDims(), cfg.ropeBase(), out);
            out = s.output();
            sparseCache = s.cache();
        }
        return new Forward(out.reshape(batch, seqLen, cfg.dModel()),
                new Cache(x.shape(), denseCache, sparseCache, routerLogits));
    }

    /**
     * Gradients of sum(output ⊙ dOut) for the forward pass that produced {@code cache}. Consumes the
     * cache (the attention probabilities are overwritten by their gradient): one backward per forward.
     */
    public Gradients backward(Cache cache, INDArray dOut, AttentionParams p) {
        if (!Arrays.equals(dOut.shape(), cache.inputShape)) {
            throw new IllegalArgumentException("output gradient has shape " + Arrays.toString(dOut.shape())
                    + " but the forward pass produced " + Arrays.toString(cache.inputShape));
        }
        int batch = (int) cache.inputShape[0], seqLen = (int) cache.inputShape[1];
        INDArray d2 = dOut.reshape('c', (long) batch * seqLen, cfg.dModel());                   // [B·T, h], read only
        INDArray dx = null;
        INDArray dDenseQkv = null, dDenseO = null, dRouter = null, dMosaQkv = null, dMosaO = null;
        if (cache.dense != null) {
            DenseHeads.Gradients g = DenseHeads.backward(cache.dense, d2, batch, seqLen, cfg.denseHeads(),
                    cfg.headDim(), p.denseQkv(), p.denseO());
            dx = g.dx();
            dDenseQkv = g.dQkv();
            dDenseO = g.dO();
        }
        if (cache.sparse != null) {
            SparseHeads.Gradients g = SparseHeads.backward(cache.sparse, d2, batch, seqLen, cfg.headDim(),
                    p.router(), p.mosaQkv(), p.mosaO(), dx);
            dx = g.dx();
            dRouter = g.dRouter();
            dMosaQkv = g.dQkv();
            dMosaO = g.dO();
        }
        return new Gradients(dx.reshape(batch, seqLen, cfg.dModel()),
                new AttentionParams(dDenseQkv, dDenseO, dRouter, dMosaQkv, dMosaO));
    }

    /** @param logits [B·T, Hm] router logits X·W_rᵀ, or null for fixed-stride selection */
    private TokenSelection select(INDArray logits, int batch, int seqLen) {
        int k = cfg.selectedTokens(seqLen);
        if (logits == null) return TokenSelection.fixedStride(batch, seqLen, cfg.mosaHeads(), k, cfg.sparsity());
        return TokenSelection.expertChoice(logits, batch, seqLen, cfg.mosaHeads(), k, cfg.includeFirst());
    }

    private void checkInput(INDArray x, AttentionParams p) {
        if (x == null) throw new IllegalArgumentException("attention input is missing");
        if (x.rank() != 3 || x.size(2) != cfg.dModel()) {
            throw new IllegalArgumentException("attention input has shape " + Arrays.toString(x.shape())
                    + ", expected [batch, seq_len, d_model = " + cfg.dModel() + "] (layout NWC)");
        }
        if (x.dataType() != DataType.FLOAT && x.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException("attention input is " + x.dataType() + "; use FLOAT or DOUBLE");
        }
        if (p == null) throw new IllegalArgumentException("attention parameters are missing");
        p.validate(cfg, x.dataType());
        cfg.selectedTokens(x.size(1));
    }
}
