package io.mosaspark.prep.split;

import io.mosaspark.prep.clean.ContentHash;
import io.mosaspark.shards.manifest.Split;
import java.io.Serializable;

/**
 * Deterministic train/validation assignment and document order from the content hash and the seed:
 * independent of file order, partitioning and cluster size, so reruns and re-partitioned runs agree.
 * Identical documents (already deduplicated) would land in the same split anyway.
 */
public final class HashSplit implements Serializable {
    private static final long SPLIT_SALT = 0x5851F42D4C957F2DL;
    private static final long ORDER_SALT = 0x2545F4914F6CDD1DL;

    private final double valFraction;
    private final long seed;

    public HashSplit(double valFraction, long seed) {
        if (!(valFraction >= 0 && valFraction < 1)) {
            throw new IllegalArgumentException("--val-fraction must be in [0, 1), got " + valFraction);
        }
        this.valFraction = valFraction;
        this.seed = seed;
    }

    public Split assign(String sha256Hex) {
        long h = mix(ContentHash.prefixLong(sha256Hex) ^ mix(seed ^ SPLIT_SALT));
        double u = (h >>> 11) * 0x1.0p-53;
        return u < valFraction ? Split.VAL : Split.TRAIN;
    }

    /** Position of the document in its split: a seeded shuffle, so shards do not follow input order. */
    public long order(String sha256Hex) {
        return mix(ContentHash.prefixLong(sha256Hex) ^ mix(seed ^ ORDER_SALT));
    }

    /** SplitMix64's finaliser: a bijection with good avalanche. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
