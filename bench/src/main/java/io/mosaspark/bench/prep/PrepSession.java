package io.mosaspark.bench.prep;

import io.mosaspark.bench.harness.Suite;
import io.mosaspark.prep.tokenize.BpeTrainingConfig;
import io.mosaspark.prep.tokenize.TokenizerSpec;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * What the prep suites of one run share: a Spark session and the corpus, both made when a suite first asks,
 * so that a run of model suites alone starts no Spark. Joins a running session (spark-submit's, a test's)
 * and leaves it running; stops one it started.
 */
public final class PrepSession implements AutoCloseable {

    /**
     * @param master     Spark master for a session started here
     * @param corpus     text files to read, or null for generated text
     * @param megabytes  how much text
     * @param tokenizer  the pretrained encoding of the tokenize suite
     * @param vocabSize  the bpe-train suite's vocabulary size
     * @param partitions Spark partitions; 0 = 4 per core
     * @param repeats    timed passes of the tokenize suite; the best counts
     * @param seed       seed of the generated text
     */
    public record Settings(String master, String corpus, double megabytes, String tokenizer, int vocabSize, int partitions,
                           int repeats, long seed) {
        public Settings {
            if (!(megabytes > 0)) throw new IllegalArgumentException("--mb = " + megabytes + ": must be > 0");
            if (repeats < 1) throw new IllegalArgumentException("--repeats = " + repeats + ": must be >= 1");
            if (partitions < 0) throw new IllegalArgumentException("--partitions = " + partitions + ": must be >= 0 (0 = 4 per core)");
        }
    }

    private final Settings settings;
    private SparkSession spark;
    private boolean ownSession;
    private BenchCorpus corpus;

    PrepSession(Settings settings) {
        this.settings = settings;
    }

    /** The suite {@code name} (one of {@link PrepSuiteOptions#SUITES}); a bad option is an IllegalArgumentException. */
    public Suite suite(String name) {
        return switch (name) {
            case "tokenize" -> new TokenizeBench(this, TokenizerSpec.parse(settings.tokenizer()), settings.repeats());
            case "bpe-train" -> new BpeTrainBench(this, BpeTrainingConfig.defaults().withVocabSize(settings.vocabSize()));
            default -> throw new IllegalArgumentException("'" + name + "' is not a prep suite; valid: "
                    + String.join(", ", PrepSuiteOptions.SUITES));
        };
    }

    private SparkSession spark() {
        if (spark == null) {
            ownSession = SparkSession.getDefaultSession().isEmpty();
            spark = SparkSession.builder().master(settings.master()).appName("mosa-bench-prep")
                    .config("spark.ui.enabled", "false").getOrCreate();
        }
        return spark;
    }

    JavaSparkContext context() {
        return JavaSparkContext.fromSparkContext(spark().sparkContext());
    }

    BenchCorpus corpus() {
        if (corpus == null) {
            corpus = settings.corpus() == null ? BenchCorpus.generated(settings.seed(), settings.megabytes())
                    : BenchCorpus.read(spark(), settings.corpus(), settings.megabytes());
        }
        return corpus;
    }

    int partitions() {
        return settings.partitions() > 0 ? settings.partitions() : 4 * context().defaultParallelism();
    }

    @Override
    public void close() {
        if (spark != null && ownSession) spark.stop();
        spark = null;
    }
}
