package io.mosaspark.prep.dedup;

import io.mosaspark.prep.clean.CleanedRecord;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * Removes exact duplicates (same SHA-256 of the cleaned text). Of each group the copy earliest in the
 * sorted input (file, offset) is kept, so the survivor does not depend on partitioning. The shuffle also spreads
 * documents of a few big files over {@code partitions} tasks for tokenization.
 */
public final class ExactDeduplicator {
    private ExactDeduplicator() {
    }

    public static JavaRDD<CleanedRecord> unique(JavaRDD<CleanedRecord> kept, int partitions) {
        return kept.mapToPair(r -> new Tuple2<>(r.sha256(), r))
                .reduceByKey((a, b) -> a.precedes(b) ? a : b, partitions)
                .values();
    }
}
