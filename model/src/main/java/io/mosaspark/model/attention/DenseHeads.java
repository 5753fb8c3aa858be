package io.mosaspark.model.attention;

import io.mosaspark.model.nn.Gemm;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Hd ordinary causal heads of a hybrid layer, all heads and sequences in one batched product
 * (docs/model.md, "Dense heads").
 */
final class DenseHeads {

    record Cache(INDArray x, INDArray qkv, INDArray concat, CausalAttention.Cache attention) implements AutoCloseable {
        // x: [B·T, h]; qkv: [3, B, Hd, T, h′] (the attention's v is a view of it); concat: [B, T, Hd, h′] head outputs

        @Override
        public void close() {
            Release.all(qkv, concat);
            attention.close();
        }
    }

    record Forward(INDArray output, Cache cache) {
        // output: [B·T, h]
    }

    record Gradients(INDArray dx, INDArray dQkv, INDArray dO) {
        // dx: [B·T, h]; dQkv: [3h′Hd, h]; dO: [h, h′Hd]
    }

    private DenseHeads() {
    }

    /** x: [B·T, h] → [B·T, h]. */
    static Forward forward(INDArray x, int batch, int seqLen, int heads, int headDim, INDArray wQkv, INDArray wO,
                           int rotatedDims, double ropeBase, ScratchBuffers scratch) {
        INDArray qkvRows = Gemm.product(x, false, wQkv, true);                                  // [B·T, 3h′Hd]
        // Reshapes of a new array are views, which Release leaves alone: keep the owners for the cache.
        INDArray qkvOwner = qkvRows.reshape(batch, seqLen, heads, 3, headDim)
                .permute(3, 0, 2, 1, 4).dup('c');                                               // [3, B, Hd, T, h′]
        INDArray qkv = qkvOwner.reshape(3, (long) batch * heads, seqLen, headDim);              // [3, B·Hd, T, h′]
        Release.all(qkvRows);
        Rope rope = Rope.sequential(seqLen, rotatedDims, ropeBase);
        CausalAttention.Forward att = CausalAttention.forward(qkv.slice(0), qkv.slice(1), qkv.slice(2), rope,
                scratch);
        INDArray concatOwner = att.output().reshape(batch, heads, seqLen, headDim)
                .permute(0, 2, 1, 3).dup('c');                                                  // [B, T, Hd, h′]
        INDArray concat = concatOwner.reshape((long) batch * seqLen, (long) heads * headDim); // [B·T, Hd·h′]
        INDArray out = Gemm.product(concat, false, wO, true);                                   // [B·T, h]
        return new Forward(out, new Cache(x, qkvOwner, concatOwner, att.cache()));
    }

    /** dOut: [B·T, h] → gradients of x and both weights. */
    static Gradients backward(Cache c, INDArray dOut, int batch, int seqLen, int heads, int headDim,
                              INDArray wQkv, INDArray wO) {
        INDArray concat = c.concat().reshape((long) batch * seqLen, (long) heads * headDim); // [B·T, Hd·h′]
        INDArray dO = Gemm.product(dOut, true, concat, false);                                  // [h, Hd·h′]
        INDArray dConcat = Gemm.product(dOut, false, wO, false);                                // [B·T, Hd·h′]
        INDArray dHeadsOwner = dConcat.reshape(batch, seqLen, heads, headDim)
                .permute(0, 2, 1, 3).dup('c');                                                  // [B, Hd, T, h′]
        Release.all(dConcat);
        CausalAttention.Backward g = CausalAttention.backward(c.attention(),
                dHeadsOwner.reshape((long) batch * heads, seqLen, headDim));                    // [B·Hd, T, h′]
        Release.all(dHeadsOwner);
        INDArray stacked = Nd4j.stack(0, g.dq(), g.dk(), g.dv());                               // [3, B·Hd, T, h′]
        Release.all(g.dq(), g.dk(), g.dv());
        INDArray dQkvOwner = stacked.reshape(3, batch, heads, seqLen, headDim)
                .permute(1, 3, 2, 0, 4).dup('c');                                               // [B, T, Hd, 3, h′]
        Release.all(stacked);
        INDArray dQkv = dQkvOwner.reshape((long) batch * seqLen, 3L * heads * headDim); // [B·T, 3h′Hd]
        INDArray dW = Gemm.product(dQkv, true, c.x(), false);                                   // [3h′Hd, h]
        INDArray dx = Gemm.product(dQkv, false, wQkv, false);                                   // [B·T, h]
        Release.all(dQkvOwner);
        return new Gradients(dx, dW, dO);
    }
}
