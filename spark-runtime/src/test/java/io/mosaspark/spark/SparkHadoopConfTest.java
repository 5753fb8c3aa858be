package io.mosaspark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class SparkHadoopConfTest {
    @Test
    void copiesSparkHadoopKeysWithoutThePrefixAndNothingElse() {
        SparkConf spark = new SparkConf(false)
                .set("spark.hadoop.fs.s3a.endpoint", "http://minio:9000")
                .set("spark.hadoop.fs.defaultFS", "hdfs://nn:8020")
                .set("spark.executor.memory", "4g");
        Configuration conf = SparkHadoopConf.from(spark);
        assertEquals("http://minio:9000", conf.get("fs.s3a.endpoint"));
        assertEquals("hdfs://nn:8020", conf.get("fs.defaultFS"));
        assertNull(conf.get("spark.executor.memory"));
        assertNull(conf.get("executor.memory"));
        assertEquals("spark.hadoop.fs.s3a.endpoint", conf.getPropertySources("fs.s3a.endpoint")[0]);
    }
}
