package io.mosaspark.bench.train;

import io.mosaspark.bench.harness.BenchReport;
import io.mosaspark.train.TrainLm;
import io.mosaspark.train.TrainRequest;
import io.mosaspark.train.Trainer;
import io.mosaspark.train.report.RoundRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains each set-up of a {@link ConvergenceSpec} with {@code TrainLm} (as {@code mosa train} does) on one
 * shard set, in one local Spark application, and returns its validation curve: loss against training
 * tokens, evaluated every {@code eval_tokens} tokens on the same windows.
 */
final class ConvergenceProbe {
    static final String NAME = "convergence";
    /** Two task threads: enough for the 2-worker runs; the 1-worker run uses one. */
    static final String MASTER = "local[2]";

    private ConvergenceProbe() {
    }

    static Map<String, Object> run(String json) {
        ConvergenceSpec spec;
        try {
            spec = BenchReport.JSON.readValue(json, ConvergenceSpec.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("bad " + NAME + " spec: " + e.getMessage(), e);
        }
        try (LocalSpark spark = LocalSpark.start(NAME, MASTER, Map.of()); Scratch out = Scratch.create("bench-convergence")) {
            String data = spec.data() != null ? spec.data() : spec.prepare().prepared(spark.session().spark());
            List<Map<String, Object>> runs = new ArrayList<>();
            String described = null;
            for (ConvergenceSpec.Run run : spec.runs()) {
                TrainRequest probe = request(spec, data, run, 1, out.path().resolve(run.name()).toUri().toString());
                TrainLm.Resolved resolved = TrainLm.resolve(probe, spark.context().hadoopConfiguration());
                described = resolved.data().describe();
                long perRound = resolved.config().tokensPerRound();
                int evalEvery = (int) Math.max(1, Math.round((double) spec.evalTokens() / perRound));
                Trainer.Result r = TrainLm.run(spark.context(), request(spec, data, run, evalEvery, probe.out()), System.err);
                runs.add(result(run, r, evalEvery, perRound, spec.batchPerWorker(run)));
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("data", data);
            m.put("data_described", described);
            m.put("spark_master", MASTER);
            m.put("thread_env", TrainRunProbe.threadEnvironment());
            m.put("runs", runs);
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException("convergence run failed: " + e.getMessage(), e);
        }
    }

    private static TrainRequest request(ConvergenceSpec s, String data, ConvergenceSpec.Run run, int evalEvery, String out) {
        List<String> overrides = new ArrayList<>(s.overrides());
        overrides.add("batch_size=" + s.batchPerWorker(run)); // last, so it wins over a batch_size in the recipe
        return new TrainRequest(data, s.preset(), "dense", 8, overrides, run.workers(), run.localSteps(), 0, s.tokens(),
                run.outer(), evalEvery, s.evalWindows(), 0, 1, "float32", false, out, false, null);
    }

    private static Map<String, Object> result(ConvergenceSpec.Run run, Trainer.Result r, int evalEvery, long tokensPerRound,
                                              int batchPerWorker) {
        List<Map<String, Object>> curve = new ArrayList<>();
        List<Double> trainLoss = new ArrayList<>();
        for (RoundRecord rec : r.records()) {
            if ("eval".equals(rec.kind())) {
                Map<String, Object> point = new LinkedHashMap<>();
                point.put("round", rec.round());
                point.put("tokens_seen", rec.tokensSeen());
                point.put("val_loss", rec.valLoss());
                curve.add(point);
            } else {
                trainLoss.add(rec.trainLoss());
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", run.name());
        m.put("workers", run.workers());
        m.put("local_steps", run.localSteps());
        m.put("batch_per_worker", batchPerWorker);
        m.put("global_batch", batchPerWorker * run.workers());
        m.put("outer", run.outer().rule().name().toLowerCase(Locale.ROOT));
        m.put("outer_lr", run.outer().lr());
        m.put("outer_momentum", run.outer().momentum());
        m.put("parameters", r.state().params().length());
        m.put("rounds", r.state().round());
        m.put("global_steps", r.state().globalStep());
        m.put("tokens_per_round", tokensPerRound);
        m.put("eval_every_rounds", evalEvery);
        m.put("tokens_seen", r.state().tokensSeen());
        m.put("final_val_loss", r.validation().loss());
        m.put("final_val_perplexity", r.validation().perplexity());
        m.put("val_tokens", r.validation().tokens());
        m.put("curve", curve);
        m.put("train_loss_by_round", trainLoss);
        m.put("wall_s", r.seconds());
        return m;
    }
}
