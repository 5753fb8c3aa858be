package io.mosaspark.model.attention;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The dense heads' [B·Hd, T, T] score/probability tensor and [T, T] causal mask, kept from one step
 * to the next instead of being allocated afresh: a new off-heap array of that size costs about as
 * much as the softmax over it (fresh pages are faulted in and zeroed; ~20–35% of the attention core's
 * forward at T = 1024 in a micro-benchmark). The probabilities must live from forward to backward in
 * every layer anyway, so keeping their buffer adds no peak memory. What DL4J's workspaces do for
 * its own layers, for one layer instance.
 *
 * <p>Not thread-safe; one instance per layer instance. A forward pass that uses it invalidates the
 * {@link HybridAttention.Cache} of the previous pass that used it.
 */
public final class ScratchBuffers implements AutoCloseable {

    private final Map<String, INDArray> slots = new HashMap<>();

    /** The array of {@code slot}, reallocated (uninitialised) when type or shape changed. */
    INDArray get(String slot, DataType type, long... shape) {
        return getOrFill(slot, type, shape, null);
    }

    /** Like {@link #get}, running {@code fill} on a newly allocated array only. */
    INDArray getOrFill(String slot, DataType type, long[] shape, Consumer<INDArray> fill) {
        INDArray a = slots.get(slot);
        if (a != null && a.dataType() == type && Arrays.equals(a.shape(), shape)) return a;
        if (a != null) Release.all(a);
        // Kept across steps, so never in the (per-step) workspace the caller may be running in.
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            a = Nd4j.createUninitialized(type, shape);
            if (fill != null) fill.accept(a);
        }
        slots.put(slot, a);
        return a;
    }

    /** True if {@code a} is one of the buffers (callers must not release it). */
    boolean owns(INDArray a) {
        return a != null && slots.values().stream().anyMatch(b -> b == a);           // identity, not contents
    }

    /** Frees every buffer now. */
    @Override
    public void close() {
        slots.values().forEach(Release::all);
        slots.clear();
    }
}
