package io.mosaspark.prep.reject;

import com.fasterxml.jackson.databind.ObjectWriter;
import io.mosaspark.prep.clean.CleanedRecord;
import io.mosaspark.shards.manifest.ManifestJson;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * Writes {@code _rejected/rejected.jsonl}: one JSON line per rejected record (file, offset, reason,
 * detail) in input order, streamed to the driver partition by partition.
 */
public final class RejectedRecords {
    public static final String DIR = "_rejected";
    public static final String FILE = "rejected.jsonl";
    /** toLocalIterator runs one job per partition: keep them few (rejections are usually rare). */
    private static final int MAX_SORT_PARTITIONS = 8;

    /** One line of rejected.jsonl. */
    public record Entry(String file, long offset, String reason, String detail) implements java.io.Serializable {
    }

    private RejectedRecords() {
    }

    /** @return lines written */
    public static long write(JavaRDD<CleanedRecord> records, Path outputDir, Configuration conf) throws IOException {
        Iterator<Entry> sorted = records
                .filter(r -> r.outcome() == CleanedRecord.Outcome.REJECTED)
                .mapToPair(r -> new Tuple2<>(new Tuple2<>(r.fileIndex(), r.offset()),
                        new Entry(r.file(), r.offset(), r.reject().code(), r.detail())))
                .sortByKey(new InputOrder(), true, Math.min(MAX_SORT_PARTITIONS, records.getNumPartitions()))
                .values()
                .toLocalIterator();
        Path file = new Path(new Path(outputDir, DIR), FILE);
        ObjectWriter json = ManifestJson.MAPPER.writer().without(
                com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
        long n = 0;
        try (OutputStream out = new BufferedOutputStream(file.getFileSystem(conf).create(file, true))) {
            while (sorted.hasNext()) {
                out.write(json.writeValueAsBytes(sorted.next()));
                out.write('\n');
                n++;
            }
        }
        return n;
    }

    /** (file index, offset) order. */
    static final class InputOrder implements java.util.Comparator<Tuple2<Integer, Long>>, java.io.Serializable {
        @Override
        public int compare(Tuple2<Integer, Long> a, Tuple2<Integer, Long> b) {
            int c = Integer.compare(a._1(), b._1());
            return c != 0 ? c : Long.compare(a._2(), b._2());
        }
    }
}
