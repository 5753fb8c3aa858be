package io.mosaspark.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mosaspark.model.flops.ModelFlops;
import io.mosaspark.provenance.Provenance;
import io.mosaspark.train.checkpoint.CheckpointState;
import io.mosaspark.train.checkpoint.CheckpointStore;
import io.mosaspark.train.checkpoint.ModelFiles;
import io.mosaspark.train.data.TrainingData;
import io.mosaspark.train.eval.EvalSum;
import io.mosaspark.train.eval.Validation;
import io.mosaspark.train.outer.OuterRule;
import io.mosaspark.train.report.RoundLog;
import io.mosaspark.train.report.RoundRecord;
import io.mosaspark.train.round.InnerStates;
import io.mosaspark.train.round.DriverResultBudget;
import io.mosaspark.train.round.OrderedTreeAggregate;
import io.mosaspark.train.round.RoundInput;
import io.mosaspark.train.round.RoundSum;
import io.mosaspark.train.round.WorkerSetup;
import io.mosaspark.train.round.WorkerTask;
import io.mosaspark.train.routing.DriftRecord;
import io.mosaspark.train.routing.ProbeBatch;
import io.mosaspark.train.routing.ReplicaDrift;
import io.mosaspark.train.routing.RoutingLog;
import io.mosaspark.train.routing.RoutingShape;
import io.mosaspark.train.state.AtomicHadoopFiles;
import io.mosaspark.train.state.FlatVector;
import io.mosaspark.train.state.GlobalState;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * Data-parallel training on Spark, one averaging round at a time. Reads top to bottom:
 * <ol>
 *   <li>the starting state: a fresh initialisation, or the newest valid checkpoint with {@code resume};</li>
 *   <li>each round: broadcast the global state → N worker tasks run H local steps each on their own
 *       windows ({@link WorkerTask}) → their parameter sums meet in an ordered aggregation tree
 *       ({@link OrderedTreeAggregate}) → the driver's outer rule (averaging or DiLoCo) forms the next
 *       global state → log, evaluate, checkpoint; with routing statistics on, the driver also measures
 *       replica drift on the probe batch and writes {@code routing/} at each validation and checkpoint;</li>
 *   <li>the end: final validation, {@code model.safetensors}, {@code model.zip}, {@code summary.json}.</li>
 * </ol>
 */
public final class Trainer {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** The run directory's checkpoint folder ({@link CheckpointStore}). */
    static final String CHECKPOINTS = "checkpoints";
    static final String DATA_ORDER = "epoch e: Fisher-Yates over the split's windows with "
            + "java.util.SplittableRandom(data_seed * 0x9E3779B97F4A7C15 + e); rank r takes positions r, r+N, ...";

    /** What a run produced. */
    public record Result(GlobalState state, EvalSum validation, List<RoundRecord> records, double seconds,
                         Path runDirectory) {
    }

    private Trainer() {
    }

