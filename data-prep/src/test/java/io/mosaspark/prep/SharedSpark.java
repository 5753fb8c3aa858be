package io.mosaspark.prep;

import io.mosaspark.spark.KryoRegistrators;
import org.apache.spark.sql.SparkSession;

/**
 * The module's one {@code local[2]} SparkSession, created on first use and shared by every test class
 * (Spark takes seconds to start); Spark's shutdown hook stops it. UI off, few shuffle partitions.
 */
public final class SharedSpark {
    private SharedSpark() {
    }

    public static synchronized SparkSession session() {
        return SparkSession.builder()
                .master("local[2]")
                .appName("mosa-data-prep-tests")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.default.parallelism", "4")
                .config(KryoRegistrators.KEY, PrepKryoRegistrator.class.getName())
                .getOrCreate();
    }
}
