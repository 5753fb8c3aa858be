package io.mosaspark.prep;

import io.mosaspark.prep.clean.CleanedRecord;
import io.mosaspark.prep.clean.RecordCleaner;
import io.mosaspark.prep.clean.RecordCounts;
import io.mosaspark.prep.commit.OutputCommit;
import io.mosaspark.prep.dedup.ExactDeduplicator;
import io.mosaspark.prep.metrics.ProgressReporter;
import io.mosaspark.prep.metrics.RunMetrics;
import io.mosaspark.prep.read.CompressionCodecs;
import io.mosaspark.prep.read.CorpusReader;
import io.mosaspark.prep.read.InputFile;
import io.mosaspark.prep.read.InputFiles;
import io.mosaspark.prep.read.InputSplit;
import io.mosaspark.prep.read.UnreadableInputException;
import io.mosaspark.prep.reject.RejectedRecords;
import io.mosaspark.prep.shard.PieceTokenizer;
import io.mosaspark.prep.shard.ShardLayout;
import io.mosaspark.prep.shard.ShardSetWriter;
import io.mosaspark.prep.split.HashSplit;
import io.mosaspark.prep.tokenize.CliTokenizerSource;
import io.mosaspark.prep.tokenize.ResolvedTokenizer;
import io.mosaspark.prep.tokenize.TokenizerSource;
import io.mosaspark.shards.format.TokenWidth;
import io.mosaspark.shards.manifest.Manifest;
import io.mosaspark.shards.manifest.ManifestJson;
import io.mosaspark.shards.manifest.Reconciliation;
import io.mosaspark.shards.manifest.ShardInfo;
import io.mosaspark.shards.manifest.Split;
import io.mosaspark.shards.manifest.SplitTotals;
import io.mosaspark.spark.SerializableHadoopConf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The prepare job: config → read → clean → dedup → split → tokenize → write shards → manifest →
 * commit. {@code mosa prepare} runs it (locally, or under spark-submit with {@code io.mosaspark.cli.Mosa}).
 */
public final class PrepareCorpus {
    private static final Logger LOG = LoggerFactory.getLogger(PrepareCorpus.class);
    public static final String METRICS_FILE = "metrics.json";
    private static final long PROGRESS_PERIOD_MILLIS = 15_000;

    private final PrepConfig config;
    private final TokenizerSource tokenizers;

    public PrepareCorpus(PrepConfig config, TokenizerSource tokenizers) {
        this.config = config;
        this.tokenizers = tokenizers;
    }

    public PrepareCorpus(PrepConfig config) {
        this(config, new CliTokenizerSource(config.tokenizer(), config.seed(), String.join(",", config.inputs())));
    }

    /** Runs the job and returns the committed manifest; on failure nothing is left at the output. */
    public Manifest run(SparkSession spark) {
        PrepKryoRegistrator.requireCompatible(spark.sparkContext().getConf());
        LOG.info("prepare: {}", config);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Configuration conf = CompressionCodecs.register(new Configuration(jsc.hadoopConfiguration()));
        OutputCommit commit = OutputCommit.begin(config.output(), config.overwrite(), conf);
        List<JavaRDD<?>> cached = new ArrayList<>();
        try (ProgressReporter progress = ProgressReporter.start(jsc, PROGRESS_PERIOD_MILLIS, LOG::info)) {
            Manifest manifest = prepare(jsc, conf, commit.workDir(), cached);
            commit.commit();
            return manifest;
        } catch (Exception e) { // Spark throws its checked SparkException undeclared, so catch everything
            commit.abort();
            RuntimeException clear = UnreadableInputException.surface(e);
            LOG.error("prepare failed: {}", clear.getMessage());
            throw clear;
        } finally {
            cached.forEach(rdd -> rdd.unpersist(false));
        }
    }