    public static Result train(JavaSparkContext sc, TrainConfig config, TrainingData data, RunOptions run)
            throws IOException {
        TrainKryoRegistrator.requireCompatible(sc.getConf());
        long started = System.nanoTime();
        Configuration hadoop = sc.hadoopConfiguration();
        Path out = new Path(run.out());
        FileSystem fs = out.getFileSystem(hadoop);
        fs.mkdirs(out);
        JsonNode configJson = JSON.valueToTree(config);

        String runId = UUID.randomUUID().toString();
        OuterRule rule = config.outer().newRule();
        InnerStates inner = rule.broadcastsOptimizerState() ? null
                : new InnerStates(runId, new Path(out, "inner").toString(), hadoop);
        WorkerSetup setup = new WorkerSetup(config, runId, data, inner, run.faults());
        ModelFiles model = new ModelFiles(config);
        CheckpointStore checkpoints = new CheckpointStore(new Path(out, CHECKPOINTS), hadoop, config.keepCheckpoints());

        // 1. where to start
        GlobalState state = null;
        Path resumedFrom = null;
        if (run.resume()) {
            var loaded = checkpoints.newestValid(configJson, run.data(), model, inner);
            if (loaded.isPresent()) {
                state = loaded.get().global();
                resumedFrom = loaded.get().directory();
                LOG.info("resuming from {} (round {}, step {})", loaded.get().directory(), state.round(), state.globalStep());
                run.progress().println("resuming from " + loaded.get().directory() + " at round " + state.round());
            } else {
                run.progress().println("no checkpoint in " + checkpoints.directory() + ": starting fresh");
            }
        }
        if (state == null) state = new GlobalState(0, 0, startingParams(model, config, run), null, null, 0);
        long sumElements = state.params().length() + (rule.broadcastsOptimizerState() ? model.optimizerStateLength() : 0);
        DriverResultBudget.require(sc.getConf(), config.workers(), config.aggregationDepth(),
                sumElements * ("float64".equals(config.precision()) ? Double.BYTES : Float.BYTES));
        // only now: a resume refused above must leave the run directory as it was
        AtomicHadoopFiles.writeString(fs, new Path(out, "config.json"), JSON.writeValueAsString(configJson));
        if (rule.broadcastsOptimizerState() && state.optimizerState() == null) {
            state = new GlobalState(state.round(), state.globalStep(), state.params(),
                    FlatVector.zeros(state.params().dataType(), model.optimizerStateLength()),
                    state.outerMomentum(), state.tokensSeen());
        }
        Provenance provenance = Provenance.of("checkpoint", configJson, List.of(),
                run.dataProvenance() == null ? List.of() : List.of(run.dataProvenance()));

        RoutingShape routingShape = config.routing() ? RoutingShape.of(config.model()) : null;
        RoutingLog routingLog = null;
        ReplicaDrift drift = null;
        if (routingShape != null) {
            int[][] probe = ProbeBatch.read(data);
            routingLog = new RoutingLog(fs, out, routingShape, config.routingEvery(), probe.length, state.round(),
                    resumedFrom);
            drift = new ReplicaDrift(config, routingShape, probe);
        }

        sc.setJobGroup("mosa-train-" + runId, "mosa train: " + describe(config), false);
        String metricsName = state.round() == 0 ? "metrics.jsonl" : "metrics-resume-" + state.round() + ".jsonl";
        EvalSum validation = null;
        try (RoundLog log = new RoundLog(fs, new Path(out, metricsName), run.progress(), config.rounds())) {
            // 2. the rounds
            double roundsSeconds = 0;
            int roundsRun = 0;
            while (state.round() < config.rounds()) {
                long t0 = System.nanoTime();
                Timed timed = round(sc, setup, rule, state, drift);
                state = timed.state();
                if (routingLog != null) routingLog.add(state.round(), timed.sum().routing(), timed.drift());
                double seconds = (System.nanoTime() - t0) / 1e9;
                roundsSeconds += seconds;
                roundsRun++;
                double eta = roundsSeconds / roundsRun * (config.rounds() - state.round());
                log.write(RoundRecord.round(state.round(), state.globalStep(), state.tokensSeen(), timed.sum().meanLoss(),
                        timed.sum().tokens() / seconds, seconds, timed.sum().maxComputeSeconds(), timed.averagingSeconds(),
                        eta, timed.sum().devices(), elapsed(started)).withRouting(timed.routingSeconds(),
                        timed.sum().routing() == null ? null : timed.sum().routing().seconds() / timed.sum().workers(),
                        timed.drift() == null ? null : timed.drift().jaccard()));
                boolean last = state.round() == config.rounds();
                boolean evaluate = last || (config.evalEvery() > 0 && state.round() % config.evalEvery() == 0);
                boolean checkpoint = last || (config.checkpointEvery() > 0 && state.round() % config.checkpointEvery() == 0);
                if (routingLog != null && (evaluate || checkpoint)) routingLog.flush(state.round());
                if (evaluate) {
                    validation = Validation.onCluster(sc, setup, state.params(),
                            "validation after round " + state.round() + "/" + config.rounds());
                    log.write(RoundRecord.evaluation(state.round(), state.globalStep(), state.tokensSeen(),
                            validation.loss(), elapsed(started)));
                }
                if (checkpoint) {
                    sc.setJobDescription("checkpoint after round " + state.round());
                    checkpoints.write(state, checkpointState(state, config, configJson, run, provenance), model, inner,
                            provenance, routingLog == null ? null : routingLog.directory());
                }
                if (inner != null) inner.deleteBefore(state.round(), hadoop);
            }
            if (validation == null) {
                validation = Validation.onCluster(sc, setup, state.params(), "final validation");
                log.write(RoundRecord.evaluation(state.round(), state.globalStep(), state.tokensSeen(),
                        validation.loss(), elapsed(started)));
            }
            // 3. the outputs
            Provenance finalProvenance = Provenance.of("model", configJson, List.of(),
                    run.dataProvenance() == null ? List.of() : List.of(run.dataProvenance()));
            model.writeSafeTensors(fs, new Path(out, "model.safetensors"), state.params(), finalProvenance);
            model.writeZip(fs, new Path(out, "model.zip"), state.params(), finalProvenance);
            double seconds = elapsed(started);
            AtomicHadoopFiles.writeString(fs, new Path(out, "summary.json"),
                    JSON.writeValueAsString(summary(config, state, validation, seconds, run, finalProvenance)));
            return new Result(state, validation, log.records(), seconds, out);
        } finally {
            sc.clearJobGroup();
        }
    }

