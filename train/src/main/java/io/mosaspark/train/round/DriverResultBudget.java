package io.mosaspark.train.round;

import org.apache.spark.SparkConf;

import java.util.Locale;

/**
 * Spark refuses a job whose task results add up to more than {@code spark.driver.maxResultSize} (1g by
 * default), and a round's aggregation sends the driver a few whole-model sums: a Tiny model's parameters and
 * Adam moments in float32 are 334 MB a sum, so 4 workers already send 1.3 GB. Checked before the first round,
 * so the run stops with the setting to change instead of failing its first aggregation.
 */
public final class DriverResultBudget {
    static final String KEY = "spark.driver.maxResultSize";
    private static final String SPARK_DEFAULT = "1g";

    private DriverResultBudget() {
    }

    /**
     * @param bytesPerSum one worker's serialised sum: parameters and, where averaged, optimizer state
     * @throws IllegalArgumentException naming the setting and the value the run needs
     */
    public static void require(SparkConf conf, int workers, int depth, long bytesPerSum) {
        long limit = conf.getSizeAsBytes(KEY, SPARK_DEFAULT);
        int sums = OrderedTreeAggregate.partialResultsAtDriver(workers, depth);
        long needed = sums * bytesPerSum;
        if (limit > 0 && needed > limit) {
            // Spark's own results carry some framing: ask for a quarter more, rounded up to a whole GiB
            long suggestGiB = (long) Math.ceil(needed * 1.25 / (1L << 30));
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s = %s is less than the %s each round sends the driver (%d partial sums of %s from %d workers);"
                            + " set --conf %s=%dg (0: no limit)",
                    KEY, conf.get(KEY, SPARK_DEFAULT), size(needed), sums, size(bytesPerSum), workers, KEY, suggestGiB));
        }
    }

    private static String size(long bytes) {
        return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
}
