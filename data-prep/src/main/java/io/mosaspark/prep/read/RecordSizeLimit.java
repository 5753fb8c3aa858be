package io.mosaspark.prep.read;

import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;

/**
 * The largest record a task reads, in bytes as stored (after decompression): a jsonl or text-lines line,
 * a text-paragraphs paragraph, a text file, a Parquet value. A larger record is rejected as
 * record_too_large without being held in memory, because a task holds several copies of the record it
 * works on (its bytes, its text, the cleaned text, its serialised form): without a bound one huge record
 * would cost the executor an OutOfMemoryError and the job. docs/data-format.md gives the heap a record
 * needs.
 *
 * <p>A Hadoop setting, not a prepare option, so that the readers see it wherever they run; set it as
 * {@code spark.hadoop.mosa.prep.max-record-bytes} (Spark copies {@code spark.hadoop.*} into the Hadoop
 * configuration). Size suffixes work: {@code 256m}, {@code 1g}.
 */
public record RecordSizeLimit(long maxBytes) implements Serializable {
    public static final String KEY = "mosa.prep.max-record-bytes";
    /**
     * Heap a running task needs per byte of its largest record, on top of Spark's own few hundred MB:
     * the slope of the whole job's measured peak (docs/data-format.md). It tells the heap a limit needs.
     */
    public static final int HEAP_PER_RECORD_BYTE = 8;
    /** Fits Spark's default 1 GiB executor heap with one task: records of up to 90 MB passed there. */
    public static final int DEFAULT_BYTES = 64 << 20;
    /** A Java array, hence a line buffer or a String, holds no more. */
    public static final int MAX_BYTES = Integer.MAX_VALUE - 16;

    public RecordSizeLimit {
        if (maxBytes < 1 || maxBytes > MAX_BYTES) {
            throw new IllegalArgumentException("spark.hadoop." + KEY + " must be in [1, " + MAX_BYTES + "] bytes, got "
                    + maxBytes);
        }
    }

    public static RecordSizeLimit defaults() {
        return new RecordSizeLimit(DEFAULT_BYTES);
    }

    /** The limit the job's Hadoop configuration sets, else the default. */
    public static RecordSizeLimit from(Configuration conf) {
        long bytes;
        try {
            bytes = conf.getLongBytes(KEY, DEFAULT_BYTES);
        } catch (IllegalArgumentException e) { // Hadoop's message does not name the key
            throw new IllegalArgumentException("spark.hadoop." + KEY + " must be a byte count such as 268435456 or 256m, got '"
                    + conf.get(KEY) + "'", e);
        }
        return new RecordSizeLimit(bytes);
    }

    public boolean exceededBy(long bytes) {
        return bytes > maxBytes;
    }

    /** The detail of a record_too_large rejection: the size, the limit, and how to raise it. */
    public String rejection(String record, long bytes) {
        return record + " of " + bytes + " bytes exceeds the record limit of " + maxBytes + " bytes (" + KEY
                + "); to take it, set spark.hadoop." + KEY + " to at least " + bytes + " and give each running task"
                + " about " + HEAP_PER_RECORD_BYTE + " times that in executor heap on top of Spark's own 300 MB"
                + " (docs/data-format.md)";
    }
}
