package io.mosaspark.train.data;

import java.io.IOException;
import java.io.Serializable;

/**
 * Where a run's token windows come from. A window is {@code T + 1} consecutive tokens: inputs are its
 * first T, targets its last T. Every worker (rank) reads its own disjoint, deterministic sequence of
 * windows, so what a worker trains on is a function of (rank, position) alone: a task retried on
 * another executor, or a run resumed from a checkpoint, reads exactly the windows the original did.
 *
 * <p>Implementations are small serialisable descriptions (shard paths, sizes, a seed) that Spark ships
 * inside the task closure; the tokens themselves are read on the executor, never through the driver.
 */
public interface TrainingData extends Serializable {

    /** Tokens per window: the model's T + 1. */
    int windowLength();

    /** Windows each rank reads per epoch of its train split (the same for every rank). */
    long windowsPerRank();

    /** Opens rank {@code rank}'s train windows, positioned after its first {@code position} windows. */
    WindowStream train(int rank, long position) throws IOException;

    /**
     * Rank {@code rank}'s share of the validation windows, in a fixed order: windows {@code rank},
     * {@code rank + workers}, … of the first {@code limit} validation windows (all when limit is 0).
     */
    WindowStream validation(int rank, int workers, long limit) throws IOException;

    /** Validation windows available in total. */
    long validationWindows();

    /** A short description for logs and provenance (e.g. the shard set's path and split sizes). */
    String describe();
}
