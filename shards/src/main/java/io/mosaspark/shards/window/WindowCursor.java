package io.mosaspark.shards.window;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;

/**
 * One worker's sequence of training windows over a split, resumable from a saved {@link WindowPosition}.
 *
 * <p><b>Windows.</b> The split's token stream is its shards concatenated in manifest order. Window
 * {@code w} is the W = T + 1 tokens starting at {@code w·T}: inputs {@code w·T … w·T+T-1}, targets shifted by
 * one, {@code w·T+1 … w·T+T}. Consecutive windows overlap in exactly one token (the last target of one
 * is the first input of the next), as in nanoGPT and llm.c, so no token between windows goes unread and
 * none is read twice as a target. Windows cross document (EOT) and shard boundaries freely. There are
 * M = ⌊(L − 1) / T⌋ windows in a stream of L tokens; the fewer than T tokens after the last one are not read.
 *
 * <p><b>Order and ranks.</b> Every epoch deals the windows in the order of a permutation that depends
 * only on (M, seed, epoch) ({@link WindowOrder}). Rank r of N takes positions r, r + N, r + 2N, … of that
 * order, ⌊M / N⌋ of them: ranks are disjoint, every rank reads the same number of windows (so their steps
 * stay in lockstep), and their union is the whole epoch but for the last M mod N positions, which change
 * with the epoch. After its last window of an epoch a cursor continues with the next epoch.
 *
 * <p>Reads go through {@link TokenStream}: shards open lazily and stay open until {@link #close}. Not
 * thread-safe: one cursor per worker thread.
 */
public final class WindowCursor implements AutoCloseable {
    private final WindowPlan plan;
    private final int rank;
    private final TokenStream stream;
    private final long windowsPerRank;
    private WindowOrder order;
    private long epoch;
    private long index;

    private WindowCursor(WindowPlan plan, int rank, TokenStream stream) {
        this.plan = plan;
        this.rank = rank;
        this.stream = stream;
        this.windowsPerRank = plan.windowsPerRank();
        this.order = new WindowOrder(plan.windows(), plan.seed(), 0);
    }

    /** Rank {@code rank}'s cursor at the start of epoch 0. */
    public static WindowCursor open(WindowPlan plan, int rank, Configuration conf) {
        if (rank < 0 || rank >= plan.workers()) {
            throw new IllegalArgumentException("rank must be in [0, workers=" + plan.workers() + "), got " + rank);
        }
        return new WindowCursor(plan, rank, TokenStream.open(plan.shards(), conf));
    }

    /** Moves to a position {@link #position()} returned, here or in an earlier run with the same plan. */
    public WindowCursor at(WindowPosition position) {
        if (position.index() >= windowsPerRank) {
            throw new IllegalArgumentException("position index " + position.index() + " is past the "
                    + windowsPerRank + " windows per rank and epoch of this plan: was it saved with another"
                    + " seq_len, worker count or shard set?");
        }
        if (position.epoch() != epoch) {
            order = new WindowOrder(plan.windows(), plan.seed(), position.epoch());
        }
        epoch = position.epoch();
        index = position.index();
        return this;
    }

    /** Where the next window comes from; save it to resume with {@link #at}. */
    public WindowPosition position() {
        return new WindowPosition(epoch, index);
    }

    public WindowPlan plan() {
        return plan;
    }

    /** The stream offset of the next window's first token. */
    long nextWindowStart() {
        return order.windowAt(index * plan.workers() + rank) * plan.stride();
    }

    /** Fills {@code dst} (length W) with the next window and advances. */
    public void next(int[] dst) throws IOException {
        if (dst.length != plan.windowLength()) {
            throw new IllegalArgumentException("dst must hold window_length = " + plan.windowLength()
                    + " tokens, got " + dst.length);
        }
        stream.read(nextWindowStart(), dst, 0, dst.length);
        if (++index == windowsPerRank) {
            at(new WindowPosition(epoch + 1, 0));
        }
    }

    /** The next {@code batch} windows, as {@code int[batch][W]}. */
    public int[][] nextBatch(int batch) throws IOException {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        int[][] windows = new int[batch][plan.windowLength()];
        for (int[] w : windows) {
            next(w);
        }
        return windows;
    }

    @Override
    public void close() throws IOException {
        stream.close();
    }
}
