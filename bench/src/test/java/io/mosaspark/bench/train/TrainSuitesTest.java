package io.mosaspark.bench.train;

import io.mosaspark.bench.harness.BenchReport;
import io.mosaspark.bench.model.BenchOptions;
import io.mosaspark.bench.model.ChildJvm;
import io.mosaspark.bench.model.TorchReference;
import io.mosaspark.prep.synthetic.ZipfText;
import io.mosaspark.provenance.Provenance;
import io.mosaspark.train.outer.OuterConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every trainer suite end to end at a tiny size, its probes in this JVM: the JSON each emits, and that
 * its numbers are sane (positive rates, shares in [0, 1], equal tokens where compared).
 */
class TrainSuitesTest {

    private static final ProbeRunner HERE = ProbeRunner.inProcess();

    private static BenchReport report() {
        return new BenchReport(Provenance.of("bench", Map.of(), List.of(), List.of()),
                new PrintStream(new ByteArrayOutputStream()));
    }

    private static Map<String, Object> only(BenchReport report, String suite, String result) {
        List<Map<String, Object>> hits = report.suites().get(suite).stream().filter(r -> result.equals(r.get("result"))).toList();
        assertEquals(1, hits.size(), suite + "/" + result + " in " + report.suites().get(suite));
        return hits.get(0);
    }

    private static double num(Map<String, Object> m, String key) {
        assertTrue(m.containsKey(key), key + " missing in " + m);
        return ((Number) m.get(key)).doubleValue();
    }

    private static void assertShare(Map<String, Object> m, String key) {
        double v = num(m, key);
        assertTrue(v >= 0 && v <= 1, key + " = " + v + " is not a share in [0, 1]");
    }

    @Test
    void trainScalingReportsBothWorkerCountsAndTheirRatio() {
        BenchReport report = report();
        new TrainScalingSuite(HERE, TrainRuns.plan(), 1, 0).run(report);
        for (String r : List.of("1-worker", "2-workers")) {
            Map<String, Object> w = only(report, "train-scaling", r);
            assertTrue(num(w, "tokens_per_s_median") > 0, w.toString());
            assertShare(w, "overhead_share_median");
            @SuppressWarnings("unchecked")
            Map<String, Object> run = ((List<Map<String, Object>>) w.get("runs")).get(0);
            assertEquals(2, ((Number) run.get("steady_rounds")).intValue(), "the warm-up round is left out");
            assertEquals(1.0, num(run, "compute_share") + num(run, "overhead_share"), 1e-9);
        }
        Map<String, Object> s = only(report, "train-scaling", "speedup");
        assertEquals(num(only(report, "train-scaling", "2-workers"), "tokens_per_s_median")
                / num(only(report, "train-scaling", "1-worker"), "tokens_per_s_median"), num(s, "speedup"), 1e-9);
        assertTrue(num(s, "speedup") > 0);
        double busy = (Double) ((List<?>) s.get("host_busy_before_pairs")).get(0);
        assertTrue(Double.isNaN(busy) || busy >= 0 && busy <= 1, "busy share " + busy);
        assertEquals(1.7, num(s, "target"));
        assertEquals(num(s, "speedup") >= 1.7, s.get("target_met"));
    }

