package io.mosaspark.model.attention;

import io.mosaspark.model.nn.BatchedGemm;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The batched products of causal attention over [N, L, L] matrices that are lower triangular (the
 * probabilities and their score gradient: 0 above the diagonal) or of which only the lower triangle is
 * read (the scores and dP, which {@link CausalSoftmax} reads only there), computed band by band so that
 * the blocks right of each band's diagonal block are skipped: with {@link #BANDS} = 2, 3/4 of the
 * full products' arithmetic. At cpu-demo's size these products were a fifth of a training step.
 *
 * <p>The values of the full products: P·x and Pᵀ·x only leave out terms that are products with an exact 0
 * (entries above the diagonal) and come out bitwise the same. x·yᵀ keeps every dot product whole, but
 * OpenBLAS sums the dots of a partial tile at a block's edge in another order, so odd band heights can
 * differ in the last bit; at the model's shapes (bands of 64 rows at T = 128, 8 for MoSA heads of
 * k = 16) they are bitwise the same too ({@code CausalProductsTest}).
 */
final class CausalProducts {

    /**
     * Row bands per matrix. More bands skip more (5/8 of the arithmetic at 4) but make more and smaller
     * BLAS calls; at L = 128 and h′ = 16, 2 was the faster.
     */
    static final int BANDS = 2;

    private CausalProducts() {
    }

    /** Where band r starts (r = 0…BANDS; the last is L). */
    private static long edge(int r, long length) {
        return r * length / BANDS;
    }

    /**
     * out[n] ← a[n]·b[n]ᵀ on and below the diagonal blocks: a, b [N, L, d]; out [N, L, L], whose entries
     * right of each band's diagonal block keep what they held.
     */
    static INDArray lowerInto(INDArray a, INDArray b, INDArray out) {
        long length = out.size(1);
        for (int r = 0; r < BANDS; r++) {
            long from = edge(r, length), to = edge(r + 1, length);
            if (from == to) continue;
            BatchedGemm.into(rows(a, from, to), false, rows(b, 0, to), true, block(out, from, to, 0, to));
        }
        return out;
    }

    /**
     * lower[n]·x[n], or lower[n]ᵀ·x[n] if {@code transposed}, for lower triangular lower [N, L, L] and
     * x [N, L, d]: a new [N, L, d].
     */
    static INDArray lowerTimes(INDArray lower, boolean transposed, INDArray x) {
        long length = lower.size(1);
        INDArray out = Nd4j.createUninitialized(x.dataType(), x.size(0), length, x.size(2));
        for (int r = 0; r < BANDS; r++) {
            long from = edge(r, length), to = edge(r + 1, length);
            if (from == to) continue;
            if (transposed) {
                // rows from…to of lowerᵀ are columns from…to of lower, 0 in its rows above from
                BatchedGemm.into(block(lower, from, length, from, to), true, rows(x, from, length), false, rows(out, from, to));
            } else {
                BatchedGemm.into(block(lower, from, to, 0, to), false, rows(x, 0, to), false, rows(out, from, to));
            }
        }
        return out;
    }

    private static INDArray rows(INDArray a, long from, long to) {
        return a.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to), NDArrayIndex.all());
    }

    private static INDArray block(INDArray a, long rowFrom, long rowTo, long colFrom, long colTo) {
        return a.get(NDArrayIndex.all(), NDArrayIndex.interval(rowFrom, rowTo), NDArrayIndex.interval(colFrom, colTo));
    }
}
