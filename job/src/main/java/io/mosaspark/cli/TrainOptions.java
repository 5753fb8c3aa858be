package io.mosaspark.cli;

import io.mosaspark.spark.DriverSession;
import io.mosaspark.spark.SparkSessions;
import io.mosaspark.train.TrainConfigDefaults;
import io.mosaspark.train.TrainKryoRegistrator;
import io.mosaspark.train.TrainRequest;
import io.mosaspark.train.outer.OuterConfig;
import io.mosaspark.train.round.FaultPlan;
import org.apache.spark.SparkConf;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every option of a training run, as {@code mosa train} and {@code mosa retrain} both take them (a
 * picocli mixin): one definition, so the two commands cannot drift apart in names, defaults or meaning.
 * Where the run goes ({@code --out}, {@code --resume}) is each command's own: train names a run
 * directory, retrain trains inside the registry.
 */
public final class TrainOptions {

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "A shard set made by `mosa prepare` (any Hadoop URI).")
    String data;

    @Option(names = "--preset", paramLabel = "NAME|FILE", description = "tiny | small | medium | large | cpu-demo, or a preset .json. Default: ${DEFAULT-VALUE}.")
    String preset = "cpu-demo";

    @Option(names = "--model", paramLabel = "KIND", description = "dense | mosa | fixed | perplexity-matched. Default: ${DEFAULT-VALUE}.")
    String variant = "mosa";

    @Option(names = "--rho", paramLabel = "N", description = "Sparsity ρ of --model mosa|fixed (IsoFLOP with the preset's dense baseline). Default: ${DEFAULT-VALUE}.")
    int rho = 8;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a preset key (repeatable), e.g. n_layers=4, learning_rate=1e-3.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--workers", paramLabel = "N", description = "Data-parallel workers (one Spark task each per round). Default: ${DEFAULT-VALUE}.")
    int workers = TrainConfigDefaults.WORKERS;

    @Option(names = "--local-steps", paramLabel = "H", description = "Steps each worker takes between averaging rounds. Default: ${DEFAULT-VALUE}.")
    int localSteps = TrainConfigDefaults.LOCAL_STEPS;

    @Option(names = "--rounds", paramLabel = "N", description = "Averaging rounds (default: the preset's steps / H).")
    int rounds;

    @Option(names = "--tokens", paramLabel = "N", description = "Training tokens over all workers, instead of --rounds.")
    long tokens;

    @Option(names = "--batch", paramLabel = "B", description = "Sequences per worker per step (preset key batch_size).")
    Integer batch;

    @Option(names = "--seq-len", paramLabel = "T", description = "Sequence length (preset key seq_len).")
    Integer seqLen;

    @Option(names = "--optimizer", paramLabel = "NAME", description = "adam | adamw | sgd (preset key optimizer).")
    String optimizer;

    @Option(names = "--lr", paramLabel = "X", description = "Peak learning rate (preset key learning_rate).")
    Double lr;

    @Option(names = "--schedule", paramLabel = "NAME", description = "constant | cosine, after linear warm-up (preset key schedule).")
    String schedule;

    @Option(names = "--warmup", paramLabel = "N", description = "Warm-up steps (preset key warmup_steps).")
    Integer warmup;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the initial parameters and the data order (preset key seed).")
    Long seed;

    @Option(names = "--outer", paramLabel = "RULE", description = "averaging | diloco. Default: ${DEFAULT-VALUE}.")
    String outer = "averaging";

    @Option(names = "--outer-lr", paramLabel = "X", description = "DiLoCo's outer learning rate. Default: ${DEFAULT-VALUE}.")
    double outerLr = 0.7;

    @Option(names = "--outer-momentum", paramLabel = "X", description = "DiLoCo's outer Nesterov momentum. Default: ${DEFAULT-VALUE}.")
    double outerMomentum = 0.9;

    @Option(names = "--eval-every", paramLabel = "N", description = "Rounds between validations (0: only at the end). Default: ${DEFAULT-VALUE}.")
    int evalEvery = TrainConfigDefaults.EVAL_EVERY;

    @Option(names = "--eval-windows", paramLabel = "N", description = "Validation windows per evaluation (0: the whole val split). Default: ${DEFAULT-VALUE}.")
    long evalWindows = 0;

    @Option(names = "--checkpoint-every", paramLabel = "N", description = "Rounds between checkpoints (0: only at the end). Default: ${DEFAULT-VALUE}.")
    int checkpointEvery = TrainConfigDefaults.CHECKPOINT_EVERY;

    @Option(names = "--keep", paramLabel = "K", description = "Checkpoints kept. Default: ${DEFAULT-VALUE}.")
    int keep = TrainConfigDefaults.KEEP_CHECKPOINTS;

    @Option(names = "--routing-every", paramLabel = "N", description = "Routing statistics of the MoSA heads from every N-th step, and replica drift every round (0: off; docs/routing.md). Default: ${DEFAULT-VALUE}.")
    int routingEvery = TrainConfigDefaults.ROUTING_EVERY;

    @Option(names = "--no-report", negatable = false, description = "Do not write report.html and report/*.png at the end (mosa report writes them later).")
    boolean noReport;

    @Option(names = "--precision", paramLabel = "P", description = "float32 | float64. Default: ${DEFAULT-VALUE}.")
    String precision = "float32";

    @Option(names = "--verify-data", description = "Also check every shard's SHA-256 before training (reads the whole set once).")
    boolean verifyData;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master. Default: spark-submit's, else local[N,2] with N = --workers (a failed task is retried once).")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark setting for the session this command"
            + " starts (repeatable), e.g. spark.driver.maxResultSize=2g. Under spark-submit, pass it to spark-submit.")
    java.util.Map<String, String> sparkConf = new java.util.LinkedHashMap<>();

    /**
     * The request these options describe, trained into {@code out}; an invalid value is an
     * IllegalArgumentException naming it.
     */
    public TrainRequest toRequest(String out, boolean resume) {
        List<String> preset = new ArrayList<>();
        FaultPlan faults = FaultPlan.NONE;
        for (String o : overrides) {
            if (o.startsWith("fault.fail_once=")) faults = FaultPlan.parse(o.substring("fault.fail_once=".length()));
            else preset.add(o);
        }
        if (batch != null) preset.add("batch_size=" + batch);
        if (seqLen != null) preset.add("seq_len=" + seqLen);
        if (optimizer != null) preset.add("optimizer=" + optimizer);
        if (lr != null) preset.add("learning_rate=" + lr);
        if (schedule != null) preset.add("schedule=" + schedule);
        if (warmup != null) preset.add("warmup_steps=" + warmup);
        if (seed != null) preset.add("seed=" + seed);
        OuterConfig.Rule rule = OuterConfig.Rule.parse(outer);
        OuterConfig outerConfig = rule == OuterConfig.Rule.AVERAGING ? OuterConfig.averaging()
                : new OuterConfig(rule, outerLr, outerMomentum);
        return new TrainRequest(data, this.preset, variant.toLowerCase(Locale.ROOT), rho, preset, workers, localSteps,
                rounds, tokens, outerConfig, evalEvery, evalWindows, checkpointEvery, keep, precision, verifyData, out,
                resume, faults, routingEvery);
    }


    /** The Spark session for a run named {@code appName}: spark-submit's, else one this JVM starts. */
    DriverSession session(String appName) {
        String resolvedMaster = master != null ? master
                : System.getProperty("spark.master") == null ? "local[" + workers + ",2]" : null;
        SparkConf conf = new SparkConf();
        sparkConf.forEach(conf::set);
        return SparkSessions.borrowOrStart(appName, resolvedMaster, conf, List.of(TrainKryoRegistrator.class));
    }
}
