package io.mosaspark.train.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A token stream held in memory, split into train and validation windows like a shard set: used by
 * tests and benchmarks that need the trainer without files. Windows start every T tokens (consecutive
 * windows share one token, as inputs t..t+T−1 predict t+1..t+T). Train windows are visited in a fresh
 * permutation each epoch, derived from (seed, epoch); rank r takes positions r, r + N, … of it.
 */
public final class InMemoryTokens implements TrainingData {
    private static final long serialVersionUID = 1L;

    private final int[] train;
    private final int[] validation;
    private final int seqLen;
    private final int workers;
    private final long seed;

    public InMemoryTokens(int[] train, int[] validation, int seqLen, int workers, long seed) {
        if (seqLen < 1) throw new IllegalArgumentException("seq_len = " + seqLen + ": must be >= 1");
        this.train = train.clone();
        this.validation = validation.clone();
        this.seqLen = seqLen;
        this.workers = workers;
        this.seed = seed;
        if (windowsPerRank() < 1) {
            throw new IllegalArgumentException("train split has " + windows(train) + " windows of " + windowLength()
                    + " tokens; need at least one per worker (workers = " + workers + ")");
        }
    }

    @Override
    public int windowLength() {
        return seqLen + 1;
    }

    private long windows(int[] tokens) {
        return tokens.length < windowLength() ? 0 : (tokens.length - 1) / seqLen;
    }

    @Override
    public long windowsPerRank() {
        return windows(train) / workers;
    }

    @Override
    public long validationWindows() {
        return windows(validation);
    }

    @Override
    public WindowStream train(int rank, long position) {
        return new WindowStream() {
            long p = position;

            @Override
            public boolean next(int[] window) {
                long perRank = windowsPerRank();
                long epoch = p / perRank, inEpoch = p % perRank;
                int[] order = permutation(windows(train), seed, epoch);
                int w = order[(int) (inEpoch * workers + rank)];
                System.arraycopy(train, w * seqLen, window, 0, windowLength());
                p++;
                return true;
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public WindowStream validation(int rank, int workers, long limit) {
        long total = limit > 0 ? Math.min(limit, validationWindows()) : validationWindows();
        return new WindowStream() {
            long w = rank;

            @Override
            public boolean next(int[] window) {
                if (w >= total) return false;
                System.arraycopy(validation, (int) (w * seqLen), window, 0, windowLength());
                w += workers;
                return true;
            }

            @Override
            public void close() {
            }
        };
    }

    /** Fisher–Yates with SplittableRandom, whose sequence is fixed by its specification on every JVM. */
    static int[] permutation(long n, long seed, long epoch) {
        int[] order = new int[(int) n];
        for (int i = 0; i < order.length; i++) order[i] = i;
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        for (int i = order.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    @Override
    public String describe() {
        return "in-memory tokens (" + train.length + " train, " + validation.length + " validation)";
    }

    @Override
    public String toString() {
        return describe() + " " + Arrays.toString(Arrays.copyOf(train, Math.min(4, train.length))) + "…";
    }
}
