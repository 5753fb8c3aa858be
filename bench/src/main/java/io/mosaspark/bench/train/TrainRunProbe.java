package io.mosaspark.bench.train;

import com.fasterxml.jackson.core.type.TypeReference;
import io.mosaspark.bench.harness.BenchReport;
import io.mosaspark.train.RunOptions;
import io.mosaspark.train.TrainConfig;
import io.mosaspark.train.TrainConfigDefaults;
import io.mosaspark.train.Trainer;
import io.mosaspark.train.checkpoint.DataIdentity;
import io.mosaspark.train.data.InMemoryTokens;
import io.mosaspark.train.report.RoundRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The Spark trainer as {@code mosa train} runs it ({@link Trainer#train}: broadcast, worker tasks,
 * ordered tree aggregate, outer rule), on random tokens in memory, in {@code local[N]} or on a standalone
 * cluster's one-core executors ({@link SparkLayout}). Returns every
 * round's record (compute, averaging and scheduling seconds, tokens/s) for the suite to pick the
 * steady-state rounds from, the thread environment the workers ran under, and this JVM's JIT time
 * over the run ({@link JitClock}).
 */
final class TrainRunProbe {
    static final String NAME = "train-rounds";
    /** Validation windows of the final evaluation the trainer always runs (after the timed rounds). */
    private static final int VALIDATION_WINDOWS = 2;
    static final List<String> THREAD_VARIABLES = List.of("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "SD_MAX_THREADS",
            "SD_MASTER_THREADS");

    private TrainRunProbe() {
    }

    static Map<String, Object> run(String json) {
        TrainRunSpec spec = parse(json);
        TrainConfig config = new TrainConfig(spec.model(), spec.training().withSteps(spec.rounds() * spec.localSteps()),
                "float32", spec.workers(), spec.localSteps(), spec.rounds(), spec.outer(), 0, VALIDATION_WINDOWS, 0, 1,
                TrainConfigDefaults.AGGREGATION_DEPTH, spec.routingEvery());
        InMemoryTokens data = randomTokens(spec);
        long t0 = System.nanoTime();
        SparkLayout layout = spec.layout();
        try (LocalSpark spark = LocalSpark.start(NAME, spec.master(), layout.settings(spec.workers()));
             Scratch out = Scratch.create("bench-train-run")) {
            layout.awaitExecutors(spark.context(), spec.workers());
            RunOptions options = new RunOptions(out.path().toUri().toString(), false,
                    new DataIdentity("memory:random-tokens", "none", null), null, null, System.err);
            Trainer.Result r;
            JitClock jit = JitClock.startIfSupported();   // from the trainer's start: RoundRecord.elapsed_s's origin
            try {
                r = Trainer.train(spark.context(), config, data, options);
            } finally {
                if (jit != null) jit.close();
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("spark_master", spark.context().master());
            m.put("workers", spec.workers());
            m.put("processes", layout.describe(spec.workers()));
            m.put("local_steps", spec.localSteps());
            m.put("batch_per_worker", config.batchSize());
            m.put("seq_len", config.model().seqLen());
            m.put("tokens_per_round", config.tokensPerRound());
            m.put("parameters", r.state().params().length());
            m.put("outer", spec.outer().rule().name().toLowerCase(java.util.Locale.ROOT));
            m.put("thread_env", threadEnvironment());
            m.put("routing_every", config.routingEvery());
            m.put("rounds", rounds(r.records()));
            if (jit != null) m.put(SteadyRounds.JIT_SAMPLES, jit.samples());
            m.put("final_val_loss", r.validation().loss());
            m.put("wall_s", (System.nanoTime() - t0) / 1e9);
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException("the trainer failed: " + e.getMessage(), e);
        }
    }

    private static TrainRunSpec parse(String json) {
        try {
            return BenchReport.JSON.readValue(json, TrainRunSpec.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("bad " + NAME + " spec: " + e.getMessage(), e);
        }
    }

    /** Uniform random tokens: every worker gets {@code trainWindows} windows of its own. */
    static InMemoryTokens randomTokens(TrainRunSpec spec) {
        int t = spec.model().seqLen(), v = spec.model().vocabSize();
        SplittableRandom rnd = new SplittableRandom(spec.training().seed());
        int[] train = rnd.ints((long) spec.trainWindows() * spec.workers() * t + 1, 0, v).toArray();
        int[] validation = rnd.ints((long) VALIDATION_WINDOWS * t + 1, 0, v).toArray();
        return new InMemoryTokens(train, validation, t, spec.workers(), spec.training().seed());
    }

    static Map<String, String> threadEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String k : THREAD_VARIABLES) env.put(k, System.getenv().getOrDefault(k, "unset"));
        return env;
    }

    private static List<Map<String, Object>> rounds(List<RoundRecord> records) {
        return records.stream().filter(r -> "round".equals(r.kind()))
                .map(r -> BenchReport.JSON.convertValue(r, new TypeReference<Map<String, Object>>() { }))
                .toList();
    }
}
