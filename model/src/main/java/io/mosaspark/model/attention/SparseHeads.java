package io.mosaspark.model.attention;

import io.mosaspark.model.nn.BatchedGemm;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The Hm sparse heads of a hybrid layer (docs/model.md, "MoSA heads"): one gather of the selected
 * tokens of every head and sequence, batched attention among them, rows scaled by router score,
 * one scatter-add back. Heads are the batch axis of every product, so tensors are head-major:
 * [Hm, B·k, ·]. Nothing here is O(T²); the only O(T) work is the router and the scatter target.
 */
final class SparseHeads {

    record Cache(TokenSelection selection, INDArray selected, INDArray scores, INDArray unscaled,
                 INDArray scaled, CausalAttention.Cache attention) implements AutoCloseable {
        // selected: [Hm, B·k, h] gathered X; scores: [Hm·B, k, 1] router score r (null: r ≡ 1);
        // unscaled: [Hm·B, k, h′] attention output A; scaled: [Hm, B·k, h′] A ⊙ r

        @Override
        public void close() {
            Release.all(selected, scores, unscaled, scaled);
            attention.close();
        }
    }

    record Forward(INDArray output, Cache cache) {
        // output: [B·T, h]
    }

    record Gradients(INDArray dx, INDArray dRouter, INDArray dQkv, INDArray dO) {
        // dx: [B·T, h]; dRouter: [Hm, h] (null: no router); dQkv: [Hm, h, 3h′]; dO: [Hm, h′, h]
    }

    private SparseHeads() {
    }

    /**
     * x: [B·T, h] with the tokens chosen by {@code sel} → [B·T, h], added into {@code into} (the dense
     * heads' output, modified in place) or into zeros when it is null.
     */
    static Forward forward(INDArray x, TokenSelection sel, int batch, int seqLen, int headDim, INDArray wQkv,
                           INDArray wO, int rotatedDims, double ropeBase, INDArray into) {
        long heads = wQkv.size(0), h = x.size(1), k = sel.positions().size(1);
        INDArray selected = gatherRows(x, sel.flatRows()).reshape(heads, batch * k, h);   // [Hm, B·k, h]
        INDArray qkv = BatchedGemm.product(selected, false, wQkv, false).reshape(heads * batch, k, 3L * headDim); // [Hm·B, k, 3h′]
        Rope rope = Rope.at(sel.positions(), rotatedDims, ropeBase);
        CausalAttention.Forward att = CausalAttention.forward(part(qkv, 0, headDim), part(qkv, 1, headDim),
                part(qkv, 2, headDim), rope, null);                                      // [k, k] is small
        INDArray unscaled = att.output();                                                 // [Hm·B, k, h′]
        INDArray scores = sel.routerLogits() == null ? null
                : Transforms.sigmoid(sel.routerLogits(), true).reshape(heads * batch, k, 1);
        INDArray scaled = (scores == null ? unscaled : unscaled.mul(scores))
                .reshape(heads, batch * k, headDim);                                      // [Hm, B·k, h′]
        INDArray y = BatchedGemm.product(scaled, false, wO, false).reshape(heads * batch * k, h);               // [Hm·B·k, h]
        INDArray out = scatterAddRows(y, sel.flatRows(), target(into, x.dataType(), (long) batch * seqLen, h));
        return new Forward(out, new Cache(sel, selected, scores, unscaled, scaled, att.cache()));
    }

    /**
     * dOut: [B·T, h] → gradients of x and the weights (router gradient only via the scores r); the
     * x gradient is added into {@code dxInto} (modified in place) or into zeros when it is null.
     */
    static Gradients backward(Cache c, INDArray dOut, int batch, int seqLen, int headDim, INDArray router,
                              INDArray wQkv, INDArray wO, INDArray dxInto) {
        long heads = wQkv.size(0), h = dOut.size(1), k = c.selection().positions().size(1);
        INDArray dY = gatherRows(dOut, c.selection().flatRows()).reshape(heads, batch * k, h); // [Hm, B·k, h]
        INDArray dO = BatchedGemm.product(c.scaled(), true, dY, false);                   // [Hm, h′, h]
        INDArray dScaled = BatchedGemm.product(dY, false, wO, true)
                .reshape(heads * batch, k, headDim);                                      // [Hm·B, k, h′]
        INDArray dUnscaled = c.scores() == null ? dScaled : dScaled.mul(c.scores());
        CausalAttention.Backward g = CausalAttention.backward(c.attention(), dUnscaled);
        INDArray dQkv = Nd4j.concat(2, g.dq(), g.dk(), g.dv())
                .reshape(heads, batch * k, 3L * headDim);                                 // [Hm, B·k, 3h′]
        INDArray dW = BatchedGemm.product(c.selected(), true, dQkv, false);               // [Hm, h, 3h′]
        INDArray dSelected = BatchedGemm.product(dQkv, false, wQkv, true);                // [Hm, B·k, h]
        INDArray dRouter = null;
        if (c.scores() != null) {
            // r = σ(logit): dlogit = (Σ dScaled ⊙ A) · r(1 − r)
            INDArray r = c.scores();
            INDArray dLogit = dScaled.mul(c.unscaled()).sum(true, 2)
                    .muli(r).muli(r.rsub(1.0));                                            // [Hm·B, k, 1]
            dRouter = BatchedGemm.product(dLogit.reshape(heads, 1, batch * k), false, c.selected(), false)
                    .reshape(heads, h);                                                   // [Hm, h]
            dSelected.addi(BatchedGemm.product(dLogit.reshape(heads, batch * k, 1), false, router.reshape(heads, 1, h), false));
        }
        INDArray dx = scatterAddRows(dSelected.reshape(heads * batch * k, h), c.selection().flatRows(),
                target(dxInto, dOut.dataType(), (long) batch * seqLen, h));                // [B·T, h]
        return new Gradients(dx, dRouter, dW, dO);
    }

    /** [N, 3h′] → the q (0), k (1) or v (2) part, [N, k, h′], contiguous. */
    private static INDArray part(INDArray qkv, int which, int headDim) {
        return qkv.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval((long) which * headDim, (long) (which + 1) * headDim))
                .dup('c');
    }

    /** rows[i] = source[index[i]]: [N, h]. */
    static INDArray gatherRows(INDArray source, INDArray index) {
        return RowGather.rows(source, index);
    }

    /** target[index[i]] += rows[i] in place, repeated indices accumulating. */
    static INDArray scatterAddRows(INDArray rows, INDArray index, INDArray target) {
        return RowScatter.addRows(rows, index, target);
    }

    private static INDArray target(INDArray into, DataType type, long rows, long width) {
        return into != null ? into : Nd4j.zeros(type, rows, width);
    }
}
