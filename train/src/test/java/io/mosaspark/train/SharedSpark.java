package io.mosaspark.train;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The module's one local Spark context, shared by every test class. {@code local[2,2]}: two task
 * threads, and a failed task is retried once, as on a cluster (plain {@code local[2]} never retries).
 */
public final class SharedSpark {
    private static JavaSparkContext context;

    private SharedSpark() {
    }

    public static synchronized JavaSparkContext context() {
        if (context == null) {
            context = new JavaSparkContext(new SparkConf()
                    .setMaster("local[2,2]")
                    .setAppName("mosa-train-tests")
                    .set("spark.ui.enabled", "false")
                    .set("spark.default.parallelism", "2"));
        }
        return context;
    }
}
