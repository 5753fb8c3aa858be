package io.mosaspark.model.attention;

import org.apache.commons.math3.util.KthSelector;
import org.apache.commons.math3.util.MedianOf3PivotingStrategy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Which k tokens each sparse head attends to, per sequence: expert-choice top-k over the router
 * logits (MoSA) or the fixed stride 0, ρ, 2ρ, … (the paper's baseline). Rows are laid out head-major,
 * [Hm, B, k], positions ascending within a row.
 *
 * <p>Top-k is done here in Java rather than with libnd4j's {@code top_k}: in 1.0.0-M2.1 that op
 * skips any value equal to one already selected (so with ties it returns a wrong set) and in sorted
 * mode maps values back to the last equal position (duplicate indices); see
 * {@code TokenSelectionTest#nd4jTopKMishandlesTies}. Ties are common in practice (a repeated token
 * has identical first-layer router logits). The cost is O(T) per (head, sequence), next
 * to the router's O(T·h).
 *
 * @param positions    [Hm·B, k] (LONG) selected positions, ascending per row
 * @param flatRows     [Hm·B·k] (LONG) b·T + position: the rows of X viewed as [B·T, h]
 * @param routerLogits [Hm·B, k] router logits of the selected tokens; {@code null} for fixed stride
 */
record TokenSelection(INDArray positions, INDArray flatRows, INDArray routerLogits) {

    private static final KthSelector SELECTOR = new KthSelector(new MedianOf3PivotingStrategy());
    /** Logits copied to the Java heap per chunk (8 MB of doubles). */
    static final int CHUNK_VALUES = 1 << 20;

    /**
     * Expert choice: for each head e and sequence b the k positions with the largest logit
     * (ties: lower position first); with {@code includeFirst} position 0 plus the best k−1 of 1 … T−1.
     *
     * @param logits [B·T, Hm] router logits X·W_rᵀ
     */
    static TokenSelection expertChoice(INDArray logits, int batch, int seqLen, int heads, int k, boolean includeFirst) {
        INDArray byRow = logits.reshape(batch, seqLen, heads).permute(2, 0, 1).dup('c')
                .reshape((long) heads * batch, seqLen);                                  // [Hm·B, T]
        int rows = heads * batch;
        long[] positions = new long[rows * k];
        double[] selected = new double[rows * k];
        int first = includeFirst ? 1 : 0;
        double[] scratch = new double[seqLen - first];
        // Rows are copied to the Java heap a chunk at a time: all of them at once would be B·Hm·T
        // doubles (265 MB for B = 64, Hm = 505, T = 1024).
        int chunkRows = Math.max(1, CHUNK_VALUES / seqLen);
        for (int chunkStart = 0; chunkStart < rows; chunkStart += chunkRows) {
            int chunkEnd = Math.min(rows, chunkStart + chunkRows);
            double[] values = byRow.get(NDArrayIndex.interval(chunkStart, chunkEnd), NDArrayIndex.all())
                    .dup('c').data().asDouble();
            for (int row = chunkStart; row < chunkEnd; row++) {
                int from = (row - chunkStart) * seqLen;
                if (includeFirst) positions[row * k] = 0;
                if (k > first) {
                    topKAscending(values, from + first, seqLen - first, k - first, scratch, positions, row * k + first, first);
                }
                for (int i = 0; i < k; i++) selected[row * k + i] = values[from + (int) positions[row * k + i]];
            }
        }
        INDArray logitsOut = Nd4j.createFromArray(selected).reshape(rows, k).castTo(logits.dataType());
        return of(positions, batch, seqLen, heads, k, logitsOut);
    }

    /**
     * The fixed baseline: positions 0, s, 2s, … (k of them) for every head and sequence, s = ρ. Only
     * when k was clamped up to 2 on an input no longer than ρ (T ≤ ρ) would position ρ fall outside
     * the sequence; the stride then shrinks to T − 1, so the head keeps the first and the last token
     * (k tokens, as the rule for k says, and a T = 1 input keeps position 0 alone).
     */
    static TokenSelection fixedStride(int batch, int seqLen, int heads, int k, int stride) {
        int s = k > 1 ? Math.min(stride, (seqLen - 1) / (k - 1)) : stride;
        long[] positions = new long[heads * batch * k];
        for (int i = 0; i < positions.length; i++) positions[i] = (long) (i % k) * s;
        return of(positions, batch, seqLen, heads, k, null);
    }

    private static TokenSelection of(long[] positions, int batch, int seqLen, int heads, int k, INDArray logits) {
        long[] flat = new long[positions.length];
        for (int i = 0; i < positions.length; i++) {
            int b = (i / k) % batch;                                 // row = e·B + b
            flat[i] = (long) b * seqLen + positions[i];
        }
        return new TokenSelection(Nd4j.createFromArray(positions).reshape((long) heads * batch, k),
                Nd4j.createFromArray(flat), logits);
    }

    /**
     * Writes the positions (relative to {@code offset}, plus {@code shift}) of the {@code k} largest of
     * values[offset, offset+n) into out[outFrom, outFrom+k) in ascending order; ties go to the lower
     * position. O(n): commons-math's quickselect finds the k-th largest value, two scans do the rest.
     */
    static void topKAscending(double[] values, int offset, int n, int k, double[] scratch, long[] out, int outFrom,
                              int shift) {
        for (int i = offset; i < offset + n; i++) {
            if (Double.isNaN(values[i])) {
                throw new IllegalStateException("router logit is NaN at position " + (i - offset + shift)
                        + ": training has diverged (lower the learning rate or check the input); cannot select tokens");
            }
        }
        double[] work = scratch.length == n ? scratch : new double[n];
        System.arraycopy(values, offset, work, 0, n);
        double threshold = SELECTOR.select(work, null, n - k);                          // k-th largest
        int greater = 0;
        for (int i = offset; i < offset + n; i++) if (values[i] > threshold) greater++;
        int tiesWanted = k - greater;
        int w = outFrom;
        for (int i = 0; i < n; i++) {
            double v = values[offset + i];
            if (v > threshold || (v == threshold && tiesWanted-- > 0)) out[w++] = i + shift;
        }
    }
}
