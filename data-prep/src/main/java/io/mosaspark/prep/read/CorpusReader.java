package io.mosaspark.prep.read;

import io.mosaspark.spark.SerializableHadoopConf;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The records of all input files as an RDD: splits (whole files, or byte ranges of large uncompressed
 * line-based files, see {@link InputSplit}) are spread over tasks in file order (contiguous ranges) and
 * each task streams its splits one at a time. The record limit is read from the job's Hadoop
 * configuration here, on the driver, so that a bad value stops the job before any task starts.
 */
public final class CorpusReader {
    private CorpusReader() {
    }

    public static JavaRDD<ReadRecord> read(JavaSparkContext jsc, List<InputSplit> splits, InputFormat format,
                                           String textField, boolean skipBadFiles, SerializableHadoopConf conf) {
        RecordSizeLimit limit = RecordSizeLimit.from(conf.get());
        return jsc.parallelize(splits, slices(jsc, splits))
                .mapPartitions(it -> new FileRecordIterator(it, format, textField, limit, conf.get(), skipBadFiles));
    }

    /** Up to four tasks per core, never more than splits. */
    public static int slices(JavaSparkContext jsc, List<InputSplit> splits) {
        return Math.max(1, Math.min(splits.size(), jsc.defaultParallelism() * 4));
    }
}
