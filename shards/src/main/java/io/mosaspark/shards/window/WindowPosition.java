package io.mosaspark.shards.window;

import java.io.Serializable;

/**
 * Where a {@link WindowCursor} stands: the next window it returns is the {@code index}-th of its rank in
 * {@code epoch}. Saved with a checkpoint and given back to {@link WindowCursor#at} to resume exactly.
 *
 * @param epoch passes over the split so far
 * @param index windows this rank has read in the epoch, in [0, {@link WindowPlan#windowsPerRank()})
 */
public record WindowPosition(long epoch, long index) implements Serializable {
    public static final WindowPosition START = new WindowPosition(0, 0);

    public WindowPosition {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, got " + index);
        }
    }
}
