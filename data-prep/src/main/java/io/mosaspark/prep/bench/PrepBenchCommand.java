package io.mosaspark.prep.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.mosaspark.prep.tokenize.BpeTrainingConfig;
import io.mosaspark.prep.tokenize.TokenizerSpec;
import java.io.File;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mosa bench prep}: data-prep benchmarks. Prints one JSON object per result and, with
 * {@code --out}, writes them with the run's provenance to a file. Joins a running SparkSession if
 * there is one (and then leaves it running), else starts one on {@code --master}.
 */
@Command(name = "prep", mixinStandardHelpOptions = true,
        description = "Benchmarks tokenisation throughput (Spark vs single-thread JTokkit) and BPE training time.")
public final class PrepBenchCommand implements Callable<Integer> {

    @Option(names = "--suite", split = ",", defaultValue = "tokenize,bpe-train",
            description = "Comma-separated: tokenize, bpe-train (default: both).")
    List<String> suites;

    @Option(names = "--master", defaultValue = "local[2]", description = "Spark master (default: ${DEFAULT-VALUE}).")
    String master;

    @Option(names = "--corpus", description = "Text files (any Hadoop URI), one document per line; default: generated Zipfian text.")
    String corpus;

    @Option(names = "--mb", defaultValue = "20", description = "Megabytes of text (default: ${DEFAULT-VALUE}).")
    double megabytes;

    @Option(names = "--tokenizer", defaultValue = "r50k_base",
            description = "Pretrained encoding for the tokenize suite (default: ${DEFAULT-VALUE}).")
    String tokenizer;

    @Option(names = "--vocab-size", defaultValue = "8000", description = "BPE vocabulary (default: ${DEFAULT-VALUE}).")
    int vocabSize;

    @Option(names = "--partitions", defaultValue = "0",
            description = "Spark partitions; 0 = 4 per core of the master (default).")
    int partitions;

    @Option(names = "--repeats", defaultValue = "5", description = "Timed passes; the best counts (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--seed", defaultValue = "1337", description = "Seed of the generated text (default: ${DEFAULT-VALUE}).")
    long seed;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec commandSpec;

    @Option(names = "--out", description = "Also write the results and provenance to this JSON file.")
    File out;

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    @Override
    public Integer call() throws Exception {
        for (String suite : suites) {
            if (!suite.equals("tokenize") && !suite.equals("bpe-train")) {
                throw new CommandLine.ParameterException(commandSpec.commandLine(),
                        "--suite: unknown suite '" + suite + "'; use tokenize, bpe-train");
            }
        }
        if (megabytes <= 0 || repeats < 1 || partitions < 0) {
            throw new CommandLine.ParameterException(commandSpec.commandLine(),
                    "--mb must be > 0, --repeats >= 1 and --partitions >= 0");
        }
        TokenizerSpec spec = TokenizerSpec.parse(tokenizer);
        BpeTrainingConfig bpeConfig = BpeTrainingConfig.defaults().withVocabSize(vocabSize);
        boolean ownSession = SparkSession.getDefaultSession().isEmpty();
        SparkSession spark = SparkSession.builder().master(master).appName("mosa-bench-prep")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
            int slices = partitions > 0 ? partitions : 4 * context.defaultParallelism();
            BenchCorpus text = corpus == null ? BenchCorpus.generated(seed, megabytes)
                    : BenchCorpus.read(spark, corpus, megabytes);
            List<BenchResult> results = new ArrayList<>();
            for (String suite : suites) {
                BenchResult result = suite.equals("tokenize")
                        ? TokenizeBench.run(context, text, spec, slices, repeats)
                        : BpeTrainBench.run(context, text, bpeConfig, slices);
                System.out.println(JSON.writeValueAsString(result));
                results.add(result);
            }
            if (out != null) {
                JSON.writerWithDefaultPrettyPrinter().writeValue(out, report(results, text, context));
            }
            return 0; // a missed target is a finding ("pass": false), not a failure of the command
        } finally {
            if (ownSession) {
                spark.stop();
            }
        }
    }

    private Map<String, Object> report(List<BenchResult> results, BenchCorpus text, JavaSparkContext context) {
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("time", Instant.now().toString());
        provenance.put("code_version", String.valueOf(PrepBenchCommand.class.getPackage().getImplementationVersion()));
        provenance.put("corpus", text.source());
        provenance.put("corpus_megabytes", text.bytes() / 1e6);
        provenance.put("seed", seed);
        provenance.put("spark_master", context.master());
        provenance.put("spark_version", context.version());
        provenance.put("java_version", System.getProperty("java.version"));
        provenance.put("available_processors", Runtime.getRuntime().availableProcessors());
        provenance.put("arguments", Map.of("suites", suites, "tokenizer", tokenizer, "vocab_size", vocabSize,
                "partitions", partitions, "repeats", repeats, "mb", megabytes));
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("provenance", provenance);
        report.put("results", results);
        return report;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new PrepBenchCommand()).execute(args));
    }
}
