package io.mosaspark.model.attention;

import io.mosaspark.model.nn.BatchedGemm;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Causal softmax attention over N independent rows of L tokens each, shared by dense heads
 * (N = B·Hd, L = T) and sparse heads (N = Hm·B, L = k). Queries and keys are rotated by
 * {@link Rope} first. Rows of sparse heads hold their tokens in ascending original position, so the
 * mask of docs/model.md, "I_i ≥ I_j", is the ordinary lower triangle here.
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
        INDArray scores = scratch == null ? Nd4j.createUninitialized(type, n, length, length)  // [N, L, L]
                : scratch.get("scores", type, n, length, length);
        // CausalSoftmax reads only the lower triangle: the blocks above it need not be computed
        if (CausalSoftmax.applies(scores)) CausalProducts.lowerInto(qs, kr, scores);
        else BatchedGemm.into(qs, false, kr, true, scores);
        INDArray probs = causalSoftmaxInPlace(scores, scratch);                          // [N, L, L], 0 above the diagonal
        INDArray out = CausalProducts.lowerTimes(probs, false, v);                              // [N, L, h′]
        return new Forward(out, new Cache(rope, qs, kr, v, probs, out, scale, scratch));
    }

    /** softmax(scores + causal mask) over the last axis, in place. */
    private static INDArray causalSoftmaxInPlace(INDArray scores, ScratchBuffers scratch) {
        if (CausalSoftmax.applies(scores)) {
            CausalSoftmax.forwardInPlace(scores);
            return scores;
        }
        long length = scores.size(1);
        DataType type = scores.dataType();
        long[] maskShape = {1, length, length};
        INDArray mask = scratch == null ? causalMask(length, type)
                : scratch.getOrFill("mask", type, maskShape, m -> m.assign(causalMask(length, type)));
        scores.addi(mask);                                                              // + [1, L, L]
        if (scratch == null) Release.all(mask);
        return Nd4j.exec(new SoftMax(scores, scores, -1))[0];
    }

    /** Values of dP computed at a time in {@link #backward}: 4 MB of floats. */
    static final long D_PROBS_CHUNK_VALUES = 1 << 20;

    /**
     * dOut [N, L, h′] → gradients of q, k, v. Consumes the cache: the probabilities are overwritten
     * with the score gradient, so there is one backward per forward.
     */
    static Backward backward(Cache c, INDArray dOut) {
        return backward(c, dOut, D_PROBS_CHUNK_VALUES);
    }

    static Backward backward(Cache c, INDArray dOut, long chunkValues) {
        INDArray dv = CausalProducts.lowerTimes(c.probs(), true, dOut);              // [N, L, h′]
        // softmax backward: dS = P ⊙ (dP − Σ_j dP⊙P); masked entries have P = 0 and get nothing.
        // Σ_j dP_ij·P_ij = Σ_j (dO_i·v_j)·P_ij = dO_i·O_i: an [N, L, h′] product instead of an [N, L, L] one.
        INDArray rowDot = dOut.mul(c.out()).sum(true, 2);                                // [N, L, 1]
        INDArray dScores = scoreGradientInPlace(c.probs(), dOut, c.v(), rowDot, chunkValues); // [N, L, L], 0 above the diagonal
        INDArray dqs = CausalProducts.lowerTimes(dScores, false, c.k());                        // [N, L, h′]
        INDArray dkr = CausalProducts.lowerTimes(dScores, true, c.q());              // [N, L, h′]
        Release.all(rowDot);
        Backward b = new Backward(c.rope().applyTransposed(dqs.muli(c.scale())), c.rope().applyTransposed(dkr), dv);
        Release.all(dqs, dkr);                                                          // the rotation made new arrays
        return b;
    }

    /**
     * probs ← probs ⊙ (dOut·vᵀ − rowDot), a few rows at a time through one small buffer. A whole
     * [N, L, L] dP would be a second O(L²) array per step: allocating one costs several times the
     * passes over it (fresh pages are faulted in and zeroed: 4 ms for 25 MB vs 0.8 ms to write it),
     * and keeping one per layer would hold it in every layer at once. Same values as the unchunked
     * product (each row's product is independent).
     */
    private static INDArray scoreGradientInPlace(INDArray probs, INDArray dOut, INDArray v, INDArray rowDot,
                                                 long chunkValues) {
        long n = probs.size(0), length = probs.size(1);
        long chunk = Math.max(1, Math.min(n, chunkValues / (length * length)));
        INDArray buffer = Nd4j.createUninitialized(probs.dataType(), chunk, length, length);  // [chunk, L, L]
        for (long from = 0; from < n; from += chunk) {
            long to = Math.min(n, from + chunk);
            INDArrayIndex rows = NDArrayIndex.interval(from, to);
            INDArray dP = to - from == chunk ? buffer
                    : buffer.get(NDArrayIndex.interval(0, to - from), NDArrayIndex.all(), NDArrayIndex.all());
            INDArray dOutRows = dOut.get(rows, NDArrayIndex.all(), NDArrayIndex.all());
            INDArray vRows = v.get(rows, NDArrayIndex.all(), NDArrayIndex.all());
            if (CausalSoftmax.applies(probs) && CausalSoftmax.applies(dP)) {
                CausalProducts.lowerInto(dOutRows, vRows, dP);                           // read on and below the diagonal only
                CausalSoftmax.backwardInPlace(probs, dP, rowDot, from);
            } else {
                BatchedGemm.into(dOutRows, false, vRows, true, dP);
                dP.subi(rowDot.get(rows, NDArrayIndex.all(), NDArrayIndex.all()));
                probs.get(rows, NDArrayIndex.all(), NDArrayIndex.all()).muli(dP);
            }
        }
        buffer.close();
        return probs;
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
