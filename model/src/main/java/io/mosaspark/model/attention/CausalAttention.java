package io.mosaspark.model.attention;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Causal softmax attention over N independent rows of L tokens each, shared by dense heads
 * (N = B·Hd, L = T) and sparse heads (N = Hm·B, L = k). Queries and keys are rotated by
 * {@link Rope} first. Rows of sparse heads hold their tokens in ascending original position, so the
 * spec's mask "I_i ≥ I_j" is the ordinary lower triangle here.
 */
final class CausalAttention {

    /** What backward needs from forward. */
    record Cache(Rope rope, INDArray q, INDArray k, INDArray v, INDArray probs, INDArray out, double scale,
                 ScratchBuffers scratch) implements AutoCloseable {
        // q: [N, L, h′] after RoPE and ·1/√h′; k: [N, L, h′] after RoPE; v, out: [N, L, h′]; probs: [N, L, L]
        // scratch: where probs and the mask live (null: fresh arrays)

        /** Frees the off-heap buffers now instead of at the next GC (probs is O(L²)); scratch keeps its own. */
        @Override
        public void close() {
            Release.all(q, k, v, out);
            if (scratch == null || !scratch.owns(probs)) Release.all(probs);
        }
    }

    record Forward(INDArray output, Cache cache) {
    }

    /** Gradients with respect to the un-rotated q, k and v, each [N, L, h′]. */
    record Backward(INDArray dq, INDArray dk, INDArray dv) {
    }

    private CausalAttention() {
    }

    /**
     * q, k, v: [N, L, h′] → softmax(q·kᵀ/√h′ + causal mask)·v: [N, L, h′]. The [N, L, L] tensors go
     * into {@code scratch} when given (then this pass invalidates the previous pass's cache).
     */
    static Forward forward(INDArray q, INDArray k, INDArray v, Rope rope, ScratchBuffers scratch) {
        long n = q.size(0), length = q.size(1);
        DataType type = q.dataType();
        double scale = 1.0 / Math.sqrt(q.size(2));
        // The 1/√h′ goes on q ([N, L, h′]) rather than on the [N, L, L] scores: one pass fewer over L².
        INDArray qs = rope.apply(q).muli(scale);                                       // [N, L, h′]
        INDArray kr = rope.apply(k);                                                    // [N, L, h′]
        INDArray scores = scratch == null ? Nd4j.matmul(qs, kr, false, true, false)     // [N, L, L]
                : Nd4j.matmul(qs, kr, scratch.get("scores", type, n, length, length), false, true, false);
        long[] maskShape = {1, length, length};
        INDArray mask = scratch == null ? causalMask(length, type)
                : scratch.getOrFill("mask", type, maskShape, m -> m.assign(causalMask(length, type)));
        scores.addi(mask);                                                              // + [1, L, L]
        if (scratch == null) Release.all(mask);
        INDArray probs = Nd4j.exec(new SoftMax(scores, scores, -1))[0];                  // [N, L, L], in place
        INDArray out = Nd4j.matmul(probs, v);                                            // [N, L, h′]
        return new Forward(out, new Cache(rope, qs, kr, v, probs, out, scale, scratch));
    }

    /** dOut [N, L, h′] → gradients of q, k, v. */
    static Backward backward(Cache c, INDArray dOut) {
        INDArray dv = Nd4j.matmul(c.probs(), dOut, true, false, false);                 // [N, L, h′]
        // Fresh, not scratch: a per-layer buffer would stay allocated in every layer at once, while
        // this one is needed by one layer at a time during backward and released right after.
        INDArray dProbs = Nd4j.matmul(dOut, c.v(), false, true, false);                  // [N, L, L]
        // softmax backward: dS = P ⊙ (dP − Σ_j dP⊙P); masked entries have P = 0 and get nothing.
        // Σ_j dP_ij·P_ij = Σ_j (dO_i·v_j)·P_ij = dO_i·O_i: an [N, L, h′] product instead of an [N, L, L] one.
        INDArray rowDot = dOut.mul(c.out()).sum(true, 2);                                // [N, L, 1]
        INDArray dScores = dProbs.subi(rowDot).muli(c.probs());                          // [N, L, L], in place
        INDArray dqs = Nd4j.matmul(dScores, c.k());                                      // [N, L, h′]
        INDArray dkr = Nd4j.matmul(dScores, c.q(), true, false, false);                  // [N, L, h′]
        Release.all(dScores, rowDot);
        return new Backward(c.rope().applyTransposed(dqs.muli(c.scale())), c.rope().applyTransposed(dkr), dv);
    }

    /** [1, L, L]: 0 on and below the diagonal, −∞ above (token i sees token j iff j ≤ i). */
    private static INDArray causalMask(long length, DataType type) {
        // Built from index arithmetic: Nd4j.triu crashes the JVM on DOUBLE arrays in 1.0.0-M2.1
        // (libnd4j fillAsTriangular<double>).
        INDArray i = Nd4j.arange(0, length).castTo(type).reshape(length, 1);
        INDArray j = Nd4j.arange(0, length).castTo(type).reshape(1, length);
        INDArray above = Transforms.step(j.sub(i), false);                               // [L, L]: 1 where j > i
        return Transforms.log(above.rsubi(1.0), false).reshape(1, length, length);      // log 1 = 0, log 0 = −∞
    }
}
