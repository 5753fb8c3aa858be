package io.mosaspark.shards.window;

/**
 * The order of the windows in one epoch: a pseudo-random permutation of [0, M) that depends only on
 * (M, seed, epoch) and is defined by 64-bit integer arithmetic alone, so every JVM and JDK gives the
 * same order (java.util's generators promise no stable algorithm across releases, except Random,
 * whose 48-bit state is too weak to key this).
 *
 * <p>A balanced Feistel network of {@value #ROUNDS} rounds permutes the integers of the smallest even
 * number of bits that covers M; positions mapping to M or above are walked along their cycle until they
 * land in [0, M) ("cycle walking"), which keeps it a permutation of [0, M). The round keys are
 * SplitMix64 outputs of the seed and the epoch. Any position maps to its window in O(1) time and memory:
 * no array of M entries, and resuming mid-epoch costs nothing.
 */
final class WindowOrder {
    static final int ROUNDS = 6;
    /** Largest M: two halves of at most 31 bits keep every value a non-negative long. */
    static final long MAX_SIZE = 1L << 62;
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final long size;
    private final int halfBits;
    private final long halfMask;
    private final long[] roundKeys = new long[ROUNDS];

    WindowOrder(long size, long seed, long epoch) {
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("window count must be in [1, 2^62], got " + size);
        }
        this.size = size;
        int bits = Math.max(2, 64 - Long.numberOfLeadingZeros(size - 1));
        this.halfBits = (bits + 1) / 2;
        this.halfMask = (1L << halfBits) - 1;
        long key = mix(mix(seed) ^ (epoch * GOLDEN_GAMMA));
        for (int r = 0; r < ROUNDS; r++) {
            roundKeys[r] = mix(key + (r + 1) * GOLDEN_GAMMA);
        }
    }

    /** The window at {@code position} of the epoch's order. */
    long windowAt(long position) {
        if (position < 0 || position >= size) {
            throw new IndexOutOfBoundsException("position " + position + " outside [0, " + size + ")");
        }
        long x = position;
        do {
            x = encrypt(x);
        } while (x >= size);
        return x;
    }

    private long encrypt(long x) {
        long left = x >>> halfBits;
        long right = x & halfMask;
        for (long key : roundKeys) {
            long next = left ^ (mix(right ^ key) & halfMask);
            left = right;
            right = next;
        }
        return (left << halfBits) | right;
    }

    /**
     * SplitMix64's finaliser. Spelled out here, not shared with data-prep's split hash: each pins its own
     * reproducibility promise (window order here, shard bytes there), so neither may change with the other.
     */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
