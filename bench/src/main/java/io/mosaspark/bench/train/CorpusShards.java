package io.mosaspark.bench.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.mosaspark.prep.PrepConfig;
import io.mosaspark.prep.PrepareCorpus;
import io.mosaspark.prep.read.InputFormat;
import io.mosaspark.shards.set.ShardSet;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A text-lines corpus prepared into a shard set once, with a BPE tokenizer trained on it, as
 * {@code mosa quickstart} prepares the bundled Europarl corpus (2% validation, lines under 32
 * characters dropped); a later run finds the committed set and reuses it.
 *
 * @param corpus    the text, one document per line (any Hadoop URI)
 * @param output    where the shard set goes
 * @param vocabSize the BPE vocabulary trained on the corpus
 */
record CorpusShards(@JsonProperty("corpus") String corpus,
                    @JsonProperty("output") String output,
                    @JsonProperty("vocab_size") int vocabSize) {

    static final double VAL_FRACTION = 0.02;
    static final int MIN_CHARS = 32;

    /** The shard set's URI, prepared first unless a committed one is there. */
    String prepared(SparkSession spark) {
        Path dir = new Path(output);
        try {
            var fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (fs.exists(new Path(dir, ShardSet.COMMIT_MARKER))) return output;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look for a shard set in " + output, e);
        }
        PrepConfig config = new PrepConfig(List.of(corpus), output, InputFormat.TEXT_LINES, "text", "train:" + vocabSize,
                VAL_FRACTION, PrepConfig.Defaults.SHARD_TOKENS, MIN_CHARS, PrepConfig.Defaults.MAX_CHARS, false, false,
                "corpus", PrepConfig.Defaults.SEED, null, PrepConfig.Defaults.SPLIT_BYTES);
        new PrepareCorpus(config).run(spark);
        return output;
    }
}