    private Manifest prepare(JavaSparkContext jsc, Configuration conf, Path work, List<JavaRDD<?>> cached)
            throws IOException {
        RunMetrics metrics = new RunMetrics();
        SerializableHadoopConf shippedConf = new SerializableHadoopConf(conf);
        List<InputFile> files = metrics.stage("list", () -> InputFiles.expand(config.inputs(), conf));
        long inputBytes = files.stream().mapToLong(InputFile::bytes).sum();
        LOG.info("{} input files, {} bytes", files.size(), inputBytes);

        RecordCleaner cleaner = new RecordCleaner(config.minChars());
        List<InputSplit> splits = InputSplit.plan(files, config.format(), conf, config.splitBytes());
        if (splits.size() > files.size()) {
            LOG.info("{} input files read as {} splits of up to {} bytes", files.size(), splits.size(), config.splitBytes());
        }
        JavaRDD<CleanedRecord> cleaned = CorpusReader.read(jsc, splits, config.format(), config.textField(),
                config.skipBadFiles(), shippedConf).map(cleaner::clean).persist(StorageLevel.MEMORY_AND_DISK_SER());
        cached.add(cleaned);
        RecordCounts counts = metrics.stage("read", () -> RecordCounts.of(cleaned));
        metrics.rate("documents_read", counts.read(), "read");
        metrics.rate("input_bytes", inputBytes, "read");
        long rejectedLines = metrics.stage("rejected", () -> io(() -> RejectedRecords.write(cleaned, work, conf)));

        int partitions = Math.max(CorpusReader.slices(jsc, splits), jsc.defaultParallelism() * 2);
        JavaRDD<CleanedRecord> unique = ExactDeduplicator.unique(
                cleaned.filter(r -> r.outcome() == CleanedRecord.Outcome.KEPT), partitions)
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        cached.add(unique);
        long written = metrics.stage("dedup", unique::count);
        LOG.info("{} unique documents, {} exact duplicates removed", written, counts.kept() - written);

        HashSplit split = new HashSplit(config.valFraction(), config.seed());
        ResolvedTokenizer tokenizer = metrics.stage("tokenizer", () -> io(() -> tokenizers.resolve(
                unique.filter(d -> split.assign(d.sha256()) == Split.TRAIN).map(CleanedRecord::text), work, conf)));
        LOG.info("tokenizer: {}", tokenizer.info());

        TokenWidth width = TokenWidth.forVocabSize(tokenizer.info().vocabSize());
        ShardLayout layout = new ShardLayout(work.toString(), config.name(), config.shardTokens(), width,
                tokenizer.info().eotToken());
        int maxChars = config.maxChars();
        List<ShardInfo> shards = new ArrayList<>();
        for (Split s : Split.values()) {
            JavaRDD<CleanedRecord> docs = unique.filter(d -> split.assign(d.sha256()) == s);
            shards.addAll(metrics.stage("shards_" + s.id(), () -> ShardSetWriter.write(
                    PieceTokenizer.tokenizeInOrder(docs, split, maxChars, tokenizer.loader()), s, layout, shippedConf)));
        }

        Reconciliation reconciliation = reconcile(files.size(), counts, written, rejectedLines, shards,
                PieceTokenizer.count(unique, maxChars), layout.eotToken());
        Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, config.name(), width.dtype(), config.shardTokens(),
                tokenizer.info(), shards, SplitTotals.bySplit(shards), reconciliation,
                ShardSetProvenance.of(config, files, metrics.started()));
        ManifestJson.write(manifest, new Path(work, Manifest.FILE_NAME), conf);

        long tokens = shards.stream().mapToLong(ShardInfo::tokens).sum();
        metrics.put("reconciliation", reconciliation);
        metrics.put("shards_written", shards.size());
        metrics.rate("tokens_written", tokens, null);
        ManifestJson.write(metrics.toJson(), new Path(work, METRICS_FILE), conf);
        LOG.info("prepare done: {} documents read, {} written ({} pieces), {} tokens in {} shards", counts.read(),
                written, reconciliation.piecesWritten(), tokens, shards.size());
        return manifest;
    }

    /** The accounting, checked: a mismatch here is a bug, and must not be committed. */
    private static Reconciliation reconcile(int inputFiles, RecordCounts counts, long written, long rejectedLines,
                                            List<ShardInfo> shards, PieceTokenizer.PieceCounts pieces, int eot) {
        long eotDelimited = shards.stream().mapToLong(ShardInfo::documents).sum();
        if (eotDelimited != pieces.pieces()) {
            throw new IllegalStateException("shards hold " + eotDelimited + " EOT-delimited documents but "
                    + pieces.pieces() + " pieces were tokenized: does the tokenizer emit its EOT id (" + eot
                    + ") inside ordinary text?");
        }
        Reconciliation r = new Reconciliation(inputFiles, counts.read(), written, counts.kept() - written, counts.rejected(),
                counts.empty(), counts.rejectedReasons(), pieces.documentsSplit(), pieces.pieces(),
                counts.malformedUtf8Bytes());
        if (!r.balanced() || rejectedLines != counts.rejected()) {
            throw new IllegalStateException("record accounting does not add up (a bug): " + r
                    + ", rejected lines written " + rejectedLines);
        }
        return r;
    }

    @FunctionalInterface
    private interface IoWork<T> {
        T get() throws IOException;
    }

    private static <T> T io(IoWork<T> work) {
        try {
            return work.get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
