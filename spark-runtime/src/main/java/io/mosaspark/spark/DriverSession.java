package io.mosaspark.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The SparkSession a driver runs in, and whether it may stop it: a session borrowed from the host (a
 * notebook, spark-submit's application, a test) belongs to the host and outlives {@link #close}; a
 * session {@link SparkSessions} started is stopped by it.
 */
public final class DriverSession implements AutoCloseable {
    private final SparkSession spark;
    private final boolean borrowed;

    DriverSession(SparkSession spark, boolean borrowed) {
        this.spark = spark;
        this.borrowed = borrowed;
    }

    public SparkSession spark() {
        return spark;
    }

    public boolean borrowed() {
        return borrowed;
    }

    /** Stops the session only if it was started for this driver. */
    @Override
    public void close() {
        if (!borrowed) {
            spark.stop();
        }
    }
}
