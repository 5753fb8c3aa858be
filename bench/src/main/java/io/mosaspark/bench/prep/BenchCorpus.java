package io.mosaspark.bench.prep;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.mosaspark.prep.synthetic.ZipfText;
import io.mosaspark.provenance.Provenance;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The documents a benchmark runs on, held on the driver for the single-thread baseline. Spark gets
 * the same documents: regenerated on the executors when generated (so tasks stay small), else
 * parallelised from the driver.
 *
 * @param generator the generator of the documents, or null when they were read
 */
record BenchCorpus(String source, List<String> documents, long bytes, ZipfText generator) {

    private static final int GENERATED_DOC_CHARS = 4000;

    /** Zipfian documents of about 4 KB until {@code megabytes} of UTF-8. */
    static BenchCorpus generated(long seed, double megabytes) {
        ZipfText text = ZipfText.english(seed);
        long wanted = (long) (megabytes * 1e6);
        List<String> docs = new ArrayList<>();
        long bytes = 0;
        for (long i = 0; bytes < wanted; i++) {
            String doc = text.document(i, GENERATED_DOC_CHARS);
            docs.add(doc);
            bytes += doc.getBytes(UTF_8).length;
        }
        return new BenchCorpus("zipf(seed=" + seed + ")", docs, bytes, text);
    }

    /** The first {@code megabytes} of the text files at {@code path} (any Hadoop URI), one document per line. */
    static BenchCorpus read(SparkSession spark, String path, double megabytes) {
        long wanted = (long) (megabytes * 1e6);
        List<String> docs = new ArrayList<>();
        long bytes = 0;
        Iterator<String> lines = spark.read().textFile(path).toLocalIterator();
        while (lines.hasNext() && bytes < wanted) {
            String line = lines.next();
            if (!line.isBlank()) {
                docs.add(line);
                bytes += line.getBytes(UTF_8).length;
            }
        }
        if (docs.isEmpty()) {
            throw new IllegalArgumentException("--corpus " + path + ": no non-empty lines to benchmark on");
        }
        return new BenchCorpus(path, docs, bytes, null);
    }

    /** The corpus as an input of the run's provenance: where it came from and its size. */
    Provenance.Input input() {
        return new Provenance.Input(source, bytes, null);
    }

    JavaRDD<String> toRdd(JavaSparkContext spark, int partitions) {
        if (generator == null) {
            return spark.parallelize(documents, partitions);
        }
        ZipfText text = generator;
        List<Long> indices = LongStream.range(0, documents.size()).boxed().toList();
        return spark.parallelize(indices, partitions).map(i -> text.document(i, GENERATED_DOC_CHARS));
    }
}
