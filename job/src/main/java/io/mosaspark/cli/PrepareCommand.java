package io.mosaspark.cli;

import io.mosaspark.prep.PrepConfig;
import io.mosaspark.prep.PrepKryoRegistrator;
import io.mosaspark.prep.PrepareCorpus;
import io.mosaspark.prep.commit.OutputCommit;
import io.mosaspark.prep.read.InputFormat;
import io.mosaspark.shards.manifest.Manifest;
import io.mosaspark.spark.DriverSession;
import io.mosaspark.spark.SparkHadoopConf;
import io.mosaspark.spark.SparkSessions;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mosa prepare}: raw text → tokenizer + llm.c token shards + manifest. Option defaults are the
 * fields' initial values, taken from {@link PrepConfig.Defaults}.
 */
@Command(name = "prepare", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = VersionProvider.class,
        description = {"Clean, deduplicate, split and tokenize raw text into llm.c token shards plus manifest.json.",
                "Inputs and output are Hadoop URIs (file://, hdfs://, s3a:// with hadoop-aws on the classpath);"
                        + " a plain path is resolved against the default filesystem (fs.defaultFS)."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:the shard set was committed", "1:the job failed (the output is left untouched)",
                "2:invalid options"},
        footer = {"", "Same input and options give byte-identical shards and manifest (except provenance.created_at).",
                "Format: docs/data-format.md; check a result with `mosa inspect <DIR>`."})
public final class PrepareCommand implements Callable<Integer> {

    @Option(names = "--input", required = true, split = ",", paramLabel = "URI|GLOB",
            description = "Input files, directories (read recursively, names starting with _ or . skipped) or globs;"
                    + " repeat or comma-separate. .gz, .bz2 and .zst files are decompressed.")
    List<String> inputs;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Output directory (required); written aside and committed atomically with a _SUCCESS marker.")
    String output;

    /**
     * The option's first name: every other command (train's names are the canonical ones) says --out. Still
     * read, hidden from the help and with a warning, so that existing scripts run while they are updated.
     */
    @Option(names = "--output", hidden = true, paramLabel = "DIR")
    void deprecatedOutput(String dir) {
        System.err.println("mosa prepare: --output is deprecated: say --out, as every command does");
        output = dir;
    }

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "text (a file per document) | text-paragraphs (documents separated by blank lines) | "
                    + "text-lines (a document per line) | jsonl | parquet. Default: ${DEFAULT-VALUE}.")
    String format = PrepConfig.Defaults.FORMAT.cliName();

    @Option(names = "--text-field", paramLabel = "FIELD",
            description = "jsonl: JSON field with the text; parquet: the text column. Default: ${DEFAULT-VALUE}.")
    String textField = PrepConfig.Defaults.TEXT_FIELD;

    @Option(names = "--tokenizer", paramLabel = "TOKENIZER",
            description = "A pretrained encoding (r50k_base | cl100k_base | o200k_base), train:<vocab> (byte-level BPE"
                    + " trained on this run's train split, saved in DIR/tokenizer) or a trained tokenizer directory"
                    + " (copied into DIR/tokenizer). Default: ${DEFAULT-VALUE}.")
    String tokenizer = PrepConfig.Defaults.TOKENIZER;

    @Option(names = "--val-fraction", paramLabel = "FRACTION",
            description = "Fraction of documents, chosen by content hash, in the val split; [0, 1)."
                    + " Default: ${DEFAULT-VALUE}.")
    double valFraction = PrepConfig.Defaults.VAL_FRACTION;

    @Option(names = "--shard-tokens", paramLabel = "N",
            description = "Tokens per shard (the last shard of a split holds the rest); [1, 2147483647]."
                    + " Default: ${DEFAULT-VALUE}.")
    long shardTokens = PrepConfig.Defaults.SHARD_TOKENS;

    @Option(names = "--min-chars", paramLabel = "N",
            description = "Reject (reason too_short) documents shorter than N chars after cleaning; 0 = off."
                    + " Default: ${DEFAULT-VALUE}.")
    int minChars = PrepConfig.Defaults.MIN_CHARS;

    @Option(names = "--max-chars", paramLabel = "N",
            description = "Split longer documents into pieces of at most N chars (not dropped). Default: ${DEFAULT-VALUE}.")
    int maxChars = PrepConfig.Defaults.MAX_CHARS;

    @Option(names = "--skip-bad-files",
            description = "Record an unreadable input file in _rejected/ and go on, instead of failing the job.")
    boolean skipBadFiles;

    @Option(names = "--overwrite",
            description = "Replace an existing output directory (only once the new one is complete).")
    boolean overwrite;

    @Option(names = "--name", paramLabel = "NAME",
            description = "Shard file prefix: NAME_{train,val}_NNNNNN.bin. Default: ${DEFAULT-VALUE}.")
    String name = PrepConfig.Defaults.NAME;

    @Option(names = "--seed", paramLabel = "N",
            description = "Seeds the split and the document order. Default: ${DEFAULT-VALUE}.")
    long seed = PrepConfig.Defaults.SEED;

    @Option(names = "--split-bytes", paramLabel = "N",
            description = "Uncompressed jsonl/text-lines files larger than this are read by several tasks (byte ranges"
                    + " cut at line starts). Default: ${DEFAULT-VALUE} (128 MiB).")
    long splitBytes = PrepConfig.Defaults.SPLIT_BYTES;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master, e.g. local[4]. Default: spark.master as set by spark-submit, else local[*].")
    String master;

    /** The validated config; picocli reports the IllegalArgumentException as a usage error. */
    public PrepConfig toConfig() {
        if (output == null) throw new IllegalArgumentException("Missing required option: '--out=DIR' (the shard set to write)");
        return new PrepConfig(inputs, output, InputFormat.parse(format), textField, tokenizer, valFraction,
                shardTokens, minChars, maxChars, skipBadFiles, overwrite, name, seed, master, splitBytes);
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
        SparkConf sparkConf = new SparkConf();
        OutputCommit.checkAvailable(config.output(), config.overwrite(), SparkHadoopConf.from(sparkConf));
        try (DriverSession session = SparkSessions.borrowOrStart("mosa prepare " + config.name(), config.master(),
                sparkConf, List.of(PrepKryoRegistrator.class))) {
            Manifest m = job.run(session.spark());
            System.out.printf("wrote %s: %d train + %d val tokens in %d shards; %d documents read, %d written,"
                            + " %d duplicates, %d rejected, %d empty%n", config.output(),
                    m.totals().get("train").tokens(), m.totals().get("val").tokens(), m.shards().size(),
                    m.reconciliation().documentsRead(), m.reconciliation().documentsWritten(),
                    m.reconciliation().duplicates(), m.reconciliation().rejected(), m.reconciliation().empty());
            return ExitCodes.OK;
        }
    }

    /** Runs the command; returns the exit code (0 ok, 1 job failed, 2 bad options). */
    public static int execute(String... args) {
        return new CommandLine(new PrepareCommand())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("mosa prepare failed: " + e.getMessage());
                    return ExitCodes.JOB_FAILED;
                })
                .execute(args);
    }
}
