package io.mosaspark.model.attention;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Hd ordinary causal heads of a hybrid layer, all heads and sequences in one batched product
 * (mosa-spec.md, "Dense heads").
 */
final class DenseHeads {

    record Cache(INDArray x, INDArray concat, CausalAttention.Cache attention) implements AutoCloseable {
        // x: [B·T, h]; concat: [B·T, Hd·h′] head outputs, head-major

        @Override
        public void close() {
            Release.all(concat);
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
        INDArray qkv = x.mmul(wQkv.transpose())                                         // [B·T, 3h′Hd]
                .reshape(batch, seqLen, heads, 3, headDim)
                .permute(3, 0, 2, 1, 4).dup('c')                                        // [3, B, Hd, T, h′]
                .reshape(3, (long) batch * heads, seqLen, headDim);                     // [3, B·Hd, T, h′]
        Rope rope = Rope.sequential(seqLen, rotatedDims, ropeBase, x.dataType());
        CausalAttention.Forward att = CausalAttention.forward(qkv.slice(0), qkv.slice(1), qkv.slice(2), rope,
                scratch);
        INDArray concat = att.output().reshape(batch, heads, seqLen, headDim)
                .permute(0, 2, 1, 3).dup('c')                                           // [B, T, Hd, h′]
                .reshape((long) batch * seqLen, (long) heads * headDim);               // [B·T, Hd·h′]
        INDArray out = concat.mmul(wO.transpose());                                     // [B·T, h]
        return new Forward(out, new Cache(x, concat, att.cache()));
    }

    /** dOut: [B·T, h] → gradients of x and both weights. */
    static Gradients backward(Cache c, INDArray dOut, int batch, int seqLen, int heads, int headDim,
                              INDArray wQkv, INDArray wO) {
        INDArray dO = dOut.transpose().mmul(c.concat());                               // [h, Hd·h′]
        INDArray dHeads = dOut.mmul(wO)                                                 // [B·T, Hd·h′]
                .reshape(batch, seqLen, heads, headDim)
                .permute(0, 2, 1, 3).dup('c')                                           // [B, Hd, T, h′]
                .reshape((long) batch * heads, seqLen, headDim);                        // [B·Hd, T, h′]
        CausalAttention.Backward g = CausalAttention.backward(c.attention(), dHeads);
        INDArray dQkv = Nd4j.stack(0, g.dq(), g.dk(), g.dv())                           // [3, B·Hd, T, h′]
                .reshape(3, batch, heads, seqLen, headDim)
                .permute(1, 3, 2, 0, 4).dup('c')                                        // [B, T, Hd, 3, h′]
                .reshape((long) batch * seqLen, 3L * heads * headDim);                 // [B·T, 3h′Hd]
        INDArray dW = dQkv.transpose().mmul(c.x());                                    // [3h′Hd, h]
        INDArray dx = dQkv.mmul(wQkv);                                                  // [B·T, h]
        return new Gradients(dx, dW, dO);
    }
}
