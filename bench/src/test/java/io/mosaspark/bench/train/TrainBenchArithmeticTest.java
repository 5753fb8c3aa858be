package io.mosaspark.bench.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trainer suites' arithmetic and plumbing, without training anything. */
class TrainBenchArithmeticTest {

    private static Map<String, Object> round(double roundS, double computeS, double averagingS) {
        return Map.of("kind", "round", "round_s", roundS, "compute_s", computeS, "averaging_s", averagingS,
                "scheduling_s", roundS - computeS - averagingS);
    }

    @Test
    void steadyRoundsSkipTheWarmUpAndSplitTheRoundTime() {
        List<Map<String, Object>> rounds = List.of(round(9.0, 1.0, 0.5), round(2.0, 1.6, 0.1), round(2.0, 1.8, 0.1));
        SteadyRounds s = SteadyRounds.of(Map.of("tokens_per_round", 1000, "rounds", rounds), 1);
        assertEquals(2, s.rounds());
        assertEquals(2000 / 4.0, s.tokensPerSecond(), 1e-9, "the 9 s warm-up round is left out");
        assertEquals(2000 / 3.4, s.computeTokensPerSecond(), 1e-9);
        assertEquals(3.4 / 4, s.computeShare(), 1e-12);
        assertEquals(0.2 / 4, s.averagingShare(), 1e-12);
        assertEquals(0.4 / 4, s.schedulingShare(), 1e-12);
        assertEquals(0.6 / 4, s.overheadShare(), 1e-12);
        assertEquals(1.0, s.computeShare() + s.overheadShare(), 1e-12);
        var e = assertThrows(IllegalArgumentException.class,
                () -> SteadyRounds.of(Map.of("tokens_per_round", 1000, "rounds", rounds), 3));
        assertTrue(e.getMessage().contains("not more than its 3 warm-up rounds"), e.getMessage());
    }

    private static Map<String, Object> round(double roundS, double elapsedS) {
        return Map.of("kind", "round", "round_s", roundS, "compute_s", roundS * 0.9, "averaging_s", 0.0,
                "scheduling_s", roundS * 0.1, "elapsed_s", elapsedS);
    }

    @Test
    void steadyRoundsReportTheWarmUpRateAndTheJitTimeOverTheTimedRounds() {
        // rounds end at 4, 6, 7 and 8 s; the compilers' clock reads 3.0 s by 6 s and 3.5 s by 8 s
        List<Map<String, Object>> rounds = List.of(round(4, 4), round(2, 6), round(1, 7), round(1, 8));
        List<List<Double>> jit = List.of(List.of(0.0, 0.0), List.of(5.9, 2.9), List.of(6.0, 3.0), List.of(7.5, 3.3),
                List.of(8.0, 3.5), List.of(8.1, 9.9));
        SteadyRounds s = SteadyRounds.of(Map.of("tokens_per_round", 1000, "rounds", rounds,
                SteadyRounds.JIT_SAMPLES, jit), 2);
        assertEquals(2000 / 2.0, s.tokensPerSecond(), 1e-9);
        assertEquals(2000 / 6.0, s.warmupTokensPerSecond(), 1e-9, "the two warm-up rounds, 6 s");
        assertEquals(0.5, s.jitSecondsTimed(), 1e-12, "from the warm-up's end (6 s) to the last round's (8 s)");
        assertEquals(0.25, s.jitShareTimed(), 1e-12);
        assertEquals(0.25, (double) s.fields().get("jit_share_timed"), 1e-12);
        assertEquals(2, s.fields().get("warmup_rounds"));

        SteadyRounds unrecorded = SteadyRounds.of(Map.of("tokens_per_round", 1000, "rounds", rounds), 2);
        assertTrue(Double.isNaN(unrecorded.jitShareTimed()));
        assertEquals(null, unrecorded.fields().get("jit_share_timed"), "no JIT samples: null, not 0");
    }

