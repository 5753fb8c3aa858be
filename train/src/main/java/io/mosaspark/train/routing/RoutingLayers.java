package io.mosaspark.train.routing;

import io.mosaspark.model.attention.HybridAttentionLayerImpl;
import io.mosaspark.model.lm.LmNames;
import io.mosaspark.model.lm.NextTokenBatch;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/**
 * The attention layers of one network, read after a forward pass: what each sparse head selected and
 * the router's logits. Reading changes nothing the network computes.
 */
public final class RoutingLayers {
    private final RoutingShape shape;
    private final List<HybridAttentionLayerImpl> layers;

    private RoutingLayers(RoutingShape shape, List<HybridAttentionLayerImpl> layers) {
        this.shape = shape;
        this.layers = layers;
    }

    /** The hybrid attention layers of {@code g}, a network of {@code shape}'s model, in block order. */
    public static RoutingLayers of(ComputationGraph g, RoutingShape shape) {
        List<HybridAttentionLayerImpl> found = new ArrayList<>();
        for (int i = 0; i < shape.layers(); i++) {
            Layer l = g.getLayer(LmNames.attention(i));
            if (!(l instanceof HybridAttentionLayerImpl h)) {
                throw new IllegalStateException("vertex " + LmNames.attention(i) + " is " + (l == null ? "missing"
                        : l.getClass().getSimpleName()) + ", not a hybrid attention layer");
            }
            found.add(h);
        }
        return new RoutingLayers(shape, List.copyOf(found));
    }

    /** Whether the next forward passes keep every token's router logits (needed by {@link #observe}). */
    public void keepRouterLogits(boolean keep) {
        for (HybridAttentionLayerImpl l : layers) l.keepRouterLogits(keep);
    }

    /** Adds the last forward pass (on {@code inputs}, B windows of ≥ T tokens) to {@code stats}. */
    public void observe(RoutingStats stats, int[][] inputs) {
        for (int i = 0; i < layers.size(); i++) {
            INDArray logits = layers.get(i).lastRouterLogits();
            stats.addLayer(i, selected(i), logits == null ? null : logits.reshape(logits.length()).toDoubleVector(), inputs);
        }
        stats.addStep(inputs.length);
    }

    /**
     * What the heads select on {@code windows} (T + 1 tokens each) with the network's current
     * parameters, in an inference pass: [layer][B][Hm][k] positions, flat.
     */
    public int[] selectionsOn(ComputationGraph g, int[][] windows, DataType type) {
        g.score(NextTokenBatch.of(Nd4j.createFromArray(windows), type), false);
        int per = windows.length * shape.heads() * shape.selected();
        int[] all = new int[layers.size() * per];
        for (int i = 0; i < layers.size(); i++) System.arraycopy(selected(i), 0, all, i * per, per);
        return all;
    }

    /** Layer {@code i}'s last selection, [B, Hm, k] flat. */
    private int[] selected(int i) {
        INDArray s = layers.get(i).lastSelectedIndices();
        if (s == null) throw new IllegalStateException(LmNames.attention(i) + " has selected nothing yet");
        return s.reshape(s.length()).toIntVector();
    }
}
