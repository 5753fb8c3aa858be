package io.mosaspark.prep.cli;

import io.mosaspark.prep.InputFormat;
import io.mosaspark.prep.PrepConfig;
import io.mosaspark.prep.PrepKryoRegistrator;
import io.mosaspark.prep.PrepareCorpus;
import io.mosaspark.prep.commit.OutputCommit;
import io.mosaspark.prep.manifest.Manifest;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mosa prepare}: raw text → tokenizer + llm.c token shards + manifest. Option defaults are the
 * fields' initial values, taken from {@link PrepConfig.Defaults}.
 */
@Command(name = "prepare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Clean, deduplicate, split and tokenize raw text into llm.c token shards.",
                "Inputs and output are Hadoop URIs (file://, hdfs://, s3a:// with hadoop-aws on the classpath)."})
public final class PrepareCommand implements Callable<Integer> {

    @Option(names = "--input", required = true, split = ",", paramLabel = "URI|GLOB",
            description = "Input files, directories or globs; repeat or comma-separate. .gz/.bz2/.zst are decompressed.")
    List<String> inputs;

    @Option(names = "--output", required = true, paramLabel = "DIR",
            description = "Output directory, committed atomically with a _SUCCESS marker.")
    String output;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "text (file per document) | text-paragraphs (blank-line separated) | text-lines | jsonl | "
                    + "parquet. Default: ${DEFAULT-VALUE}.")
    String format = PrepConfig.Defaults.FORMAT.cliName();

    @Option(names = "--text-field",
            description = "JSON field or Parquet column with the text. Default: ${DEFAULT-VALUE}.")
    String textField = PrepConfig.Defaults.TEXT_FIELD;

    @Option(names = "--tokenizer",
            description = "r50k_base | cl100k_base | o200k_base | train:<vocab> | <tokenizer dir>. Default: ${DEFAULT-VALUE}.")
    String tokenizer = PrepConfig.Defaults.TOKENIZER;

    @Option(names = "--val-fraction",
            description = "Fraction of documents (by content hash) in the val split, [0, 1). Default: ${DEFAULT-VALUE}.")
    double valFraction = PrepConfig.Defaults.VAL_FRACTION;

    @Option(names = "--shard-tokens",
            description = "Tokens per shard. Default: ${DEFAULT-VALUE}.")
    long shardTokens = PrepConfig.Defaults.SHARD_TOKENS;

    @Option(names = "--min-chars",
            description = "Reject documents shorter than this after cleaning (0 = off). Default: ${DEFAULT-VALUE}.")
    int minChars = PrepConfig.Defaults.MIN_CHARS;

    @Option(names = "--max-chars",
            description = "Split longer documents into pieces of at most this many chars. Default: ${DEFAULT-VALUE}.")
    int maxChars = PrepConfig.Defaults.MAX_CHARS;

    @Option(names = "--skip-bad-files",
            description = "Record unreadable files in _rejected/ and go on, instead of failing.")
    boolean skipBadFiles;

    @Option(names = "--overwrite", description = "Replace an existing output directory.")
    boolean overwrite;

    @Option(names = "--name",
            description = "Shard file prefix: <name>_{train,val}_NNNNNN.bin. Default: ${DEFAULT-VALUE}.")
    String name = PrepConfig.Defaults.NAME;

    @Option(names = "--seed", description = "Seeds the split and the document order. Default: ${DEFAULT-VALUE}.")
    long seed = PrepConfig.Defaults.SEED;

    @Option(names = "--master", description = "Spark master for a local run (spark-submit sets it otherwise).")
    String master;

    /** The validated config; picocli reports the IllegalArgumentException as a usage error. */
    public PrepConfig toConfig() {
        return new PrepConfig(inputs, output, InputFormat.parse(format), textField, tokenizer, valFraction,
                shardTokens, minChars, maxChars, skipBadFiles, overwrite, name, seed, master);
    }

    @Override
    public Integer call() {
        PrepConfig config;
        PrepareCorpus job;
        try {
            config = toConfig();
            job = new PrepareCorpus(config); // validates the --tokenizer form
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage(), e);
        }
        OutputCommit.checkAvailable(config.output(), config.overwrite(), new Configuration());
        org.apache.spark.SparkConf sparkConf = new org.apache.spark.SparkConf();
        PrepKryoRegistrator.configure(sparkConf);
        SparkSession.Builder builder = SparkSession.builder().appName("mosa prepare " + config.name())
                .config(sparkConf);
        String resolvedMaster = config.master() != null ? config.master()
                : System.getProperty("spark.master") == null ? "local[*]" : null;
        if (resolvedMaster != null) {
            builder.master(resolvedMaster);
        }
        SparkSession spark = builder.getOrCreate();
        try {
            Manifest m = job.run(spark);
            System.out.printf("wrote %s: %d train + %d val tokens in %d shards; %d documents read, %d written,"
                            + " %d duplicates, %d rejected, %d empty%n", config.output(),
                    m.totals().get("train").tokens(), m.totals().get("val").tokens(), m.shards().size(),
                    m.reconciliation().documentsRead(), m.reconciliation().documentsWritten(),
                    m.reconciliation().duplicates(), m.reconciliation().rejected(), m.reconciliation().empty());
            return 0;
        } finally {
            spark.stop();
        }
    }

    /** Runs the command; returns the exit code (0 ok, 1 job failed, 2 bad options). */
    public static int execute(String... args) {
        return new CommandLine(new PrepareCommand())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("mosa prepare failed: " + e.getMessage());
                    return 1;
                })
                .execute(args);
    }
}