    @Test
    void planTurnsStepsIntoWholeRounds() {
        TrainRunPlan plan = new TrainRunPlan("t", TrainRuns.model(), TrainRuns.training(), 8, 16, 60, 4);
        assertEquals(2, plan.warmupRounds());
        assertEquals(8, plan.timedRounds(), "60 steps at H = 8: rounded up to 8 rounds");
        assertEquals(16, plan.withLocalSteps(1).warmupRounds());
        assertEquals(10, plan.spec(2).rounds());
        assertEquals("local[2]", plan.spec(2).master());
        var e = assertThrows(IllegalArgumentException.class,
                () -> new TrainRunPlan("t", TrainRuns.model(), TrainRuns.training(), 0, 16, 64, 4));
        assertTrue(e.getMessage().contains("--local-steps = 0"), e.getMessage());
    }

    @Test
    void layoutPicksLocalThreadsOrOneCoreExecutors() {
        assertEquals("local[2]", SparkLayout.parse("local").master(2));
        assertTrue(SparkLayout.parse("local").settings(2).isEmpty(), "local mode needs no executor settings");
        TrainRunPlan plan = new TrainRunPlan("t", TrainRuns.model(), TrainRuns.training(), 8, 16, 60, 4,
                SparkLayout.parse("spark://127.0.0.1:7077"));
        assertEquals("spark://127.0.0.1:7077", plan.spec(2).master());
        assertEquals("spark://127.0.0.1:7077", plan.withLocalSteps(1).spec(2).master(), "H changes, the layout stays");
        var settings = plan.layout().settings(2);
        assertEquals("1", settings.get("spark.executor.cores"));
        assertEquals("2", settings.get("spark.cores.max"));
        assertEquals(System.getProperty("java.class.path"), settings.get("spark.executor.extraClassPath"));
        assertEquals("standalone", plan.fields().get("layout"));
        var e = assertThrows(IllegalArgumentException.class, () -> SparkLayout.parse("yarn"));
        assertTrue(e.getMessage().contains("--train-master = yarn"), e.getMessage());
    }

    @Test
    void lineFitRecoversInterceptAndSlope() {
        double[] line = RoundAnatomySuite.Line.fit(List.of(1.0, 2.0, 4.0), List.of(0.05 + 2e-3, 0.05 + 4e-3, 0.05 + 8e-3));
        assertArrayEquals(new double[] {0.05, 2e-3}, line, 1e-12);
        Map<String, Object> growth = RoundAnatomySuite.bySize(List.of(
                Map.of("model", "a", "workers", 2, "bytes_per_worker", 1_000_000L, "round_data_s_median", 0.011),
                Map.of("model", "b", "workers", 2, "bytes_per_worker", 3_000_000L, "round_data_s_median", 0.013),
                Map.of("model", "a", "workers", 4, "bytes_per_worker", 1_000_000L, "round_data_s_median", 0.5)), 2);
        assertEquals(0.010, (Double) growth.get("fixed_s"), 1e-12);
        assertEquals(1000.0, (Double) growth.get("mb_per_s_per_worker"), 1e-6);
    }

    @Test
    void comparisonIsAtEqualTokensAndTheTargetOnlyAppliesToDiloco() {
        Map<String, Object> one = Map.of("name", "1-worker", "tokens_seen", 300L, "final_val_loss", 2.0, "outer", "averaging",
                "curve", List.of(Map.of("tokens_seen", 100L, "val_loss", 4.0), Map.of("tokens_seen", 300L, "val_loss", 2.0)));
        Map<String, Object> diloco = Map.of("name", "2-workers-diloco", "tokens_seen", 300L, "final_val_loss", 2.1,
                "outer", "diloco", "curve", List.of(Map.of("tokens_seen", 100L, "val_loss", 5.0),
                        Map.of("tokens_seen", 200L, "val_loss", 3.0), Map.of("tokens_seen", 300L, "val_loss", 2.1)));
        Map<String, Object> c = ConvergenceSuite.comparison(one, diloco);
        assertEquals(List.of(100L, 300L), c.get("tokens_seen"), "200 has no 1-worker evaluation to compare with");
        assertEquals(List.of(1.25, 1.05), c.get("loss_ratio"));
        assertEquals(1.05, (Double) c.get("final_loss_ratio"), 1e-12);
        assertEquals(false, c.get("target_met"));
        Map<String, Object> averaging = new java.util.HashMap<>(diloco);
        averaging.put("outer", "averaging");
        assertFalse(ConvergenceSuite.comparison(one, averaging).containsKey("target_met"));
    }

