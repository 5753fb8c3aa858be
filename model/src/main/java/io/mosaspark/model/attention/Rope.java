package io.mosaspark.model.attention;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Partial rotary position embedding (mosa-spec.md, "RoPE"): the first n_rot dims of a query or key
 * are rotated by θ_j = p · base^(−2j / n_rot); the other dims pass unchanged. Tables are built per
 * row so that sparse heads can use each token's original position.
 *
 * @param cos [N or 1, L, n_rot/2] cos θ for each row's positions (broadcast over N when 1)
 * @param sin same shape, sin θ
 */
record Rope(int rotatedDims, INDArray cos, INDArray sin) {

    /** Tables for {@code positions} [N, L] (token positions as numbers, exact below 2^53). */
    static Rope at(INDArray positions, int rotatedDims, double base, DataType type) {
        if (rotatedDims == 0) return new Rope(0, null, null);
        int half = rotatedDims / 2;
        double[] invFreq = new double[half];
        for (int j = 0; j < half; j++) invFreq[j] = Math.pow(base, -2.0 * j / rotatedDims);
        long n = positions.size(0), l = positions.size(1);
        INDArray pos = positions.castTo(DataType.DOUBLE).reshape(n * l, 1);                 // [N·L, 1]
        INDArray theta = pos.mmul(Nd4j.createFromArray(invFreq).reshape(1, half));         // [N·L, half]
        // Angles and their cos/sin in double even for float32 models: p · inv_freq reaches ~T radians.
        INDArray cos = Transforms.cos(theta, true).castTo(type).reshape(n, l, half);
        INDArray sin = Transforms.sin(theta, true).castTo(type).reshape(n, l, half);
        return new Rope(rotatedDims, cos, sin);
    }

    /** Positions 0 … L−1, shared by every row (dense heads). */
    static Rope sequential(long length, int rotatedDims, double base, DataType type) {
        INDArray positions = Nd4j.arange(0, length).castTo(DataType.DOUBLE).reshape(1, length);
        return at(positions, rotatedDims, base, type);
    }

    /** x [N, L, h′] rotated forward; a new array. */
    INDArray apply(INDArray x) {
        return rotate(x, 1);
    }

    /** The transpose of {@link #apply}: rotates a gradient back by −θ; a new array. */
    INDArray applyTransposed(INDArray grad) {
        return rotate(grad, -1);
    }

    private INDArray rotate(INDArray x, int direction) {
        INDArray out = x.dup('c');
        if (rotatedDims == 0) return out;
        int half = rotatedDims / 2;
        INDArray x1 = x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, half));
        INDArray x2 = x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(half, rotatedDims));
        INDArray o1 = out.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, half));
        INDArray o2 = out.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(half, rotatedDims));
        // (x1·cos − x2·sin, x2·cos + x1·sin) for direction +1, sin negated for −1; written into out's halves
        // (which start as copies of x1 and x2) with one temporary instead of four.
        INDArray t = x2.mul(sin);                                                       // [N, L, n_rot/2]
        if (direction > 0) o1.muli(cos).subi(t); else o1.muli(cos).addi(t);
        x1.mul(sin, t);
        if (direction > 0) o2.muli(cos).addi(t); else o2.muli(cos).subi(t);
        t.close();
        return out;
    }
}