    @Test
    void routingOverheadPairsRunsWithAndWithoutStatistics() {
        BenchReport report = report();
        var hybrid = TrainRuns.plan().withModel(TrainRuns.model().withAttention(
                io.mosaspark.model.config.AttentionConfig.hybrid(16, 8, 2, 2, 4)));
        new RoutingOverheadSuite(HERE, hybrid, 1, 1, 0).run(report);
        Map<String, Object> r = only(report, "routing-overhead", "overhead");
        assertEquals(2, ((Number) r.get("mosa_heads")).intValue());
        assertEquals(num(r, "round_s_median_on") / num(r, "round_s_median_off") - 1, num(r, "overhead"), 0.5,
                "pair overhead from the runs' round times");
        assertTrue(num(r, "driver_routing_s_median") > 0, "the driver measured replica drift: " + r);
        assertTrue(num(r, "in_run_share") > 0 && num(r, "in_run_share") < 1, "a share of the round: " + r);
        assertEquals(num(r, "overhead") <= 0.03, r.get("target_met"));
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new RoutingOverheadSuite(HERE, TrainRuns.plan(), 1, 1, 0)).getMessage().contains("MoSA heads"));
    }

    @Test
    void roundAnatomyReportsSharesAndTheAggregationSweep() {
        BenchReport report = report();
        AggregateSpec sweep = new AggregateSpec(TrainRuns.models(), List.of(1, 2), 2, 0, 1);
        new RoundAnatomySuite(HERE, HERE, TrainRuns.plan(), 1, sweep).run(report);
        Map<String, Object> shares = only(report, "round-anatomy", "round-shares");
        for (String k : List.of("compute_share_median", "averaging_share_median", "scheduling_share_median",
                "overhead_share_median")) {
            assertShare(shares, k);
        }
        assertEquals(num(shares, "overhead_share_median") <= 0.10, shares.get("target_met"));
        List<Map<String, Object>> points = report.suites().get("round-anatomy").stream()
                .filter(r -> "aggregate".equals(r.get("result"))).toList();
        assertEquals(2, points.size());
        for (Map<String, Object> p : points) {
            long params = ((Number) p.get("parameters")).longValue();
            assertEquals(4 * 3 * params, ((Number) p.get("bytes_per_worker")).longValue(), "parameters + Adam's two moments");
            assertTrue(num(p, "round_data_s_median") >= num(p, "aggregate_s_median"));
            assertTrue(num(p, "aggregate_s_median") > 0);
        }
        Map<String, Object> byWorkers = only(report, "round-anatomy", "aggregate-growth-by-workers");
        assertEquals(List.of(1, 2), byWorkers.get("workers"));
        assertEquals(1.0, ((List<?>) byWorkers.get("relative_to_first")).get(0));
    }

    @Test
    void trainVsTorchPairsOursWithTorchOrSaysWhyNot() {
        BenchReport report = report();
        // from the module directory, where surefire runs
        BenchOptions o = new BenchOptions(0, 1, 1, new ChildJvm("1g", "1g", 1, 300), Path.of("/usr/bin/python3"),
                Path.of("torch_mosa.py"));
        new TrainVsTorchSuite(HERE, new TorchReference(o), Path.of("torch_ddp.py"), TrainRuns.plan(), List.of(2), 1, 0).run(report);
        Map<String, Object> r = only(report, "train-vs-torch", "h-2");
        assertTrue(num(r, "ours_tokens_per_s_median") > 0, r.toString());
        assertEquals("local", r.get("layout"), "which processes did the work is part of every result");
        assertEquals("local[2]", r.get("spark_master"));
        if (r.containsKey("torch")) {
            assertTrue(r.get("torch").toString().startsWith("skipped: "), r.toString());
            return;
        }
        assertEquals("pytorch-local-sgd", r.get("torch_impl"));
        assertTrue(num(r, "torch_tokens_per_s_median") > 0, r.toString());
        assertEquals(num(r, "ours_tokens_per_s_median") / num(r, "torch_tokens_per_s_median"),
                num(r, "ratio_ours_over_torch"), 1e-9);
        assertTrue(!r.containsKey("target"), "the target is for H = 8 only");
    }

    @Test
    void convergencePreparesACorpusOnceAndComparesAtEqualTokens(@TempDir Path dir) throws Exception {
        Path corpus = dir.resolve("corpus.txt");
        ZipfText text = ZipfText.english(5);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 200; i++) lines.add(text.document(i, 400));
        Files.write(corpus, lines);
        List<String> tinyModel = new ArrayList<>(TrainSuiteOptions.RECIPE);
        tinyModel.addAll(List.of("warmup_steps=2", "n_layers=1", "d_model=16", "head_dim=8", "dense_heads=2", "d_ff=32", "seq_len=16",
                "batch_size=7")); // the spec's batch wins over the recipe's
        List<ConvergenceSpec.Run> runs = List.of(
                new ConvergenceSpec.Run("1-worker", 1, 2, OuterConfig.averaging()),
                new ConvergenceSpec.Run("2-workers-diloco", 2, 2, OuterConfig.diloco()));
        // global batch 2 (1 per worker for two): 64 tokens per round either way; evaluations every 256 tokens, 1024 in all
        ConvergenceSpec spec = new ConvergenceSpec(null, new CorpusShards(corpus.toUri().toString(),
                dir.resolve("shards").toUri().toString(), 300), "cpu-demo", tinyModel, 2, ConvergenceSpec.Framing.GLOBAL_BATCH,
                1024, 256, 8, runs);
        Path png = dir.resolve("curves.png");
        BenchReport report = report();
        new ConvergenceSuite(HERE, spec, png).run(report);

        Map<String, Object> one = only(report, "convergence", "1-worker");
        Map<String, Object> two = only(report, "convergence", "2-workers-diloco");
        assertEquals(1024L, ((Number) one.get("tokens_seen")).longValue());
        assertEquals(1024L, ((Number) two.get("tokens_seen")).longValue(), "the same total tokens");
        assertEquals(4, ((List<?>) one.get("curve")).size(), "an evaluation every 256 tokens");
        assertEquals(32L, ((Number) one.get("global_steps")).longValue(), "1024 tokens / (2 x 16 tokens) per step");
        assertEquals(32L, ((Number) two.get("global_steps")).longValue(), "global-batch framing: the same optimiser steps");
        assertEquals(1, ((Number) two.get("batch_per_worker")).intValue());
        assertEquals(2, ((Number) two.get("global_batch")).intValue());
        assertEquals("global-batch", two.get("framing"));
        assertTrue(num(one, "final_val_loss") > 0 && num(one, "final_val_loss") < Math.log(300) + 1, one.toString());
        Map<String, Object> c = only(report, "convergence", "2-workers-diloco-vs-1-worker");
        assertEquals(List.of(256L, 512L, 768L, 1024L), ((List<?>) c.get("tokens_seen")).stream()
                .map(t -> ((Number) t).longValue()).toList());
        assertEquals(num(two, "final_val_loss") / num(one, "final_val_loss"), num(c, "final_loss_ratio"), 1e-12);
        assertEquals(num(c, "final_loss_ratio") <= 1.03, c.get("target_met"));
        assertEquals("global-batch", c.get("framing"));
        assertTrue(Files.size(png) > 1000, "the plot was written");

        // a second run finds the committed shard set and does not prepare it again
        long prepared = Files.getLastModifiedTime(dir.resolve("shards/manifest.json")).toMillis();
        new ConvergenceSuite(HERE, new ConvergenceSpec(null, spec.prepare(), "cpu-demo", tinyModel, 2,
                ConvergenceSpec.Framing.PER_WORKER_BATCH, 128, 128, 8, runs.subList(0, 1)), null).run(report());
        assertEquals(prepared, Files.getLastModifiedTime(dir.resolve("shards/manifest.json")).toMillis());
    }

    @Test
    void checkpointTimesWriteAndResumeOfEveryModel() {
        BenchReport report = report();
        new CheckpointSuite(HERE, new CheckpointSpec(TrainRuns.models(), 0, 2)).run(report);
        Map<String, Object> r = only(report, "checkpoint", "test");
        long params = ((Number) r.get("parameters")).longValue();
        assertEquals(2 * params, ((Number) r.get("optimizer_state_length")).longValue(), "Adam's two moments");
        assertTrue(num(r, "bytes") > 4.0 * 3 * params, "parameters, moments and the small files: " + r);
        assertTrue(num(r, "write_s_median") > 0 && num(r, "read_s_median") > 0, r.toString());
        assertEquals(2, ((Number) r.get("write_repeats")).intValue());
        assertEquals(num(r, "bytes") / 1e6 / num(r, "write_s_median"), num(r, "write_mb_per_s"), 1e-6);
    }
}