    @Test
    void framingSplitsOrRepeatsTheBatchAndTheOptionsPairLrWithMomentum() {
        List<ConvergenceSpec.Run> runs = List.of(new ConvergenceSpec.Run("1-worker", 1, 8, io.mosaspark.train.outer.OuterConfig.averaging()),
                new ConvergenceSpec.Run("two", 2, 8, io.mosaspark.train.outer.OuterConfig.diloco()));
        ConvergenceSpec global = new ConvergenceSpec("d", null, "cpu-demo", List.of(), 16, ConvergenceSpec.Framing.GLOBAL_BATCH,
                100, 10, 0, runs);
        assertEquals(16, global.batchPerWorker(runs.get(0)));
        assertEquals(8, global.batchPerWorker(runs.get(1)), "the 1-worker run's global batch, split");
        ConvergenceSpec each = new ConvergenceSpec("d", null, "cpu-demo", List.of(), 16, ConvergenceSpec.Framing.PER_WORKER_BATCH,
                100, 10, 0, runs);
        assertEquals(16, each.batchPerWorker(runs.get(1)));
        assertEquals("global-batch", global.asMap().get("framing"), "recorded in the spec the report carries");
        var odd = assertThrows(IllegalArgumentException.class, () -> new ConvergenceSpec("d", null, "cpu-demo", List.of(), 15,
                ConvergenceSpec.Framing.GLOBAL_BATCH, 100, 10, 0, runs));
        assertTrue(odd.getMessage().contains("batch 15 does not split over 2 workers"), odd.getMessage());
        var bad = assertThrows(IllegalArgumentException.class, () -> ConvergenceSpec.Framing.parse("equal-steps"));
        assertTrue(bad.getMessage().startsWith("--convergence-framing = equal-steps"), bad.getMessage());

        TrainSuiteOptions o = new TrainSuiteOptions();
        o.data = "d";
        o.dilocoLr = List.of(1.0, 0.7);
        o.dilocoMomentum = List.of(0.0, 0.9);
        ConvergenceSpec sweep = o.convergence();
        assertEquals(List.of("1-worker", "2-workers-averaging", "2-workers-diloco-lr1.0-m0.0", "2-workers-diloco-lr0.7-m0.9"),
                sweep.runs().stream().map(ConvergenceSpec.Run::name).toList());
        assertEquals(0.9, sweep.runs().get(3).outer().momentum());
        assertEquals(ConvergenceSpec.Framing.GLOBAL_BATCH, sweep.framing(), "the default");
        o.dilocoMomentum = List.of(0.0);
        var unpaired = assertThrows(IllegalArgumentException.class, o::convergence);
        assertTrue(unpaired.getMessage().contains("--diloco-lr has 2 values and --diloco-momentum 1"), unpaired.getMessage());
    }

    @Test
    void childJvmsGetTheSparkOpeningsAndLoggingOfThisJvmOnly() {
        List<String> kept = ProbeRunner.sparkJvmOptions(List.of("-Xmx8g", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-Djdk.reflect.useDirectMethodHandle=false",
                "-Dlog4j2.configurationFile=/x/log4j2.properties", "-Dfoo=bar", "-Dmosa.home=/x"));
        assertEquals(List.of("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-Djdk.reflect.useDirectMethodHandle=false", "-Dlog4j2.configurationFile=/x/log4j2.properties",
                "-Dmosa.home=/x"), kept);
    }

    @Test
    void plotIsAPngWithOneLinePerRun(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("sub/curves.png");
        LossPlot.write(png, "test", List.of(new LossPlot.Curve("a", List.of(0.1, 0.2, 0.3), List.of(5.0, 4.0, 3.5)),
                new LossPlot.Curve("b", List.of(0.1, 0.2, 0.3), List.of(5.2, 4.4, 3.9))));
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(png), 8);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, head);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(900, image.getWidth());
        assertEquals(560, image.getHeight());
        // the two series are drawn in two different colours somewhere in the plot area
        List<Integer> colours = new ArrayList<>();
        for (int x = 100; x < 800; x += 7) {
            for (int y = 80; y < 480; y += 7) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                int r = rgb >> 16, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 80 && !colours.contains(rgb)) colours.add(rgb);
            }
        }
        assertTrue(colours.size() >= 2, "saturated colours in the plot: " + colours);
    }
}
