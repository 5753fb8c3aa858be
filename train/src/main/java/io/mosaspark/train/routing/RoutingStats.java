package io.mosaspark.train.routing;

import org.apache.datasketches.frequencies.LongsSketch;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;

/**
 * What the sparse heads chose over some training steps, as fixed-size counters that add up: the same
 * size whatever the steps, tokens or workers summed, so a worker's statistics travel in its
 * {@code RoundSum} and meet the others' in the ordered aggregation tree (no per-token lists reach
 * the driver). Index {@code lh = layer · Hm + head}.
 *
 * <p>Most-selected tokens: a frequent-items sketch per head (Apache DataSketches' {@link LongsSketch},
 * Misra-Gries with a reverse purge), not exact counts over the vocabulary: vocabularies run from 256
 * (cpu-demo) to 200k (o200k_base), and exact counts at 200k per head would outweigh the parameters of a
 * small model. The sketch keeps about {@code 0.75 · token_sketch_size} ids per head and reports each
 * count with a guaranteed lower and upper bound. Counters only ever add, and the sketch's update and
 * merge are deterministic, so equal inputs merged in equal order give equal statistics.
 */
public final class RoutingStats implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final RoutingShape shape;
    long steps;                        // training steps observed (per worker, summed)
    double seconds;                    // workers' time spent reading the selections and the probe pass, summed;
                                       // not a statistic of the routing: left out of equals()
    long sequences;                    // sequences observed, B per step
    final long[] positions;            // [lh][positionBins]: selections by position bin
    final long[] first;                // [lh]: selections of position 0
    final long[] scoreSelected;        // [lh][scoreBins]: σ(logit) of the selected tokens
    final long[] scoreAll;             // [lh][scoreBins]: σ(logit) of every token
    final long[] coverage;             // [layer][Hm + 1]: tokens by how many heads selected them
    final double[] overlapSum;         // [layer]: Σ over sequences and head pairs of Jaccard(A, B)
    final long[] overlapPairs;         // [layer]: the pairs summed
    private transient LongsSketch[] tokens;   // [lh]; serialised as DataSketches' string form

    public RoutingStats(RoutingShape shape) {
        this.shape = shape;
        int lh = shape.layerHeads();
        positions = new long[lh * shape.positionBins()];
        first = new long[lh];
        scoreSelected = new long[lh * shape.scoreBins()];
        scoreAll = new long[lh * shape.scoreBins()];
        coverage = new long[shape.layers() * (shape.heads() + 1)];
        overlapSum = new double[shape.layers()];
        overlapPairs = new long[shape.layers()];
        tokens = new LongsSketch[lh];
        for (int i = 0; i < lh; i++) tokens[i] = new LongsSketch(shape.tokenSketchSize());
    }

    public RoutingShape shape() {
        return shape;
    }

    public long steps() {
        return steps;
    }

    public long sequences() {
        return sequences;
    }

    /**
     * Adds one forward pass of one layer.
     *
     * @param layer     the layer's index among the sparse layers
     * @param selected  [B, Hm, k] selected positions, ascending per head (row-major)
     * @param logits    [B·T, Hm] every token's router logit (row-major), or null (fixed stride: no router)
     * @param inputs    the batch's input token ids, [B][≥ T]
     */
    public void addLayer(int layer, int[] selected, double[] logits, int[][] inputs) {
        int hm = shape.heads(), k = shape.selected(), t = shape.seqLen(), b = inputs.length;
        if (selected.length != (long) b * hm * k) {
            throw new IllegalArgumentException("layer " + layer + ": " + selected.length + " selected positions, expected B·Hm·k = "
                    + b + "·" + hm + "·" + k);
        }
        if (logits != null && logits.length != (long) b * t * hm) {
            throw new IllegalArgumentException("layer " + layer + ": " + logits.length + " router logits, expected B·T·Hm = "
                    + b + "·" + t + "·" + hm);
        }
        int[] heads = new int[t];
        for (int s = 0; s < b; s++) {
            Arrays.fill(heads, 0);
            for (int e = 0; e < hm; e++) {
                int lh = layer * hm + e, row = (s * hm + e) * k;
                for (int i = 0; i < k; i++) {
                    int p = selected[row + i];
                    heads[p]++;
                    positions[lh * shape.positionBins() + shape.positionBin(p)]++;
                    if (p == 0) first[lh]++;
                    tokens[lh].update(inputs[s][p]);
                    if (logits != null) scoreSelected[lh * shape.scoreBins() + shape.scoreBin(sigmoid(logits[(s * t + p) * hm + e]))]++;
                }
                if (logits != null) {
                    for (int p = 0; p < t; p++) {
                        scoreAll[lh * shape.scoreBins() + shape.scoreBin(sigmoid(logits[(s * t + p) * hm + e]))]++;
                    }
                }
                for (int f = e + 1; f < hm; f++) {
                    overlapSum[layer] += Jaccard.ofSorted(selected, row, selected, (s * hm + f) * k, k);
                    overlapPairs[layer]++;
                }
            }
            for (int p = 0; p < t; p++) coverage[layer * (hm + 1) + heads[p]]++;
        }
    }

    /** Σ workers' seconds spent on routing statistics (reading the layers, the probe pass). */
    public double seconds() {
        return seconds;
    }

    public void addSeconds(double s) {
        seconds += s;
    }

    /** Counts one observed step of B sequences (after its layers were added). */
    public void addStep(int batch) {
        steps++;
        sequences += batch;
    }

    /** a + b: adds b into a (which it returns); b is unchanged. Merging is in the caller's order. */
    public static RoutingStats merge(RoutingStats a, RoutingStats b) {
        if (a == null) return b;
        if (b == null) return a;
        if (!a.shape.equals(b.shape)) {
            throw new IllegalStateException("routing statistics of different shapes: " + a.shape + " vs " + b.shape);
        }
        a.steps += b.steps;
        a.sequences += b.sequences;
        a.seconds += b.seconds;
        add(a.positions, b.positions);
        add(a.first, b.first);
        add(a.scoreSelected, b.scoreSelected);
        add(a.scoreAll, b.scoreAll);
        add(a.coverage, b.coverage);
        for (int i = 0; i < a.overlapSum.length; i++) a.overlapSum[i] += b.overlapSum[i];
        add(a.overlapPairs, b.overlapPairs);
        for (int i = 0; i < a.tokens.length; i++) a.tokens[i].merge(b.tokens[i]);
        return a;
    }

    /** The frequent-token sketch of layer {@code layer}, head {@code head}. */
    LongsSketch tokens(int layer, int head) {
        return tokens[layer * shape.heads() + head];
    }

    private static void add(long[] into, long[] from) {
        for (int i = 0; i < into.length; i++) into[i] += from[i];
    }

    static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RoutingStats r)) return false;
        if (!shape.equals(r.shape) || steps != r.steps || sequences != r.sequences || !Arrays.equals(positions, r.positions)
                || !Arrays.equals(first, r.first) || !Arrays.equals(scoreSelected, r.scoreSelected)
                || !Arrays.equals(scoreAll, r.scoreAll) || !Arrays.equals(coverage, r.coverage)
                || !Arrays.equals(overlapSum, r.overlapSum) || !Arrays.equals(overlapPairs, r.overlapPairs)) {
            return false;
        }
        for (int i = 0; i < tokens.length; i++) {
            if (!tokens[i].serializeToString().equals(r.tokens[i].serializeToString())) return false;
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(positions) * 31 + Long.hashCode(steps);
    }

    @Serial
    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        for (LongsSketch s : tokens) out.writeUTF(s.serializeToString());
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        tokens = new LongsSketch[shape.layerHeads()];
        for (int i = 0; i < tokens.length; i++) tokens[i] = LongsSketch.getInstance(in.readUTF());
    }
}
