package io.mosaspark.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import scala.Tuple2;

/**
 * The Hadoop configuration a Spark job would see, built before (or without) a SparkContext: Hadoop's
 * defaults plus every {@code spark.hadoop.*} key of the Spark configuration with the prefix removed.
 * That is how users pass S3A endpoints and credentials ({@code --conf spark.hadoop.fs.s3a.endpoint=...});
 * a bare {@code new Configuration()} would miss them and fail on s3a:// paths. Hand-written because
 * Spark's own {@code SparkHadoopUtil.newConfiguration} is internal to Spark.
 */
public final class SparkHadoopConf {
    private static final String PREFIX = "spark.hadoop.";

    private SparkHadoopConf() {
    }

    /** From {@code spark}, e.g. {@code new SparkConf()}, which reads spark-submit's {@code spark.*} system properties. */
    public static Configuration from(SparkConf spark) {
        Configuration conf = new Configuration();
        for (Tuple2<String, String> entry : spark.getAllWithPrefix(PREFIX)) {
            conf.set(entry._1(), entry._2(), "spark.hadoop." + entry._1());
        }
        return conf;
    }
}
