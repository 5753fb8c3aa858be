package io.mosaspark.prep.read;

import io.mosaspark.prep.InputFormat;
import io.mosaspark.prep.fs.SerializableHadoopConf;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The records of all input files as an RDD: files are spread over tasks in sorted order (contiguous
 * ranges) and each task streams its files one at a time. One file is never split across tasks, so
 * a single huge uncompressed file is read by one task (downstream stages are repartitioned).
 */
public final class CorpusReader {
    private CorpusReader() {
    }

    public static JavaRDD<ReadRecord> read(JavaSparkContext jsc, List<InputFile> files, InputFormat format,
                                           String textField, boolean skipBadFiles, SerializableHadoopConf conf) {
        return jsc.parallelize(files, slices(jsc, files))
                .mapPartitions(it -> new FileRecordIterator(it, format, textField, conf.get(), skipBadFiles));
    }

    /** Up to four tasks per core, never more than files. */
    public static int slices(JavaSparkContext jsc, List<InputFile> files) {
        return Math.max(1, Math.min(files.size(), jsc.defaultParallelism() * 4));
    }
}