    /**
     * A fresh initialisation, or a warm start's parameters once they are known to fit this run's model
     * (the caller reads them with this run's {@link ModelFiles}, which checks every tensor's shape).
     */
    private static FlatVector startingParams(ModelFiles model, TrainConfig config, RunOptions run) {
        if (run.init() == null) return model.initialParams();
        FlatVector p = run.init().params();
        if (p.dataType() != config.dataType()) {
            throw new IllegalArgumentException("cannot start from " + run.init().from() + ": its parameters are "
                    + p.dataType() + ", this run trains in " + config.precision() + " (--precision)");
        }
        LOG.info("starting from the parameters of {}", run.init().from());
        run.progress().println("warm start: parameters of " + run.init().from() + " (fresh optimizer state and schedule)");
        return p;
    }

    /** A round's outcome, the driver's share of its time, and its replica drift (null without routing statistics). */
    private record Timed(GlobalState state, RoundSum sum, double averagingSeconds, DriftRecord drift,
                         Double routingSeconds) {
    }

    private static Timed round(JavaSparkContext sc, WorkerSetup setup, OuterRule rule, GlobalState state,
                               ReplicaDrift drift) {
        TrainConfig c = setup.config();
        long t0 = System.nanoTime();
        RoundInput input = new RoundInput(state.round(), state.globalStep(), state.params(),
                rule.broadcastsOptimizerState() ? state.optimizerState() : null);
        Broadcast<RoundInput> bc = sc.broadcast(input);
        double broadcastS = (System.nanoTime() - t0) / 1e9;
        try {
            sc.setJobDescription(String.format(java.util.Locale.ROOT, "round %d/%d: %d workers × %d steps (%s)",
                    state.round() + 1, c.rounds(), c.workers(), c.localSteps(), c.outer().rule().name().toLowerCase()));
            List<Integer> ranks = IntStream.range(0, c.workers()).boxed().toList();
            RoundSum sum = OrderedTreeAggregate.aggregate(
                    sc.parallelize(ranks, c.workers()).map(rank -> WorkerTask.run(setup, bc.value(), rank)),
                    RoundSum::merge, c.aggregationDepth());
            long t1 = System.nanoTime();
            GlobalState next = rule.apply(state, sum, c.localSteps());
            long t2 = System.nanoTime();
            double averagingS = broadcastS + (t2 - t1) / 1e9;
            if (drift == null || sum.probe() == null) return new Timed(next, sum, averagingS, null, null);
            DriftRecord d = drift.measure(next.round(), next.params(), sum.probe());
            return new Timed(next, sum, averagingS, d, (System.nanoTime() - t2) / 1e9);
        } finally {
            bc.destroy();
        }
    }

    private static CheckpointState checkpointState(GlobalState s, TrainConfig c, JsonNode configJson, RunOptions run,
                                                   Provenance provenance) {
        long position = (long) s.round() * c.localSteps() * c.batchSize();
        return new CheckpointState(CheckpointState.FORMAT, CheckpointState.FORMAT_VERSION, s.round(), s.globalStep(),
                s.tokensSeen(), position, new CheckpointState.Rng(c.training().seed(), c.training().seed(), DATA_ORDER),
                configJson, run.data(), List.of(), provenance);
    }

    private static Map<String, Object> summary(TrainConfig c, GlobalState s, EvalSum val, double seconds, RunOptions run,
                                               Provenance provenance) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (run.label() != null) m.put("run", run.label());
        if (run.init() != null) m.put("init_from", run.init().from());
        m.put("model", describe(c));
        m.put("parameters", s.params().length());
        m.put("flops_per_token_forward", ModelFlops.forward(c.model()) / c.model().seqLen());
        m.put("rounds", s.round());
        m.put("global_steps", s.globalStep());
        m.put("tokens_seen", s.tokensSeen());
        m.put("val_loss", val.loss());
        m.put("val_perplexity", val.perplexity());
        m.put("val_tokens", val.tokens());
        m.put("wall_s", seconds);
        m.put("data", run.data());
        m.put("config", c);
        m.put("provenance", provenance);
        return m;
    }

    public static String describe(TrainConfig c) {
        var a = c.model().attention();
        String heads = a.mosaHeads() == 0 ? a.denseHeads() + " dense heads"
                : a.denseHeads() + " dense + " + a.mosaHeads() + " MoSA heads (rho " + a.sparsity() + ")";
        return c.model().nLayers() + " layers, h " + c.model().dModel() + ", " + heads + ", T " + c.model().seqLen()
                + "; " + c.workers() + " workers, H " + c.localSteps() + ", " + c.outer().rule().name().toLowerCase();
    }

    private static double elapsed(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
