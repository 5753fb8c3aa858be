package io.mosaspark.shards.window;

import io.mosaspark.shards.set.SplitShards;
import java.io.Serializable;

/**
 * How a split's token stream is cut into training windows and dealt to workers; see {@link WindowCursor}
 * for the definition. Validated on the driver before any Spark work and shipped to the executors, where
 * each worker opens the cursor of its rank.
 *
 * @param shards       the split's shards in manifest order: their concatenation is the token stream
 * @param windowLength W = T + 1 tokens: inputs are the first T, targets the last T
 * @param workers      N, the number of ranks that share the stream
 * @param seed         seeds the order of the windows in every epoch
 */
public record WindowPlan(SplitShards shards, int windowLength, int workers, long seed) implements Serializable {

    public WindowPlan {
        if (shards == null) {
            throw new IllegalArgumentException("shards: the split to read is required");
        }
        if (windowLength < 2) {
            throw new IllegalArgumentException("window_length must be >= 2 (seq_len + 1: inputs and the targets"
                    + " shifted by one), got " + windowLength);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
        long windows = windows(shards.tokens(), windowLength);
        if (windows < workers) {
            throw new IllegalArgumentException(shards.description() + " has " + windows + " windows of "
                    + windowLength + " tokens; need at least 1 per worker (N=" + workers + "): lower seq_len or"
                    + " workers, or prepare more data");
        }
    }

    /** Windows of {@code windowLength} tokens, stride {@code windowLength - 1}, that fit in {@code tokens}. */
    static long windows(long tokens, int windowLength) {
        return tokens < windowLength ? 0 : (tokens - 1) / (windowLength - 1);
    }

    /** M: the windows of the split, each used once per epoch by one rank (except the last M mod N). */
    public long windows() {
        return windows(shards.tokens(), windowLength);
    }

    /** Windows every rank reads per epoch: ⌊M / N⌋, the same for all ranks so their steps stay in lockstep. */
    public long windowsPerRank() {
        return windows() / workers;
    }

    /** T: the stride between window starts, one less than their length. */
    public int stride() {
        return windowLength - 1;
    }
}
