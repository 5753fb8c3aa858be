package io.mosaspark.prep.shard;

import java.io.Serializable;
import java.util.Comparator;

/**
 * Position of a document in its split: the seeded shuffle order, then the content hash as tie break
 * (unique after deduplication), so the order is total and independent of partitioning.
 */
public record DocKey(long order, String sha256) implements Comparable<DocKey>, Serializable {
    private static final Comparator<DocKey> ORDER = Comparator.comparingLong(DocKey::order)
            .thenComparing(DocKey::sha256);

    @Override
    public int compareTo(DocKey o) {
        return ORDER.compare(this, o);
    }
}
